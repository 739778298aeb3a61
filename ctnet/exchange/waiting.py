"""What waits for a person in the exchange: counts for the home page and the menu badge.

Counts only, never a subject: the lists they link to apply the access rules again. Two queries
for every exchange member (deliveries, bulletins), one more for heads (release decisions) and
one for those who review person records, whatever the amount of data.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import Waiting
from ctnet.exchange import access
from ctnet.exchange.models import SETTLED_STATUSES, Delivery, Priority, ReleaseStatus
from ctnet.exchange.policy import policy

MENU = "exchange"


def _deliveries(user: Any, org_id: int) -> list[Waiting]:
    """Urgent incoming requests still open, and overdue ones either way (the inbox's boxes)."""
    now = timezone.now()
    counts = (
        Delivery.objects.filter(request__in=access.visible_requests(user))
        .exclude(status__in=sorted(SETTLED_STATUSES))
        .aggregate(
            urgent=Count("pk", filter=Q(organisation_id=org_id, request__priority=Priority.URGENT)),
            overdue=Count(
                "pk",
                filter=(Q(organisation_id=org_id) | Q(request__originator_id=org_id))
                & Q(deadline__lt=now),
            ),
        )
    )
    inbox = reverse("exchange")
    return [
        Waiting(_("Urgent requests open"), counts["urgent"], f"{inbox}?box=urgent", MENU, True),
        Waiting(_("Requests overdue"), counts["overdue"], f"{inbox}?box=overdue", MENU, True),
    ]


def exchange_waiting(user: Any) -> list[Waiting]:
    if not policy.can_use_exchange(user):
        return []
    membership = user.active_membership
    org_id = membership.organisation_id
    found = _deliveries(user, org_id)
    found.append(
        Waiting(
            _("Bulletins to acknowledge"),
            access.bulletins_to_acknowledge(user).count(),
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
                awaiting.count(),
                reverse("exchange-releases"),
                MENU,
            )
        )
    if policy.can_review_people(user):
        found.append(
            Waiting(
                _("Person records due for review"),
                access.due_people(user).count(),
                reverse("exchange-people-due"),
                MENU,
            )
        )
    return found
