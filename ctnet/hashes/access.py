"""Fetch helpers of the hash banks: each returns what the user may see or raises.

Wrong role (oversight, or not a member) -> PermissionDenied (403). A bank or signal the user may
not see -> Http404, exactly like one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ctnet.core import access as core_access
from ctnet.hashes.models import Bank, Signal
from ctnet.hashes.policy import policy


def require_hashes(user: Any) -> None:
    if not policy.can_use_hashes(user):
        raise PermissionDenied


def visible_banks(user: Any) -> QuerySet[Bank]:
    require_hashes(user)
    return Bank.objects.visible_to(user)


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
    signal = (
        visible_signals(user).select_related("bank", "contributor").filter(pk=signal_id).first()
    )
    if signal is None:
        raise Http404
    return signal
