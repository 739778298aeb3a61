"""What waits for a person in the exchange: counts for the home page and the menu badge.

Counts only, never a subject: the lists they link to apply the access rules again. Each count
is a queryset that core counts with every other capability's in one query
(``core.capabilities.waiting_for``).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import Waiting
from ctnet.exchange import access
from ctnet.exchange import inbox as boxes
from ctnet.exchange.models import ReleaseStatus
from ctnet.exchange.policy import policy

MENU = "exchange"


def _deliveries(user: Any) -> list[Waiting]:
    """Urgent incoming requests still open, and overdue ones either way: the inbox's own
    boxes, so the count and the list it links to are the same rows."""
    inbox = reverse("exchange")
    return [
        Waiting(
            _("Urgent requests open"),
            boxes.inbox(user, "urgent"),
            f"{inbox}?box=urgent",
            MENU,
            urgent=True,
        ),
        Waiting(
            _("Requests overdue"),
            boxes.inbox(user, "overdue"),
            f"{inbox}?box=overdue",
            MENU,
            urgent=True,
        ),
    ]


def exchange_waiting(user: Any) -> list[Waiting]:
    if not policy.can_use_exchange(user):
        return []
    membership = user.active_membership
    org_id = membership.organisation_id
    found = _deliveries(user)
    found.append(
        Waiting(
            _("Bulletins to acknowledge"),
            access.bulletins_to_acknowledge(user),
            f"{reverse('exchange-bulletins')}?pending=1",
            MENU,
        )
    )
    if membership.role in policy.EXCHANGE_RELEASE_ROLES:
        # The same rule as ``policy.can_decide_release``: the originator's heads decide.
        awaiting = access.visible_releases(user).filter(
            status=ReleaseStatus.PENDING, originator_id=org_id
        )
        found.append(
            Waiting(
                _("Release requests to decide"),
                awaiting,
                reverse("exchange-releases"),
                MENU,
            )
        )
    if policy.can_review_people(user):
        found.append(
            Waiting(
                _("Person records due for review"),
                access.due_people(user),
                reverse("exchange-people-due"),
                MENU,
            )
        )
    return found
