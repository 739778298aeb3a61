"""The append-only, hash-chained audit log.

Each row's hash is an HMAC-SHA256 (keyed with ``settings.AUDIT_KEY``) over the previous row's hash
and the row's own canonical content. Editing, inserting or deleting a row breaks every later
link, and without the key nobody who can only write to the database can rebuild the chain.

Appends are serialised through the single ``AuditHead`` row, locked ``FOR UPDATE`` on
PostgreSQL (SQLite serialises writers already): two concurrent transactions can therefore never
both link to the same previous row and fork the chain. The cost is that audited writes commit one
after another, which the write volumes of this network allow.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from ctnet.core.models import AuditEvent, AuditHead

GENESIS = "0" * 64


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    user_agent: str = ""
    request_id: str = ""


# Set by ``RequestContextMiddleware`` for the duration of a request; empty for CLI and tasks.
current_request: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "ctnet_request",
    default=RequestContext(),  # noqa: B039 — frozen dataclass, never mutated
)


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "organisation": event.organisation_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "request_id": event.request_id,
        "detail": event.detail,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    if not settings.AUDIT_KEY:
        raise ImproperlyConfigured("the audit chain needs CTNET_AUDIT_KEY or CTNET_SECRET_KEY")
    mac = hmac.new(settings.AUDIT_KEY.encode(), digestmod=hashlib.sha256)
    mac.update(prev_hash.encode())
    mac.update(_canonical(event))
    return mac.hexdigest()


def record(
    action: str,
    *,
    actor: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    organisation: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change it describes."""
    ctx = current_request.get()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    if organisation is None and actor is not None and getattr(actor, "is_authenticated", False):
        membership = actor.active_membership
        organisation = membership.organisation if membership else None
    actor_obj = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    # JSON round trip: what is hashed now must be exactly what is read back from the database.
    clean_detail = json.loads(json.dumps(detail or {}, default=str))
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_hash": GENESIS, "count": 0}
        )
        event = AuditEvent(
            # Microseconds are kept: the database stores them on both engines.
            at=timezone.now(),
            actor=actor_obj,
            actor_label=actor_obj.get_username() if actor_obj else "system",
            organisation=organisation,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            ip=ctx.ip,
            user_agent=ctx.user_agent[:300],
            request_id=ctx.request_id,
            detail=clean_detail,
            prev_hash=head.last_hash,
        )
        event.row_hash = compute_hash(head.last_hash, event)
        event.save()
        head.last_hash = event.row_hash
        head.count += 1
        head.save(update_fields=["last_hash", "count"])
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_id: int | None = None
    reason: str = ""


def _iter_events(batch: int = 2000) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


def verify_chain() -> VerifyResult:
    """Recompute the chain from the first row; report the first row that does not fit."""
    prev = GENESIS
    checked = 0
    for event in _iter_events():
        if event.prev_hash != prev:
            return VerifyResult(False, checked, event.id, "previous-hash link broken")
        if not hmac.compare_digest(compute_hash(prev, event), event.row_hash):
            return VerifyResult(False, checked, event.id, "row content does not match its hash")
        prev = event.row_hash
        checked += 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.last_hash != prev or head.count != checked):
        return VerifyResult(False, checked, None, "rows missing at the end of the chain")
    return VerifyResult(True, checked)
