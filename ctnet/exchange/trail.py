"""Where a person's data went (access and redress requests; DESIGN.md rules 3 and 5).

Built from the audit log, not from the live tables: after a withdrawal or a purge the records
are gone but the log still says which copies existed, which organisations received them and who
read them. Only ids, organisations, accounts and times appear; never the person's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy

from ctnet.core import audit
from ctnet.core.models import AuditEvent, User
from ctnet.exchange.models import PersonRecord

OBJECT_TYPE = "exchange.personrecord"
LIFECYCLE_ACTIONS = ("exchange.person.correct", "exchange.person.withdraw")
# How the trail page names them (registered as "exchange.trail_action").
LIFECYCLE_LABELS = {
    "exchange.person.correct": gettext_lazy("corrected"),
    "exchange.person.withdraw": gettext_lazy("withdrawn"),
}


@dataclass
class Copy:
    record_id: int
    material: str
    recipients: list[str]
    created_at: datetime
    created_by: str
    exists: bool


@dataclass
class Trail:
    root_id: int
    copies: list[Copy] = field(default_factory=list)
    reads: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def recipients(self) -> list[str]:
        return sorted({code for c in self.copies for code in c.recipients})


def _root_of(record_id: int) -> int:
    live = PersonRecord.objects.filter(pk=record_id).only("pk", "copy_of_id").first()
    if live is not None:
        return live.root_id
    copy_event = AuditEvent.objects.filter(
        action="exchange.person.copy", object_type=OBJECT_TYPE, object_id=str(record_id)
    ).first()
    return int(copy_event.detail["copy_of"]) if copy_event else record_id


def _row(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at,
        "action": event.action,
        "actor": event.actor_label,
        "organisation": event.organisation.code if event.organisation else None,
        "record_id": int(event.object_id) if event.object_id.isdigit() else None,
    }


def person_trail(record_id: int) -> Trail:
    """The trail of a record's family, original and copies; Http404 if it never existed."""
    root = _root_of(record_id)
    origin = (
        AuditEvent.objects.select_related("organisation")
        .filter(
            Q(action="exchange.person.create", object_id=str(root))
            | Q(action="exchange.person.copy", detail__copy_of=root)
        )
        .filter(object_type=OBJECT_TYPE)
        .order_by("id")
    )
    origin_list = list(origin)
    if not origin_list:
        raise Http404
    ids = [int(e.object_id) for e in origin_list]
    live = set(PersonRecord.objects.filter(pk__in=ids).values_list("pk", flat=True))
    trail = Trail(root_id=root)
    for e in origin_list:
        trail.copies.append(
            Copy(
                record_id=int(e.object_id),
                material=e.detail.get("material", ""),
                recipients=list(e.detail.get("recipients", [])),
                created_at=e.at,
                created_by=e.actor_label,
                exists=int(e.object_id) in live,
            )
        )
    id_strings = [str(i) for i in ids]
    touched = AuditEvent.objects.select_related("organisation").filter(
        object_type=OBJECT_TYPE, object_id__in=id_strings
    )
    trail.reads = [_row(e) for e in touched.filter(action="read").order_by("id")]
    trail.events = [_row(e) for e in touched.filter(action__in=LIFECYCLE_ACTIONS).order_by("id")]
    id_set = set(ids)
    # Purge rows name many ids in their detail; they are few, so they are scanned here.
    for e in AuditEvent.objects.filter(action="exchange.person.purge").order_by("id"):
        purged = id_set.intersection(e.detail.get("records", []))
        if purged:
            trail.events.append({**_row(e), "record_id": min(purged)})
    return trail


def record_trail_view(*, acting_user: User, root_id: int) -> None:
    """Producing a trail is itself a read of person-related data: it is logged."""
    with transaction.atomic():
        audit.record(
            "exchange.person.trail", actor=acting_user, object_type=OBJECT_TYPE, object_id=root_id
        )


def search_records(name: str, limit: int = 50) -> list[PersonRecord]:
    """Live original records whose names contain ``name`` (purged ones are gone, by design)."""
    name = name.strip()
    if len(name) < 2:
        return []
    return list(
        PersonRecord.objects.filter(copy_of=None)
        .filter(Q(family_name__icontains=name) | Q(given_names__icontains=name))
        .order_by("family_name", "pk")[:limit]
    )
