"""What waits for a person in screening: counts for the home page and the menu badge.

Counts only, never a traveller or an entry. Each count is a queryset that core counts with
every other capability's in one query (``core.capabilities.waiting_for``).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import Waiting
from ctnet.screening import access
from ctnet.screening.models import Entry, HitStatus
from ctnet.screening.policy import policy

MENU = "screening"


def screening_waiting(user: Any) -> list[Waiting]:
    if not policy.can_screen(user):
        return []
    org_id = user.active_membership.organisation_id
    hits = access.visible_hits(user)
    # Four eyes: a confirmation another person proposed (``policy.can_second_review``).
    second = hits.filter(status=HitStatus.PROPOSED).exclude(proposed_by_id=user.pk)
    queue = reverse("screening-hits")
    found = [
        Waiting(
            _("Possible matches to review"),
            hits.filter(status=HitStatus.OPEN),
            f"{queue}?status=OPEN",
            MENU,
        ),
        Waiting(
            _("Second reviews waiting for you"),
            second,
            f"{queue}?status=PROPOSED",
            MENU,
        ),
    ]
    if policy.can_create_watchlist(user):
        # A list owner's heads: the hit notices other organisations sent, and the entries of
        # their own lists whose review date has come.
        unread = access.visible_notices(user).filter(owner_id=org_id, acknowledged_at=None)
        found.append(
            Waiting(
                _("Hit notices to acknowledge"),
                unread,
                reverse("screening-notices"),
                MENU,
            )
        )
        due = Entry.objects.filter(access.review_due(), watchlist__originator_id=org_id)
        found.append(
            Waiting(
                _("Watchlist entries due for review"),
                due,
                reverse("screening-watchlists"),
                MENU,
            )
        )
    return found
