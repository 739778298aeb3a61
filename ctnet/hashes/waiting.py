"""What waits in hash sharing: crisis banks open now, and signals others contributed that the
person's organisation may confirm (the bank owners and the secretariat see pending ones).

Counts only (querysets that core counts with the others in one query); both link to the banks
page that lists them.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import Waiting
from ctnet.hashes import access
from ctnet.hashes.models import CrisisState, SignalStatus
from ctnet.hashes.policy import policy

MENU = "hashes"


def hashes_waiting(user: Any) -> list[Waiting]:
    if not policy.can_use_hashes(user):
        return []
    banks = reverse("hashes-banks")
    crisis = access.visible_banks(user).filter(crisis_state=CrisisState.OPEN)
    found = [Waiting(_("Crisis banks open"), crisis, banks, MENU, urgent=True)]
    if policy.can_contribute_hashes(user):
        # ``policy.can_confirm_signal``: another organisation's signal, pending confirmation.
        pending = (
            access.visible_signals(user)
            .filter(status=SignalStatus.PENDING)
            .exclude(contributor_id=user.active_membership.organisation_id)
        )
        found.append(Waiting(_("Signals to confirm"), pending, banks, MENU))
    return found
