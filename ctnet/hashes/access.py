"""Fetch helpers of the hash banks: each returns what the user may see or raises.

Wrong role (oversight, or not a member) -> PermissionDenied (403). A bank or signal the user may
not see -> Http404, exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ctnet.core import access as core_access
from ctnet.core import audit
from ctnet.core.markings import AUDITED_READ_TLP
from ctnet.hashes.models import Bank, Signal
from ctnet.hashes.policy import policy


def require_hashes(user: Any) -> None:
    if not policy.can_use_hashes(user):
        raise PermissionDenied


def visible_banks(user: Any) -> QuerySet[Bank]:
    require_hashes(user)
    return Bank.objects.visible_to(user)


def feed_banks(user: Any) -> list[int]:
    """Banks whose signals the platform feed gives this user: visible banks, less the H2
    banks (no onward sharing without the owner's permission) it was not named in.

    The feed is a copy: a platform loads it into its own index and systems. An H2 bank reaches
    the feed of its owner and of the organisations the owner shared it with by name, never an
    organisation that sees it only because it is GREEN or CLEAR; those still match against it
    and read it here.
    """
    membership = policy.membership(user)
    rows = list(visible_banks(user).values_list("pk", "handling", "originator_id"))
    if membership is None:
        return []
    org_id = membership.organisation_id
    restricted = [pk for pk, handling, owner in rows if "H2" in handling and owner != org_id]
    named = set(
        Bank.recipient_orgs.through.objects.filter(
            bank_id__in=restricted, organisation_id=org_id
        ).values_list("bank_id", flat=True)
    )
    return [pk for pk, _h, _o in rows if pk not in restricted or pk in named]


def visible_signals(user: Any) -> QuerySet[Signal]:
    """Signals in banks the user sees, filtered by status through the policy."""
    q = policy.hash_signal_q(user)
    if q is None:
        raise PermissionDenied
    return Signal.objects.filter(q, bank__in=visible_banks(user).values("pk"))


def access_bank(user: Any, bank_id: int) -> Bank:
    require_hashes(user)
    # Through the core helper, so that opening an AMBER/RED bank is audited like any other read.
    return core_access.access_marked(user, Bank, bank_id)


def access_signal(user: Any, signal_id: int) -> Signal:
    """A signal the user may see, or 404; one of an AMBER bank is an audited read."""
    signal = (
        visible_signals(user).select_related("bank", "contributor").filter(pk=signal_id).first()
    )
    if signal is None:
        raise Http404
    record_reads(user, [(signal.pk, signal.bank.tlp)], object_type="hashes.signal", why="signal")
    return signal


def record_reads(
    user: Any, shown: Iterable[tuple[int, str]], *, object_type: str, why: str
) -> None:
    """AMBER material shown (signals, banks): one audit row for the page or answer, with the
    ids of what was marked AMBER or above — never a value, label or name. ``shown`` is
    (id, TLP of the bank) for each row shown; CLEAR and GREEN rows leave no row."""
    ids = [pk for pk, tlp in shown if tlp in AUDITED_READ_TLP]
    if not ids:
        return
    audit.record(  # atomic on its own: the row and the chain head move together
        "read",
        actor=user,
        object_type=object_type,
        object_id=str(ids[0]) if len(ids) == 1 else "",
        detail={"why": why, "ids": ids[:500], "count": len(ids)},
    )
