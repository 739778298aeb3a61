"""Screening API: watchlists and their imports, screening (JSON or passenger list), the review
queue of possible matches, notices to list owners.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from datetime import date
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ctnet.core.access import organisations_by_code
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.markings import TLP
from ctnet.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, Pagination
from ctnet.screening import access
from ctnet.screening.engine.csvio import parse_dob, parse_nationality
from ctnet.screening.engine.model import BadRow, Traveller
from ctnet.screening.models import (
    Channel,
    EntryLegalStatus,
    EntryStatus,
    HitStatus,
    ListSource,
    Outcome,
    Purpose,
)
from ctnet.screening.policy import policy
from ctnet.screening.presenters import (
    bad_rows_dicts,
    entry_dict,
    import_dict,
    marking_dict,
    marking_header,
    notice_dict,
    notice_row_dict,
    review_dict,
    run_detail_dict,
    run_dict,
    watchlist_dict,
)
from ctnet.screening.reports import screening_stats
from ctnet.screening.review_presenters import (
    due_entry_dict,
    review_hit_dict,
    screening_answer_dict,
    sighting_dict,
    traveller_group_dict,
)
from ctnet.screening.services import entry_reviews, review, watchlists
from ctnet.screening.services.runs import RateLimited, screen_travellers
from ctnet.screening.uploads import UploadRefused, read_passenger_list

router = Router(tags=["screening"])

Reason = Annotated[str, Field(max_length=2000)]


class WatchlistIn(Schema):
    name: Annotated[str, Field(max_length=200)]
    source: ListSource = ListSource.NATIONAL
    legal_basis: Annotated[str, Field(max_length=500)]
    purpose: Annotated[str, Field(max_length=500)]
    description: Annotated[str, Field(max_length=4000)] = ""
    tlp: TLP = TLP.AMBER
    recipients: list[Annotated[str, Field(max_length=32)]] = []
    entries_visible: bool = True
    default_legal_status: EntryLegalStatus = EntryLegalStatus.SUSPECT
    hit_retention_days: Annotated[int, Field(ge=1, le=3650)] = 730
    review_days: Annotated[int, Field(ge=1, le=3650)] = 365
    # H0-H3; H3 needs its restriction stated in handling_note.
    handling: list[Annotated[str, Field(max_length=4)]] = []
    handling_note: Annotated[str, Field(max_length=500)] = ""


class MarkingIn(Schema):
    tlp: TLP
    handling: list[Annotated[str, Field(max_length=4)]] = []
    # The owner's to change; a reader who raises keeps the owner's note.
    handling_note: Annotated[str, Field(max_length=500)] | None = None


class TravellerIn(Schema):
    id: Annotated[str, Field(max_length=64)] = ""
    name: Annotated[str, Field(max_length=300)]
    dob: Annotated[str, Field(max_length=10)] = ""
    nationality: Annotated[str, Field(max_length=3)] = ""
    document: Annotated[str, Field(max_length=64)] = ""


class ScreenIn(Schema):
    traveller: TravellerIn | None = None
    travellers: list[TravellerIn] = []
    purpose: Purpose
    threshold: Annotated[float, Field(ge=0.5, le=1.0)] | None = None
    watchlists: list[int] = []


class EntryQuery(Schema):
    q: Annotated[str, Field(max_length=100)] = ""
    status: EntryStatus | None = None
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0


class HitQuery(Schema):
    status: HitStatus | None = None
    run: int | None = None
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0


class DueQuery(Schema):
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0


class EntryReviewIn(Schema):
    # None: the list's own review period from today.
    review_date: date | None = None


class DecisionIn(Schema):
    outcome: Outcome
    reason: Reason
    notify_owner: bool = False
    disseminate: bool = False


class SecondReviewIn(Schema):
    approve: bool
    reason: Reason


def _screen(request: AuthenticatedHttpRequest, **kwargs: Any) -> dict[str, Any]:
    try:
        result = screen_travellers(acting_user=request.user, **kwargs)
    except RateLimited:
        raise HttpError(
            429, _("You have screened your hourly allowance of travellers. Try again later.")
        ) from None
    return screening_answer_dict(result, request.user)


# --- Watchlists ------------------------------------------------------------------------------


@router.get("/watchlists", response=list[dict[str, Any]], summary="Watchlists you may screen")
@paginate(Pagination)
def list_watchlists(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    lists = access.visible_watchlists(request.user).select_related("originator")
    return [watchlist_dict(w, request.user) for w in lists]


@router.post("/watchlists", response={201: dict}, summary="Create a watchlist")
def create_watchlist(request: AuthenticatedHttpRequest, payload: WatchlistIn) -> Status:
    access.require_screening(request.user)
    data = payload.dict()
    data["recipients"] = organisations_by_code(data["recipients"])
    watchlist = watchlists.create_watchlist(acting_user=request.user, **data)
    return Status(201, watchlist_dict(watchlist, request.user))


@router.get("/watchlists/{watchlist_id}", summary="One watchlist with its entry counts")
def get_watchlist(request: AuthenticatedHttpRequest, watchlist_id: int) -> dict[str, Any]:
    watchlist = access.access_watchlist(request.user, watchlist_id)
    counts = access.entry_counts([watchlist.pk])[watchlist.pk]
    entries = {"active": counts.active, "delisted": counts.delisted}
    if policy.can_manage_watchlist(request.user, watchlist):
        entries["due_for_review"] = counts.due
    return {**watchlist_dict(watchlist, request.user), "entries": entries}


@router.post(
    "/watchlists/{watchlist_id}/marking",
    summary="Raise (anyone who screens against it) or lower (the owner) a list's marking",
)
def change_marking(
    request: AuthenticatedHttpRequest, watchlist_id: int, payload: MarkingIn
) -> dict[str, Any]:
    watchlist = access.access_watchlist(request.user, watchlist_id)
    watchlist = watchlists.change_watchlist_marking(
        acting_user=request.user,
        watchlist=watchlist,
        tlp=payload.tlp,
        handling=payload.handling,
        handling_note=payload.handling_note,
    )
    return watchlist_dict(watchlist, request.user)


@router.post(
    "/watchlists/{watchlist_id}/import",
    response={201: dict},
    summary="Import a whole edition (UN XML or CSV id,name,aliases,dob,nationality)",
)
def import_watchlist(
    request: AuthenticatedHttpRequest, watchlist_id: int, file: File[UploadedFile]
) -> Status:
    watchlist = access.access_watchlist(request.user, watchlist_id)
    job = watchlists.import_watchlist(
        acting_user=request.user, watchlist=watchlist, data=file.read(), file_name=file.name or ""
    )
    return Status(201, import_dict(job))


@router.get("/watchlists/{watchlist_id}/imports", summary="Imports of a list and what changed")
def list_imports(request: AuthenticatedHttpRequest, watchlist_id: int) -> dict[str, Any]:
    watchlist = access.access_watchlist(request.user, watchlist_id)
    if not policy.can_see_entries(request.user, watchlist):
        raise PermissionDenied
    jobs = list(watchlist.imports.all()[:50])
    return {"items": [import_dict(j) for j in jobs], "count": len(jobs)}


@router.get(
    "/watchlists/{watchlist_id}/entries",
    summary="Entries of a list, where the owner shows them (the page read is audited)",
)
def list_entries(
    request: AuthenticatedHttpRequest,
    watchlist_id: int,
    query: Query[EntryQuery],
    response: HttpResponse,
) -> dict[str, Any]:
    watchlist = access.access_watchlist(request.user, watchlist_id)
    # The page of names returned is what the audit row lists.
    paged = access.search_entries(
        request.user,
        watchlist,
        q=query.q,
        status=query.status or "",
        window=access.Window(query.offset, query.limit),
    )
    return _marked(response, watchlist, [due_entry_dict(e) for e in paged.items], paged.count)


@router.get(
    "/watchlists/{watchlist_id}/entries/due",
    summary="Entries of your own list whose review date has come (owner only; audited)",
)
def list_due_entries(
    request: AuthenticatedHttpRequest,
    watchlist_id: int,
    query: Query[DueQuery],
    response: HttpResponse,
) -> dict[str, Any]:
    watchlist = access.access_owned_watchlist(request.user, watchlist_id)
    paged = access.due_entries(
        request.user, watchlist, window=access.Window(query.offset, query.limit)
    )
    return _marked(response, watchlist, [due_entry_dict(e) for e in paged.items], paged.count)


@router.get("/entries/{entry_id}", summary="One listed person or entity (read is audited)")
def get_entry(
    request: AuthenticatedHttpRequest, entry_id: int, response: HttpResponse
) -> dict[str, Any]:
    entry = access.access_entry(request.user, entry_id)
    response["X-Marking"] = marking_header(entry.watchlist)
    return {**entry_dict(entry), "handling": marking_dict(entry.watchlist)}


def _marked(
    response: HttpResponse, watchlist: Any, items: list[dict[str, Any]], count: int | None
) -> dict[str, Any]:
    """A page of entries carries its list's marking: the header and a ``handling`` field."""
    response["X-Marking"] = marking_header(watchlist)
    return {"items": items, "count": count, "handling": marking_dict(watchlist)}


@router.post(
    "/entries/{entry_id}/review",
    summary="Mark an entry of your own list reviewed: its next review date (owner only)",
)
def review_entry(
    request: AuthenticatedHttpRequest, entry_id: int, payload: EntryReviewIn
) -> dict[str, Any]:
    entry = access.access_owned_entry(request.user, entry_id)
    entry = entry_reviews.mark_entry_reviewed(
        acting_user=request.user, entry=entry, review_date=payload.review_date
    )
    return due_entry_dict(entry)


# --- Screening -------------------------------------------------------------------------------


def _travellers(items: list[TravellerIn]) -> tuple[list[Traveller], list[BadRow]]:
    good: list[Traveller] = []
    bad: list[BadRow] = []
    for position, item in enumerate(items, start=1):
        try:
            if not item.name.strip():
                raise ValueError("name is required")
            good.append(
                Traveller(
                    traveller_id=item.id.strip() or str(position),
                    name=item.name.strip(),
                    dob=parse_dob(item.dob),
                    nationality=parse_nationality(item.nationality),
                    document=item.document.strip() or None,
                )
            )
        except ValueError as exc:
            bad.append(BadRow(position, str(exc)))
    return good, bad


@router.post(
    "/screen",
    response={200: dict, 400: dict},
    summary="Screen one traveller or a batch; possible matches with their evidence",
    description=(
        "Travellers with no possible match are not kept anywhere. Bad rows are listed by their "
        "position (`line`, from 1) and the good ones are screened."
    ),
)
def screen(request: AuthenticatedHttpRequest, payload: ScreenIn) -> Any:
    access.require_screening(request.user)
    items = ([payload.traveller] if payload.traveller else []) + payload.travellers
    if not items:
        raise HttpError(400, _("Send a traveller or a list of travellers."))
    travellers, bad = _travellers(items)
    if not travellers:
        return Status(
            400, {"detail": _("No traveller could be read."), "bad_rows": bad_rows_dicts(bad)}
        )
    return _screen(
        request,
        travellers=travellers,
        bad=bad,
        channel=Channel.API,
        purpose=payload.purpose,
        threshold=payload.threshold,
        watchlist_ids=payload.watchlists,
    )


@router.post(
    "/screen/upload",
    response={200: dict, 400: dict},
    summary="Screen a passenger list: CSV (id,name,dob,nationality,document) or PAXLST",
)
def screen_upload(
    request: AuthenticatedHttpRequest,
    file: File[UploadedFile],
    purpose: Form[Purpose],
    threshold: Form[float | None] = None,
) -> Any:
    access.require_screening(request.user)
    try:
        passengers = read_passenger_list(file.read(), file.name or "")
    except UploadRefused as exc:
        raise HttpError(exc.status, exc.message) from None
    if not passengers.travellers:
        return Status(
            400,
            {
                "detail": _("No traveller could be read."),
                "bad_rows": bad_rows_dicts(passengers.bad),
            },
        )
    return _screen(
        request,
        travellers=passengers.travellers,
        bad=passengers.bad,
        channel=passengers.channel,
        purpose=purpose,
        threshold=threshold,
        source_name=file.name or "",
        flight=passengers.flight,
    )


@router.get("/runs", response=list[dict[str, Any]], summary="Screening runs of your organisation")
@paginate(Pagination)
def list_runs(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    return [{**run_dict(r), "seen_again": r.seen_again} for r in access.visible_runs(request.user)]


@router.get("/runs/{run_id}", summary="One screening run: counts, flight facts, lists screened")
def get_run(request: AuthenticatedHttpRequest, run_id: int) -> dict[str, Any]:
    run = access.access_run(request.user, run_id)
    return {**run_detail_dict(run), "seen_again": run.seen_again}


# --- Review ----------------------------------------------------------------------------------


@router.get("/hits", summary="Possible matches to review (the page read is audited)")
def list_hits(request: AuthenticatedHttpRequest, query: Query[HitQuery]) -> dict[str, Any]:
    # Paged by the access function rather than by the pagination decorator, so that exactly
    # the page of travellers returned is what the audit row lists.
    paged = access.review_queue(
        request.user,
        statuses=(query.status,) if query.status else (),
        run_id=query.run or None,
        window=access.Window(query.offset, query.limit),
    )
    return {
        "items": [review_hit_dict(h, request.user) for h in paged.items],
        "count": paged.count,
    }


@router.get(
    "/queue",
    summary="The review queue by traveller: one item per traveller with their possible matches",
    description=(
        "`count` counts travellers; `limit` and `offset` page travellers, each with all their "
        "possible matches of the status asked, best first (the page read is audited)."
    ),
)
def review_queue(request: AuthenticatedHttpRequest, query: Query[HitQuery]) -> dict[str, Any]:
    paged = access.review_groups(
        request.user,
        statuses=(query.status,) if query.status else (),
        run_id=query.run or None,
        window=access.Window(query.offset, query.limit),
    )
    return {
        "items": [traveller_group_dict(g, request.user) for g in paged.items],
        "count": paged.count,
    }


@router.get("/hits/{hit_id}", summary="One possible match with its evidence and review trail")
def get_hit(request: AuthenticatedHttpRequest, hit_id: int) -> dict[str, Any]:
    hit = access.access_hit(request.user, hit_id)
    trail = hit.reviews.select_related("user")
    return {
        **review_hit_dict(hit, request.user),
        "reviews": [review_dict(r) for r in trail],
        "sightings": [sighting_dict(s) for s in hit.sightings.all()],
    }


@router.post("/hits/{hit_id}/decision", summary="Decide: confirmed (proposed), false positive...")
def decide(request: AuthenticatedHttpRequest, hit_id: int, payload: DecisionIn) -> dict[str, Any]:
    hit = access.access_hit(request.user, hit_id)
    hit = review.decide(acting_user=request.user, hit=hit, **payload.dict())
    return review_hit_dict(hit, request.user)


@router.post("/hits/{hit_id}/second-review", summary="Four eyes: approve or send back")
def second_review(
    request: AuthenticatedHttpRequest, hit_id: int, payload: SecondReviewIn
) -> dict[str, Any]:
    hit = access.access_hit(request.user, hit_id)
    hit = review.second_review(acting_user=request.user, hit=hit, **payload.dict())
    return review_hit_dict(hit, request.user)


@router.get("/notices", response=list[dict[str, Any]], summary="Notices received or sent")
@paginate(Pagination)
def list_notices(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    notices = access.visible_notices(request.user).select_related(
        "entry__watchlist", "owner", "sender"
    )
    return [notice_row_dict(n) for n in notices]


@router.get("/notices/{notice_id}", summary="One notice (read of traveller details is audited)")
def get_notice(request: AuthenticatedHttpRequest, notice_id: int) -> dict[str, Any]:
    return notice_dict(access.access_notice(request.user, notice_id))


@router.post("/notices/{notice_id}/acknowledge", summary="Acknowledge a notice (list owner)")
def acknowledge(request: AuthenticatedHttpRequest, notice_id: int) -> dict[str, Any]:
    notice = access.access_notice(request.user, notice_id)
    notice = review.acknowledge_notice(acting_user=request.user, notice=notice)
    return notice_dict(notice)


@router.get("/stats", summary="Counts of runs, travellers and decisions (no person in them)")
def stats(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    if not policy.can_see_screening_stats(request.user):
        raise PermissionDenied
    return screening_stats(request.user)
