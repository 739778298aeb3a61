"""Fetch helpers of screening: each returns what the user may see or raises.

Wrong role (civil society, platforms, oversight) -> PermissionDenied (403). A watchlist, entry,
hit or notice the user may not see -> Http404, exactly like one that does not exist. Every
opening of an entry or a hit (people named) is written to the audit log here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ctnet.core import access as core_access
from ctnet.core import services as core_services
from ctnet.screening.models import Entry, Hit, HitNotice, ScreeningRun, Watchlist
from ctnet.screening.policy import policy


def require_screening(user: Any) -> None:
    if not policy.can_screen(user):
        raise PermissionDenied


def _org_id(user: Any) -> int:
    require_screening(user)
    return int(user.active_membership.organisation_id)


def visible_watchlists(user: Any) -> QuerySet[Watchlist]:
    require_screening(user)
    return Watchlist.objects.visible_to(user)


def access_watchlist(user: Any, watchlist_id: int) -> Watchlist:
    require_screening(user)
    return core_access.access_marked(user, Watchlist, watchlist_id)


def entries_of(user: Any, watchlist: Watchlist) -> QuerySet[Entry]:
    """The entries of a list the user sees, or 404 when the owner keeps them to itself."""
    if not policy.can_see_entries(user, watchlist):
        raise Http404
    return Entry.objects.filter(watchlist=watchlist)


def record_entries_read(user: Any, watchlist: Watchlist, entry_ids: list[int]) -> None:
    """A page of a list's entries names people: one audit row for the page (the ids)."""
    if entry_ids:
        core_services.record_read(acting_user=user, obj=watchlist, why=f"entries {entry_ids}")


def access_entry(user: Any, entry_id: int) -> Entry:
    entry = (
        Entry.objects.select_related("watchlist__originator")
        .filter(pk=entry_id, watchlist__in=visible_watchlists(user).values("pk"))
        .first()
    )
    if entry is None or not policy.can_see_entries(user, entry.watchlist):
        raise Http404
    core_services.record_read(acting_user=user, obj=entry, why="listed person")
    return entry


def visible_hits(user: Any) -> QuerySet[Hit]:
    """Possible matches of the user's own organisation: it screened, it reviews."""
    return Hit.objects.filter(organisation_id=_org_id(user))


def visible_runs(user: Any) -> QuerySet[ScreeningRun]:
    return ScreeningRun.objects.filter(organisation_id=_org_id(user))


def access_run(user: Any, run_id: int) -> ScreeningRun:
    run = visible_runs(user).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


def record_hits_read(user: Any, hits: list[Hit]) -> None:
    """A list that shows travellers' names is a read of people too: one row for the page."""
    if hits:
        core_services.record_read(
            acting_user=user, obj=hits[0], why=f"list of hits {[h.pk for h in hits]}"
        )


def access_hit(user: Any, hit_id: int) -> Hit:
    hit = (
        visible_hits(user)
        .select_related("entry__watchlist__originator", "run", "proposed_by")
        .filter(pk=hit_id)
        .first()
    )
    if hit is None:
        raise Http404
    core_services.record_read(acting_user=user, obj=hit, why="traveller")
    return hit


def visible_notices(user: Any) -> QuerySet[HitNotice]:
    """Notices the organisation received as list owner or sent as screener."""
    org_id = _org_id(user)
    return HitNotice.objects.filter(Q(owner_id=org_id) | Q(sender_id=org_id))


def access_notice(user: Any, notice_id: int) -> HitNotice:
    notice = (
        visible_notices(user)
        .select_related("entry__watchlist", "owner", "sender")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        raise Http404
    if notice.traveller:
        core_services.record_read(acting_user=user, obj=notice, why="traveller")
    return notice
