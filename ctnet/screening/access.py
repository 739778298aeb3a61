"""Fetch helpers of screening: each returns what the user may see or raises.

Wrong role (civil society, platforms, oversight) -> PermissionDenied (403). A watchlist, entry,
hit or notice the user may not see -> Http404, exactly like one that does not exist. Every
opening of an entry or a hit (people named) is written to the audit log here, and so is every
page of a list that names people (the review queue, a list's entries): pages and API call the
same functions, so neither can forget the audit row or page differently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ctnet.core import access as core_access
from ctnet.core import services as core_services
from ctnet.core.models import User
from ctnet.core.policy import acting_org
from ctnet.screening.models import (
    Entry,
    EntryStatus,
    Hit,
    HitNotice,
    HitStatus,
    ScreeningRun,
    Watchlist,
)
from ctnet.screening.policy import policy

T = TypeVar("T")

# What a page of a list's entries loads: what the table shows and the API returns.
ENTRY_ROW_FIELDS = (
    "pk",
    "watchlist_id",
    "ref",
    "primary_name",
    "status",
    "legal_status",
    "review_date",
)
# What the review queue loads with each hit: the entry, its list and owner, the proposer, and
# the earlier decision that new evidence reopened.
HIT_RELATED = ("entry__watchlist__originator", "proposed_by", "earlier_decision__decided_by")


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


def _window(query: QuerySet[Any, T], window: Window) -> Paged[T]:
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
    due: int = 0  # listed entries whose review date has come


def review_due(today: date | None = None) -> Q:
    """Listed entries whose review date has come (today or earlier): the owner reviews them.
    De-listed entries are not screened, so not due."""
    return Q(status=EntryStatus.ACTIVE, review_date__lte=today or timezone.localdate())


def entry_counts(watchlist_ids: Sequence[int]) -> dict[int, EntryCounts]:
    """Active, de-listed and due entries of each list, in one query (no person in it)."""
    found: dict[int, dict[str, int]] = {pk: {} for pk in watchlist_ids}
    due: dict[int, int] = {}
    rows = (
        Entry.objects.filter(watchlist_id__in=watchlist_ids)
        .values_list("watchlist_id", "status")
        .annotate(n=Count("pk"), due=Count("pk", filter=review_due()))
        .order_by()
    )
    for watchlist_id, status, n, n_due in rows:
        found[watchlist_id][status] = n
        due[watchlist_id] = due.get(watchlist_id, 0) + n_due
    return {
        pk: EntryCounts(
            by.get(EntryStatus.ACTIVE, 0), by.get(EntryStatus.DELISTED, 0), due.get(pk, 0)
        )
        for pk, by in found.items()
    }


def access_owned_watchlist(user: User, watchlist_id: int) -> Watchlist:
    """A list of the user's own organisation, for what only its owner does (review its entries).

    Another organisation's list is a 404 even when that organisation may screen against it;
    a person of the owner without a head's role gets 403.
    """
    watchlist = access_watchlist(user, watchlist_id)
    if watchlist.originator_id != acting_org(user).pk:
        raise Http404
    if not policy.can_manage_watchlist(user, watchlist):
        raise PermissionDenied
    return watchlist


def access_owned_entry(user: User, entry_id: int) -> Entry:
    """An entry of one of the user's own lists (see ``access_owned_watchlist``)."""
    require_screening(user)
    entry = (
        Entry.objects.select_related("watchlist__originator")
        .filter(pk=entry_id, watchlist__originator_id=acting_org(user).pk)
        .first()
    )
    if entry is None:
        raise Http404
    if not policy.can_manage_watchlist(user, entry.watchlist):
        raise PermissionDenied
    return entry


def due_entries(user: User, watchlist: Watchlist, *, window: Window) -> Paged[Entry]:
    """A page of a list's entries due for review, oldest review date first; the page names
    people, so it is audited (the ids). ``watchlist`` comes from ``access_owned_watchlist``."""
    entries = (
        Entry.objects.filter(review_due(), watchlist=watchlist)
        .only(*ENTRY_ROW_FIELDS)
        .order_by("review_date", "ref")
    )
    paged = _window(entries, window)
    ids = [e.pk for e in paged.items]
    if ids:
        core_services.record_read(acting_user=user, obj=watchlist, why=f"entries due {ids}")
    return paged


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


def _queue_hits(user: User, statuses: Sequence[str], run_id: int | None) -> QuerySet[Hit]:
    hits = visible_hits(user)
    if statuses:
        hits = hits.filter(status__in=statuses)
    if run_id is not None:
        # What the run raised, and what it found again and answered: a remembered false
        # positive seen again is counted by the run, not shown with it.
        hits = hits.filter(sightings__run_id=run_id).filter(
            Q(run_id=run_id) | ~Q(status=HitStatus.FALSE_POSITIVE)
        )
    return hits


def _record_hits_read(user: User, hits: Sequence[Hit]) -> None:
    if hits:
        core_services.record_read(
            acting_user=user, obj=hits[0], why=f"list of hits {[h.pk for h in hits]}"
        )


def review_queue(
    user: User,
    *,
    statuses: Sequence[str] = (),
    run_id: int | None = None,
    window: Window,
) -> Paged[Hit]:
    """Possible matches, best first, optionally of some statuses and of one run. The page
    shows travellers' names: one audit row for it (the ids)."""
    hits = _queue_hits(user, statuses, run_id).select_related(*HIT_RELATED)
    paged = _window(hits.order_by("-score", "-id"), window)
    _record_hits_read(user, paged.items)
    return paged


@dataclass
class TravellerGroup:
    """One traveller (one keyed hash of their data) with their possible matches, best first."""

    key: str
    hits: list[Hit] = field(default_factory=list)

    @property
    def traveller(self) -> Hit:
        """The newest hit: whose traveller details the row shows (all carry the same data)."""
        return max(self.hits, key=lambda h: h.pk)


def review_groups(
    user: User,
    *,
    statuses: Sequence[str] = (),
    run_id: int | None = None,
    window: Window,
) -> Paged[TravellerGroup]:
    """The queue by traveller: a page of travellers, best possible match first, each with all
    their possible matches (of the statuses asked). Three queries whatever the page holds (the
    count, the page of travellers, their hits); one audit row lists the hits shown."""
    hits = _queue_hits(user, statuses, run_id)
    travellers = (
        hits.values("traveller_key")
        .annotate(best=Max("score"), newest=Max("pk"))
        .order_by("-best", "-newest")
        .values_list("traveller_key", flat=True)
    )
    paged_keys = _window(travellers, window)
    groups = {key: TravellerGroup(key) for key in paged_keys.items}
    if groups:
        members = hits.filter(traveller_key__in=list(groups)).select_related(*HIT_RELATED)
        for hit in members.order_by("-score", "-id"):
            groups[hit.traveller_key].hits.append(hit)
    _record_hits_read(user, [h for g in groups.values() for h in g.hits])
    items = list(groups.values())
    page = None
    if paged_keys.page is not None:
        page = Page(items, paged_keys.page.number, paged_keys.page.paginator)
    return Paged(items, paged_keys.count, page)


def visible_runs(user: User) -> QuerySet[ScreeningRun]:
    return ScreeningRun.objects.filter(organisation_id=_screening_org_id(user))


def access_run(user: User, run_id: int) -> ScreeningRun:
    run = visible_runs(user).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


def access_hit(user: User, hit_id: int) -> Hit:
    hit = visible_hits(user).select_related(*HIT_RELATED, "run").filter(pk=hit_id).first()
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
