"""Fetch helpers of screening: each returns what the user may see or raises.

Wrong role (civil society, platforms, oversight) -> PermissionDenied (403). A watchlist, entry,
hit or notice the user may not see -> Http404, exactly like one that does not exist. Every
opening of an entry or a hit (people named) is written to the audit log here, and so is every
page of a list that names people (the review queue, a list's entries): pages and API call the
same functions, so neither can forget the audit row or page differently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404

from ctnet.core import access as core_access
from ctnet.core import services as core_services
from ctnet.core.models import User
from ctnet.core.policy import acting_org
from ctnet.screening.models import Entry, EntryStatus, Hit, HitNotice, ScreeningRun, Watchlist
from ctnet.screening.policy import policy

T = TypeVar("T", bound=Model)

# What a page of a list's entries loads: what the table shows and the API returns.
ENTRY_ROW_FIELDS = ("pk", "watchlist_id", "ref", "primary_name", "status", "legal_status")


@dataclass(frozen=True)
class Window:
    """Which part of a long list: an API's ``offset`` and ``limit``, or a page's number.

    ``page`` (the raw query parameter) follows Django's ``Paginator.get_page``: not a number ->
    the first page, past the end -> the last one.
    """

    offset: int = 0
    limit: int = 100
    page: str | None = None
    counted: bool = True  # False: the caller knows the total (a run counts its hits)

    @classmethod
    def of_page(cls, number: str | None, size: int) -> Window:
        return cls(0, size, number or "1")


@dataclass
class Paged(Generic[T]):
    items: list[T]
    count: int | None  # in the whole list; None when not counted
    page: Page | None = None  # when asked by page number: what the pager template reads


def _window(query: QuerySet[T], window: Window) -> Paged[T]:
    if not window.counted:
        return Paged(list(query[window.offset : window.offset + window.limit]), None)
    count = query.count()
    if window.page is None:
        return Paged(list(query[window.offset : window.offset + window.limit]), count)
    numbers = Paginator(range(count), window.limit).get_page(window.page)
    start = (numbers.number - 1) * window.limit
    items = list(query[start : start + window.limit])
    return Paged(items, count, Page(items, numbers.number, numbers.paginator))


def require_screening(user: User) -> None:
    if not policy.can_screen(user):
        raise PermissionDenied


def _screening_org_id(user: User) -> int:
    require_screening(user)
    return acting_org(user).pk


def visible_watchlists(user: User) -> QuerySet[Watchlist]:
    require_screening(user)
    return Watchlist.objects.visible_to(user)


def access_watchlist(user: User, watchlist_id: int) -> Watchlist:
    require_screening(user)
    return core_access.access_marked(user, Watchlist, watchlist_id)


def entries_of(user: User, watchlist: Watchlist) -> QuerySet[Entry]:
    """The entries of a list the user sees, or 404 when the owner keeps them to itself."""
    if not policy.can_see_entries(user, watchlist):
        raise Http404
    return Entry.objects.filter(watchlist=watchlist)


def search_entries(
    user: User, watchlist: Watchlist, *, q: str = "", status: str = "", window: Window
) -> Paged[Entry]:
    """A page of a list's entries, by reference; ``q`` a part of the name or the exact
    reference. The page names people: one audit row for it (the ids)."""
    entries = entries_of(user, watchlist).only(*ENTRY_ROW_FIELDS)
    if q:
        entries = entries.filter(Q(primary_name__icontains=q) | Q(ref__iexact=q))
    if status:
        entries = entries.filter(status=status)
    # Paged in the database: a national list can hold 100,000 people.
    paged = _window(entries.order_by("ref"), window)
    ids = [e.pk for e in paged.items]
    if ids:
        core_services.record_read(acting_user=user, obj=watchlist, why=f"entries {ids}")
    return paged


@dataclass(frozen=True)
class EntryCounts:
    active: int = 0
    delisted: int = 0


def entry_counts(watchlist_ids: Sequence[int]) -> dict[int, EntryCounts]:
    """Active and de-listed entries of each list, in one query (no person in it)."""
    found: dict[int, dict[str, int]] = {pk: {} for pk in watchlist_ids}
    rows = (
        Entry.objects.filter(watchlist_id__in=watchlist_ids)
        .values_list("watchlist_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for watchlist_id, status, n in rows:
        found[watchlist_id][status] = n
    return {
        pk: EntryCounts(by.get(EntryStatus.ACTIVE, 0), by.get(EntryStatus.DELISTED, 0))
        for pk, by in found.items()
    }


def access_entry(user: User, entry_id: int) -> Entry:
    entry = (
        Entry.objects.select_related("watchlist__originator")
        .filter(pk=entry_id, watchlist__in=visible_watchlists(user).values("pk"))
        .first()
    )
    if entry is None or not policy.can_see_entries(user, entry.watchlist):
        raise Http404
    core_services.record_read(acting_user=user, obj=entry, why="listed person")
    return entry


def visible_hits(user: User) -> QuerySet[Hit]:
    """Possible matches of the user's own organisation: it screened, it reviews."""
    return Hit.objects.filter(organisation_id=_screening_org_id(user))


def review_queue(
    user: User,
    *,
    statuses: Sequence[str] = (),
    run_id: int | None = None,
    window: Window,
) -> Paged[Hit]:
    """Possible matches, best first, optionally of some statuses and of one run. The page
    shows travellers' names: one audit row for it (the ids)."""
    hits = visible_hits(user).select_related("entry__watchlist__originator", "proposed_by")
    if statuses:
        hits = hits.filter(status__in=statuses)
    if run_id is not None:
        hits = hits.filter(run_id=run_id)
    paged = _window(hits.order_by("-score", "-id"), window)
    if paged.items:
        core_services.record_read(
            acting_user=user,
            obj=paged.items[0],
            why=f"list of hits {[h.pk for h in paged.items]}",
        )
    return paged


def visible_runs(user: User) -> QuerySet[ScreeningRun]:
    return ScreeningRun.objects.filter(organisation_id=_screening_org_id(user))


def access_run(user: User, run_id: int) -> ScreeningRun:
    run = visible_runs(user).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


def access_hit(user: User, hit_id: int) -> Hit:
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


def visible_notices(user: User) -> QuerySet[HitNotice]:
    """Notices the organisation received as list owner or sent as screener."""
    org_id = _screening_org_id(user)
    return HitNotice.objects.filter(Q(owner_id=org_id) | Q(sender_id=org_id))


def access_notice(user: User, notice_id: int) -> HitNotice:
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
