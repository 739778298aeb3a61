"""The owner's review of its listed entries (DESIGN rule 3: every record about a person carries
a review date, and the date acts).

An entry whose review date has come is listed for its owner (``access.due_entries``) and the
owner's heads are reminded (``reminders``). Watchlist entries otherwise change only by import;
marking an entry reviewed changes its review date and nothing else, audited. An import sets the
review date of every entry in the edition to the import's date plus the list's ``review_days``
(the edition re-confirms them), which replaces a date set by hand: the later act wins.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.models import User
from ctnet.screening.models import Entry, EntryStatus, Watchlist
from ctnet.screening.policy import policy


def _new_review_date(watchlist: Watchlist, review_date: date | None, today: date) -> date:
    """By default the list's own period from today; a chosen date lies between tomorrow and
    that period (the owner's legal basis fixes how long a listing goes unreviewed)."""
    latest = today + timedelta(days=watchlist.review_days)
    if review_date is None:
        return latest
    if not today < review_date <= latest:
        raise ValidationError(
            _("The next review date is after today and at most %(days)d days ahead (%(latest)s).")
            % {"days": watchlist.review_days, "latest": latest.isoformat()}
        )
    return review_date


def mark_entry_reviewed(
    *, acting_user: User, entry: Entry, review_date: date | None = None
) -> Entry:
    """The owner reviewed a listed entry: its next review date moves on (audited)."""
    if not policy.can_manage_watchlist(acting_user, entry.watchlist):
        raise PermissionDenied(_("Only the owning organisation's heads review a list's entries."))
    today = timezone.localdate()
    with transaction.atomic():
        locked = (
            Entry.objects.select_for_update(of=("self",))
            .select_related("watchlist")
            .get(pk=entry.pk)
        )
        if locked.status != EntryStatus.ACTIVE:
            raise ValidationError(_("A de-listed entry is not reviewed: it is no longer screened."))
        new_date = _new_review_date(locked.watchlist, review_date, today)
        previous = locked.review_date
        locked.review_date = new_date
        locked.save(update_fields=["review_date"])
        audit.record(
            "screening.entry.review",
            actor=acting_user,
            obj=locked,
            detail={
                "watchlist": locked.watchlist_id,
                "from": previous.isoformat() if previous else None,
                "to": new_date.isoformat(),
            },
        )
    return locked


def due_by_owner(today: date | None = None) -> dict[int, int]:
    """How many listed entries are due for review, per owning organisation (counts only)."""
    today = today or timezone.localdate()
    rows = (
        Entry.objects.filter(status=EntryStatus.ACTIVE, review_date__lte=today)
        .values_list("watchlist__originator_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)
