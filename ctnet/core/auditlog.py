"""Queries over the audit log, shared by the oversight page and the API, and the record of
those reads: who reads the log is itself in it (DESIGN.md rule 5)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from ctnet.core import audit
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


def record_log_read(
    *,
    acting_user: Any,
    via: str,
    filters: Mapping[str, Any],
    shown: Iterable[AuditEvent],
    count: int,
) -> None:
    """One row per page of the log read: the filters asked, the ids shown, the total matched.

    One row per page, not per event shown, so that reading the log does not drown it.
    """
    chosen = {k: v for k, v in filters.items() if v not in (None, "")}
    with transaction.atomic():
        audit.record(
            "audit.read",
            actor=acting_user,
            object_type="core.auditevent",
            detail={"via": via, "filters": chosen, "ids": [e.id for e in shown], "count": count},
        )
