"""Coordination API: technical-assistance needs, offers, proposed matches.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

from django.db.models import QuerySet
from ninja import Router, Status
from ninja.pagination import paginate

from ctnet.coordination import access, presenters
from ctnet.coordination.api.common import require_coordination
from ctnet.coordination.api.schemas import (
    CloseNeedIn,
    MatchOut,
    NeedIn,
    NeedOut,
    OfferIn,
    OfferOut,
    StartProjectIn,
)
from ctnet.coordination.models import AssistanceNeed, AssistanceOffer
from ctnet.coordination.services import assistance
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.pagination import Pagination

router = Router(tags=["coordination"])


@router.get("/needs", response=list[NeedOut], summary="Technical-assistance needs one may read")
@paginate(Pagination)
def list_needs(
    request: AuthenticatedHttpRequest, topic: str = "", status: str = ""
) -> QuerySet[AssistanceNeed]:
    require_coordination(request.user)
    qs = presenters.needs_with_matches(access.visible_needs(request.user))
    if topic:
        qs = qs.filter(topic=topic)
    if status:
        qs = qs.filter(status=status)
    return qs


@router.post("/needs", response={201: NeedOut}, summary="Record a need (matches are proposed)")
def create_need(request: AuthenticatedHttpRequest, payload: NeedIn) -> Status:
    require_coordination(request.user)
    need = assistance.record_need(acting_user=request.user, data=payload.dict())
    return Status(201, presenters.need_detail(access.access_need(request.user, need.pk)))


@router.get("/needs/{need_id}", response=NeedOut, summary="A need with its proposed matches")
def get_need(request: AuthenticatedHttpRequest, need_id: int) -> dict:
    return presenters.need_detail(access.access_need(request.user, need_id))


@router.post("/needs/{need_id}/close", response=NeedOut, summary="Close: the assistance reported")
def close_need(request: AuthenticatedHttpRequest, need_id: int, payload: CloseNeedIn) -> dict:
    need = access.access_need(request.user, need_id)
    assistance.close_need(acting_user=request.user, need=need, report=payload.report)
    return presenters.need_detail(access.access_need(request.user, need_id))


@router.get("/offers", response=list[OfferOut], summary="Offers of assistance")
@paginate(Pagination)
def list_offers(request: AuthenticatedHttpRequest, topic: str = "") -> QuerySet[AssistanceOffer]:
    require_coordination(request.user)
    qs = access.visible_offers(request.user).select_related("organisation")
    return qs.filter(topic=topic) if topic else qs


@router.post("/offers", response={201: OfferOut}, summary="Offer capacity to assist")
def create_offer(request: AuthenticatedHttpRequest, payload: OfferIn) -> Status:
    require_coordination(request.user)
    offer = assistance.record_offer(acting_user=request.user, data=payload.dict())
    return Status(201, presenters.offer_detail(offer))


@router.post(
    "/matches/{match_id}/project",
    response={201: MatchOut},
    summary="Start the monitoring project that delivers an accepted match",
)
def start_project(
    request: AuthenticatedHttpRequest, match_id: int, payload: StartProjectIn
) -> Status:
    match = access.access_match(request.user, match_id)
    assistance.start_project(acting_user=request.user, match=match, data=payload.dict())
    return Status(201, presenters.match_detail(match))


@router.post("/matches/{match_id}/accept", response=MatchOut, summary="Accept a proposed match")
def accept_match(request: AuthenticatedHttpRequest, match_id: int) -> dict:
    match = access.access_match(request.user, match_id)
    assistance.accept_match(acting_user=request.user, match=match)
    return presenters.match_detail(match)
