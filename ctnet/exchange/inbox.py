"""The inbox lists shared by pages and API: one query each, whatever the page size."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ctnet.exchange.access import visible_requests
from ctnet.exchange.models import SETTLED_STATUSES, Delivery, Priority
from ctnet.exchange.policy import policy

# "urgent": incoming urgent requests not yet answered, refused or closed (overdue or not) —
# the list behind the home page's count of urgent requests.
BOXES = ("incoming", "outgoing", "overdue", "urgent")


def inbox(user: Any, box: str) -> QuerySet[Delivery]:
    """Deliveries in one box of the user's organisation (one request, one recipient each)."""
    if not policy.can_use_exchange(user) or box not in BOXES:
        return Delivery.objects.none()
    org_id = user.active_membership.organisation_id
    qs = (
        Delivery.objects.filter(request__in=visible_requests(user))
        .select_related("request", "request__originator", "organisation")
        # A list row shows the subject and markings; the long texts stay in the database.
        .defer("request__body", "request__source_details_enc", "request__release_conditions")
    )
    if box == "incoming":
        qs = qs.filter(organisation_id=org_id)
    elif box == "outgoing":
        qs = qs.filter(request__originator_id=org_id)
    elif box == "urgent":
        qs = qs.filter(organisation_id=org_id, request__priority=Priority.URGENT).exclude(
            status__in=sorted(SETTLED_STATUSES)
        )
    else:
        qs = qs.filter(
            Q(organisation_id=org_id) | Q(request__originator_id=org_id),
            deadline__lt=timezone.now(),
        ).exclude(status__in=sorted(SETTLED_STATUSES))
    return qs.order_by("-request__created_at", "-request_id", "organisation__code")
