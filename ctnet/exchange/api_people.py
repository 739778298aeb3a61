"""Exchange API: release requests (originator control) and person records with their trail.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from ctnet.core.access import organisations_by_code
from ctnet.exchange import access, presenters, trail
from ctnet.exchange.api import require_exchange
from ctnet.exchange.models import PersonRecord, ReleaseRequest, ReleaseStatus
from ctnet.exchange.policy import policy
from ctnet.exchange.schemas import (
    ConditionsIn,
    PersonCorrectionIn,
    PersonMatchOut,
    PersonOut,
    ReasonIn,
    ReleaseIn,
    ReleaseOut,
    TrailOut,
)
from ctnet.exchange.services import people, releases

router = Router(tags=["exchange"])


class ReleaseFilter(Schema):
    status: ReleaseStatus | None = None
    awaiting_me: bool = False


@router.get("/releases", response=list[ReleaseOut], summary="Release requests, filed or to decide")
@paginate(LimitOffsetPagination)
def list_releases(request: HttpRequest, filters: Query[ReleaseFilter]) -> QuerySet[ReleaseRequest]:
    require_exchange(request.user)
    qs = access.visible_releases(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.awaiting_me:
        org_id = request.user.active_membership.organisation_id  # type: ignore[union-attr]
        qs = qs.filter(status=ReleaseStatus.PENDING, request__originator_id=org_id)
    return qs.order_by("-created_at", "-id")


@router.post("/releases", response={201: ReleaseOut}, summary="Ask the originator to pass it on")
def create_release(request: HttpRequest, payload: ReleaseIn) -> Status:
    require_exchange(request.user)
    obj = access.access_request(request.user, payload.request_id)
    found = organisations_by_code([payload.new_recipient])
    if not found:
        raise ValidationError(_("Name the new recipient organisation."))
    release = releases.file_release(
        acting_user=request.user,  # type: ignore[arg-type]
        request=obj,
        new_recipient=found[0],
        reason=payload.reason,
    )
    return Status(201, release)


@router.post("/releases/{release_id}/approve", response=ReleaseOut)
def approve_release(request: HttpRequest, release_id: int, payload: ConditionsIn) -> ReleaseRequest:
    require_exchange(request.user)
    release = access.access_release(request.user, release_id)
    return releases.approve_release(
        acting_user=request.user,  # type: ignore[arg-type]
        release=release,
        conditions=payload.conditions,
    )


@router.post("/releases/{release_id}/refuse", response=ReleaseOut)
def refuse_release(request: HttpRequest, release_id: int, payload: ReasonIn) -> ReleaseRequest:
    require_exchange(request.user)
    release = access.access_release(request.user, release_id)
    return releases.refuse_release(
        acting_user=request.user,  # type: ignore[arg-type]
        release=release,
        reason=payload.reason,
    )


# --- People ----------------------------------------------------------------------------------


class NameQuery(Schema):
    name: Annotated[str, Field(min_length=2, max_length=200)]


def require_tracer(user: object) -> None:
    if not policy.can_trace_person(user):
        raise PermissionDenied(_("Only the oversight role produces a person's trail."))


@router.get("/people", response=list[PersonMatchOut], summary="Find person records by name")
def search_people(request: HttpRequest, query: Query[NameQuery]) -> list[PersonRecord]:
    require_tracer(request.user)
    found = trail.search_records(query.name)
    for record in found:
        trail.record_trail_view(acting_user=request.user, root_id=record.pk)  # type: ignore[arg-type]
    return found


@router.get("/people/{record_id}", response=PersonOut, summary="A person record (audited)")
def get_person(request: HttpRequest, record_id: int) -> dict:
    require_exchange(request.user)
    return presenters.person(access.access_person(request.user, record_id))


@router.patch("/people/{record_id}", response=PersonOut, summary="Correct (originator only)")
def correct_person(request: HttpRequest, record_id: int, payload: PersonCorrectionIn) -> dict:
    require_exchange(request.user)
    record = access.access_person(request.user, record_id)
    changes = payload.dict(exclude_unset=True)
    record = people.correct_person(acting_user=request.user, record=record, changes=changes)  # type: ignore[arg-type]
    return presenters.person(record)


@router.delete("/people/{record_id}", response={204: None}, summary="Withdraw everywhere")
def withdraw_person(request: HttpRequest, record_id: int, reason: str = "") -> Status:
    require_exchange(request.user)
    record = access.access_person(request.user, record_id)
    people.withdraw_person(acting_user=request.user, record=record, reason=reason[:500])  # type: ignore[arg-type]
    return Status(204, None)


@router.get("/people/{record_id}/trail", response=TrailOut, summary="Everywhere it went")
def person_trail(request: HttpRequest, record_id: int) -> dict:
    require_tracer(request.user)
    found = trail.person_trail(record_id)
    trail.record_trail_view(acting_user=request.user, root_id=found.root_id)  # type: ignore[arg-type]
    return {
        "root_id": found.root_id,
        "recipients": found.recipients,
        "copies": found.copies,
        "reads": found.reads,
        "events": found.events,
    }
