"""Exchange API: person records on requests and bulletins, and the oversight trail.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.pagination import PageParams, Pagination, page_of
from ctnet.exchange import access, presenters, trail
from ctnet.exchange.api.common import require_exchange, require_reviewer, require_tracer
from ctnet.exchange.api.schemas import (
    DuePeopleOut,
    NameQuery,
    PersonCorrectionIn,
    PersonIn,
    PersonMatchOut,
    PersonOut,
    PersonReviewIn,
    TrailOut,
)
from ctnet.exchange.models import PersonRecord
from ctnet.exchange.services import people

router = Router(tags=["exchange"])


@router.post(
    "/requests/{request_id}/people",
    response={201: PersonOut},
    operation_id="ctnet_exchange_api_add_person",
)
def add_person(request: AuthenticatedHttpRequest, request_id: int, payload: PersonIn) -> Status:
    obj = access.read_request(request.user, request_id)
    record = people.attach_person(
        acting_user=request.user, material=obj, cleaned=people.clean_person(payload.dict())
    )
    return Status(201, presenters.person(record))


@router.get(
    "/people",
    response=list[PersonMatchOut],
    summary="Find person records by name",
    operation_id="ctnet_exchange_api_people_search_people",
)
@paginate(Pagination)
def search_people(request: AuthenticatedHttpRequest, query: Query[NameQuery]) -> list[PersonRecord]:
    require_tracer(request.user)
    found = trail.search_records(query.name)
    for record in found:
        trail.record_trail_view(acting_user=request.user, root_id=record.pk)
    return found


@router.get(
    "/people/due",
    response=DuePeopleOut,
    summary="Your organisation's person records whose review date has come (audited)",
    operation_id="ctnet_exchange_api_people_due_people",
)
def due_people(request: AuthenticatedHttpRequest, page: Query[PageParams]) -> dict:
    require_reviewer(request.user)
    served = page_of(access.due_people(request.user), page)
    access.record_due_read(request.user, served["items"])
    return {"items": [presenters.person(r) for r in served["items"]], "count": served["count"]}


@router.post(
    "/people/{record_id}/review",
    response=PersonOut,
    summary="Mark reviewed: the next review date, optionally a new legal status (originator)",
    operation_id="ctnet_exchange_api_people_review_person",
)
def review_person(
    request: AuthenticatedHttpRequest, record_id: int, payload: PersonReviewIn
) -> dict:
    require_reviewer(request.user)
    # A reader who is not the originator sees the record, so the service's refusal is a 403
    # (as for a correction); a record the user may not see is a 404.
    record = access.access_person(request.user, record_id)
    record = people.mark_person_reviewed(
        acting_user=request.user,
        record=record,
        review_date=payload.review_date,
        legal_status=payload.legal_status,
    )
    return presenters.person(record)


@router.get(
    "/people/{record_id}",
    response=PersonOut,
    summary="A person record (audited)",
    operation_id="ctnet_exchange_api_people_get_person",
)
def get_person(request: AuthenticatedHttpRequest, record_id: int) -> dict:
    require_exchange(request.user)
    return presenters.person(access.access_person(request.user, record_id))


@router.patch(
    "/people/{record_id}",
    response=PersonOut,
    summary="Correct (originator only)",
    operation_id="ctnet_exchange_api_people_correct_person",
)
def correct_person(
    request: AuthenticatedHttpRequest, record_id: int, payload: PersonCorrectionIn
) -> dict:
    require_exchange(request.user)
    record = access.access_person(request.user, record_id)
    changes = payload.dict(exclude_unset=True)
    record = people.correct_person(acting_user=request.user, record=record, changes=changes)
    return presenters.person(record)


@router.delete(
    "/people/{record_id}",
    response={204: None},
    summary="Withdraw everywhere",
    operation_id="ctnet_exchange_api_people_withdraw_person",
)
def withdraw_person(request: AuthenticatedHttpRequest, record_id: int, reason: str = "") -> Status:
    require_exchange(request.user)
    record = access.access_person(request.user, record_id)
    people.withdraw_person(acting_user=request.user, record=record, reason=reason[:500])
    return Status(204, None)


@router.get(
    "/people/{record_id}/trail",
    response=TrailOut,
    summary="Everywhere it went",
    operation_id="ctnet_exchange_api_people_person_trail",
)
def person_trail(request: AuthenticatedHttpRequest, record_id: int) -> dict:
    require_tracer(request.user)
    found = trail.person_trail(record_id)
    trail.record_trail_view(acting_user=request.user, root_id=found.root_id)
    return {
        "root_id": found.root_id,
        "recipients": found.recipients,
        "copies": found.copies,
        "reads": found.reads,
        "events": found.events,
    }
