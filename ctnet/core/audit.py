"""The append-only, hash-chained audit log.

Each row's hash is an HMAC-SHA256 (keyed with ``settings.AUDIT_KEY``) over the previous row's hash
and the row's own canonical content. Editing, inserting or deleting a row breaks every later
link, and without the key nobody who can only write to the database can rebuild the chain.

Appends are serialised through the single ``AuditHead`` row, locked ``FOR UPDATE`` on
PostgreSQL (SQLite serialises writers already): two concurrent transactions can therefore never
both link to the same previous row and fork the chain. The cost is that audited writes commit one
after another, which the write volumes of this network allow.

The head is signed too (``head_mac``: the key over its count and last hash), so deleting the last
rows and rewriting the head to match needs the key, and a missing head is a break. Against a
head put back from an old backup, signed checkpoints leave the database (``audit_checkpoints``):
``ctnet audit checkpoint`` appends one to ``settings.AUDIT_CHECKPOINT_FILE`` and prints it for an
outside record, and ``verify_chain`` checks the chain against every checkpoint it is given.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
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


def _key() -> bytes:
    if not settings.AUDIT_KEY:
        raise ImproperlyConfigured("the audit chain needs CTNET_AUDIT_KEY or CTNET_SECRET_KEY")
    return str(settings.AUDIT_KEY).encode()


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    mac = hmac.new(_key(), digestmod=hashlib.sha256)
    mac.update(prev_hash.encode())
    mac.update(_canonical(event))
    return mac.hexdigest()


def head_mac(count: int, last_hash: str) -> str:
    """The head's signature (migration 0003 keeps a frozen copy: change both or neither)."""
    message = f"ctnet-audit-head:{count}:{last_hash}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def head_is_signed(head: AuditHead) -> bool:
    return hmac.compare_digest(head.mac or "", head_mac(head.count, head.last_hash))


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
            id=1, defaults={"last_hash": GENESIS, "count": 0, "mac": head_mac(0, GENESIS)}
        )
        # A head that does not carry its signature was rewritten by someone without the key:
        # the write goes on (an attacker must not be able to stop the platform), but the head
        # stays unsigned, so that appending cannot launder the rewrite; verify reports it.
        signed = head_is_signed(head)
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
        head.mac = head_mac(head.count, head.last_hash) if signed else ""
        head.save(update_fields=["last_hash", "count", "mac"])
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_id: int | None = None
    reason: str = ""
    last_hash: str = GENESIS
    # Every break found, the first one (``reason``) included: a head rewritten *and* rows missing
    # after a checkpoint are two facts for whoever investigates.
    problems: tuple[str, ...] = ()
    checkpoints: int = 0  # signed checkpoints the chain was checked against


@dataclass(frozen=True)
class Checkpoint:
    """The chain's length and last hash at one moment, signed with the audit key.

    Kept outside the database (a file, a print-out, another system), it proves how long the
    chain was: rows deleted later, even with the head put back from an old backup, are named.
    """

    count: int
    last_hash: str
    at: str
    mac: str

    @classmethod
    def signed(cls, count: int, last_hash: str, at: str) -> Checkpoint:
        return cls(count, last_hash, at, checkpoint_mac(count, last_hash, at))

    def is_signed(self) -> bool:
        return hmac.compare_digest(self.mac, checkpoint_mac(self.count, self.last_hash, self.at))

    def line(self) -> str:
        body = {"count": self.count, "last_hash": self.last_hash, "at": self.at, "mac": self.mac}
        return json.dumps(body, sort_keys=True, separators=(",", ":"))


def checkpoint_mac(count: int, last_hash: str, at: str) -> str:
    message = f"ctnet-audit-checkpoint:{count}:{last_hash}:{at}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


class CheckpointFileError(Exception):
    """A checkpoint file that cannot be read at all (missing, unreadable)."""


def read_checkpoints(path: Path) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints of a file, and a problem for every line that is not a signed checkpoint
    (a forged or damaged line is itself evidence, never skipped in silence)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CheckpointFileError(f"{path}: {exc.strerror or exc}") from exc
    found: list[Checkpoint] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
            point = Checkpoint(
                int(data["count"]), str(data["last_hash"]), str(data["at"]), str(data["mac"])
            )
        except (ValueError, KeyError, TypeError):
            problems.append(f"{path}:{number} is not a checkpoint")
            continue
        if point.is_signed():
            found.append(point)
        else:
            problems.append(f"{path}:{number} is not signed with the audit key")
    return found, problems


def append_checkpoint(point: Checkpoint, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(point.line() + "\n")


def make_checkpoint() -> Checkpoint | VerifyResult:
    """A checkpoint of the chain as it is now; the failed check instead if the chain is broken
    (signing a broken chain would vouch for what was done to it)."""
    result = verify_chain()
    if not result.ok:
        return result
    return Checkpoint.signed(result.checked, result.last_hash, timezone.now().isoformat())


def _iter_events(batch: int = 2000) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


def _missing(first: int, last: int) -> str:
    return f"row {last}" if first == last else f"rows {first}-{last}"


def _against_checkpoints(
    checkpoints: Sequence[Checkpoint], checked: int, seen: dict[int, str]
) -> list[str]:
    problems = []
    for point in sorted(checkpoints, key=lambda p: p.count):
        if point.count > checked:
            problems.append(
                f"{_missing(checked + 1, point.count)} missing after checkpoint at "
                f"{point.count} ({point.at})"
            )
            break  # later checkpoints only repeat it with a longer range
        expected = seen.get(point.count, GENESIS)
        if not hmac.compare_digest(expected, point.last_hash):
            problems.append(
                f"row {point.count} is not the one of the checkpoint at {point.count} "
                f"({point.at}): the chain was rewritten up to there"
            )
    return problems


def _against_head(checked: int, last_hash: str) -> list[str]:
    head = AuditHead.objects.filter(id=1).first()
    if head is None:
        if checked:
            return [f"the audit head is missing ({checked} rows in the table)"]
        return ["the audit head is missing and the table is empty: the log was emptied"]
    if not head_is_signed(head):
        return ["the audit head is not signed with the audit key: it was rewritten"]
    if head.count > checked:
        return [f"{_missing(checked + 1, head.count)} missing at the end of the chain"]
    if head.count != checked or head.last_hash != last_hash:
        return [f"the audit head (count {head.count}) does not match the chain's last row"]
    return []


def verify_chain(checkpoints: Sequence[Checkpoint] = ()) -> VerifyResult:
    """Recompute the chain from the first row; report the first row that does not fit, then
    the chain against the signed checkpoints and the signed head (rows missing at the end)."""
    prev = GENESIS
    checked = 0
    wanted = {point.count for point in checkpoints}
    seen: dict[int, str] = {}
    for event in _iter_events():
        if event.prev_hash != prev:
            reason = "previous-hash link broken"
            return VerifyResult(False, checked, event.id, reason, prev, (reason,))
        if not hmac.compare_digest(compute_hash(prev, event), event.row_hash):
            reason = "row content does not match its hash"
            return VerifyResult(False, checked, event.id, reason, prev, (reason,))
        prev = event.row_hash
        checked += 1
        if checked in wanted:
            seen[checked] = prev
    problems = _against_checkpoints(checkpoints, checked, seen) + _against_head(checked, prev)
    if problems:
        return VerifyResult(False, checked, None, problems[0], prev, tuple(problems))
    return VerifyResult(True, checked, last_hash=prev)


def verify_with_checkpoints(path: Path, *, required: bool = False) -> VerifyResult:
    """``verify_chain`` against the checkpoints of a file; a line of it that is not a signed
    checkpoint is a break too. A missing file is none (no checkpoint made yet) unless
    ``required`` (a file named by the operator), then ``CheckpointFileError``."""
    checkpoints: list[Checkpoint] = []
    bad_lines: list[str] = []
    if required or path.exists():
        checkpoints, bad_lines = read_checkpoints(path)
    result = verify_chain(checkpoints)
    problems = (*result.problems, *bad_lines)
    return replace(
        result,
        ok=result.ok and not bad_lines,
        reason=result.reason or (problems[0] if problems else ""),
        problems=problems,
        checkpoints=len(checkpoints),
    )
