"""Exchange API: bulletins and alerts, acknowledgements, STIX export, and the sharing groups
that a bulletin may be addressed to.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from ctnet.core.access import organisations_by_code
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.pagination import Pagination
from ctnet.exchange import access, presenters
from ctnet.exchange.api.common import require_exchange
from ctnet.exchange.api.schemas import (
    AckOut,
    BulletinIn,
    BulletinOut,
    BulletinRowOut,
    GroupIn,
    GroupOut,
)
from ctnet.exchange.models import Bulletin, SharingGroup
from ctnet.exchange.services import bulletins

router = Router(tags=["exchange"])


@router.get(
    "/bulletins",
    response=list[BulletinRowOut],
    summary="Bulletins addressed to you",
    operation_id="ctnet_exchange_api_bulletins_list_bulletins",
)
@paginate(Pagination)
def list_bulletins(request: AuthenticatedHttpRequest) -> QuerySet[Bulletin]:
    require_exchange(request.user)
    return access.visible_bulletins(request.user).select_related("originator")


@router.post(
    "/bulletins",
    response={201: BulletinOut},
    summary="Publish a bulletin or alert",
    operation_id="ctnet_exchange_api_bulletins_create_bulletin",
)
def create_bulletin(request: AuthenticatedHttpRequest, payload: BulletinIn) -> Status:
    require_exchange(request.user)
    group = None
    if payload.sharing_group_id is not None:
        group = access.access_group(request.user, payload.sharing_group_id)
    b = bulletins.publish_bulletin(
        acting_user=request.user,
        data=payload.dict(exclude={"indicators", "people", "sharing_group_id"}),
        group=group,
        indicators=[i.dict() for i in payload.indicators],
        people=[p.dict() for p in payload.people],
    )
    return Status(201, presenters.bulletin_detail(request.user, b))


@router.get(
    "/bulletins/{bulletin_id}",
    response=BulletinOut,
    operation_id="ctnet_exchange_api_bulletins_get_bulletin",
)
def get_bulletin(request: AuthenticatedHttpRequest, bulletin_id: int) -> dict:
    require_exchange(request.user)
    b = access.access_bulletin(request.user, bulletin_id)
    return presenters.bulletin_detail(request.user, b)


@router.post(
    "/bulletins/{bulletin_id}/acknowledge",
    response=AckOut,
    operation_id="ctnet_exchange_api_bulletins_acknowledge_bulletin",
)
def acknowledge_bulletin(request: AuthenticatedHttpRequest, bulletin_id: int) -> dict:
    require_exchange(request.user)
    b = access.access_bulletin(request.user, bulletin_id)
    ack = bulletins.acknowledge_bulletin(acting_user=request.user, bulletin=b)
    return {"organisation": ack.organisation.code, "acknowledged_at": ack.acknowledged_at}


@router.get(
    "/bulletins/{bulletin_id}/stix",
    response={200: dict},
    summary="STIX 2.1 bundle of the shareable indicators (TLP 2.0 and handling codes marked); "
    "H2/AMBER/RED only for the originator or after an approved export release",
    operation_id="ctnet_exchange_api_bulletins_export_stix",
)
def export_stix(request: AuthenticatedHttpRequest, bulletin_id: int) -> HttpResponse:
    require_exchange(request.user)
    b = access.access_bulletin(request.user, bulletin_id)
    bundle = bulletins.export_bulletin(acting_user=request.user, bulletin=b)
    return HttpResponse(bundle.serialize(pretty=False), content_type="application/stix+json")


@router.get(
    "/groups",
    response=list[GroupOut],
    summary="Sharing groups you own or belong to",
    operation_id="ctnet_exchange_api_bulletins_list_groups",
)
@paginate(Pagination)
def list_groups(request: AuthenticatedHttpRequest) -> QuerySet[SharingGroup]:
    require_exchange(request.user)
    return access.visible_groups(request.user).prefetch_related("members")


@router.post(
    "/groups",
    response={201: GroupOut},
    summary="Create a sharing group",
    operation_id="ctnet_exchange_api_bulletins_create_group",
)
def create_group(request: AuthenticatedHttpRequest, payload: GroupIn) -> Status:
    require_exchange(request.user)
    group = bulletins.create_sharing_group(
        acting_user=request.user,
        name=payload.name,
        members=organisations_by_code(payload.members),
    )
    return Status(201, group)
