"""Queries over the audit log, shared by the oversight page and the API."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from ctnet.core.models import AuditEvent


def filter_events(
    *,
    action: str | None = None,
    actor: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.select_related("organisation").order_by("-id")
    if action:
        # A prefix selects a family of actions: "auth." gives every sign-in event.
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_label__iexact=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if since:
        qs = qs.filter(at__gte=since)
    if until:
        qs = qs.filter(at__lt=until)
    return qs
