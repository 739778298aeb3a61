"""What waits for a person in screening: counts for the home page and the menu badge.

Counts only, never a traveller or an entry. One query over the organisation's possible matches
and one over the notices it received; the heads who own lists one more for their entries due
for review: bounded whatever the amount of data.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
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
    hits = access.visible_hits(user).aggregate(
        open=Count("pk", filter=Q(status=HitStatus.OPEN)),
        # Four eyes: a confirmation another person proposed (``policy.can_second_review``).
        second=Count("pk", filter=Q(status=HitStatus.PROPOSED) & ~Q(proposed_by_id=user.pk)),
    )
    queue = reverse("screening-hits")
    found = [
        Waiting(_("Possible matches to review"), hits["open"], f"{queue}?status=OPEN", MENU),
        Waiting(
            _("Second reviews waiting for you"),
            hits["second"],
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
                unread.count(),
                reverse("screening-notices"),
                MENU,
            )
        )
        due = Entry.objects.filter(access.review_due(), watchlist__originator_id=org_id)
        found.append(
            Waiting(
                _("Watchlist entries due for review"),
                due.count(),
                reverse("screening-watchlists"),
                MENU,
            )
        )
    return found
