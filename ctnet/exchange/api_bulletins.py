"""Exchange API: bulletins and alerts, acknowledgements, sharing groups, STIX export.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

from datetime import datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from ctnet.core.access import organisations_by_code
from ctnet.exchange import access, presenters, stix
from ctnet.exchange.api import require_exchange
from ctnet.exchange.models import Bulletin, SharingGroup
from ctnet.exchange.policy import policy
from ctnet.exchange.schemas import MarkingIn, PersonIn, PersonOut
from ctnet.exchange.services import bulletins

router = Router(tags=["exchange"])


class IndicatorIn(Schema):
    kind: Annotated[str, Field(max_length=16)]
    value: Annotated[str, Field(max_length=2000)]
    shareable: bool = True
    description: Annotated[str, Field(max_length=500)] = ""


class IndicatorOut(Schema):
    id: int
    kind: str
    value: str
    shareable: bool
    description: str


class BulletinIn(MarkingIn):
    title: Annotated[str, Field(max_length=200)] = ""
    body: Annotated[str, Field(max_length=50_000)] = ""
    category: Annotated[str, Field(max_length=16)] = ""
    audience: Annotated[str, Field(max_length=10)] = ""
    un_group: Annotated[str, Field(max_length=32)] = ""
    sharing_group_id: int | None = None
    source_details: Annotated[str, Field(max_length=5000)] = ""
    indicators: Annotated[list[IndicatorIn], Field(max_length=500)] = []
    people: Annotated[list[PersonIn], Field(max_length=50)] = []


class BulletinRowOut(Schema):
    id: int
    title: str
    category: str
    tlp: str
    originator: str = Field(alias="originator.code")
    audience: str
    created_at: datetime


class AckOut(Schema):
    organisation: str
    acknowledged_at: datetime | None


class BulletinOut(Schema):
    id: int
    title: str
    body: str
    category: str
    audience: str
    un_group: str
    sharing_group: str | None
    tlp: str
    handling: list[str]
    handling_note: str
    source_grade: str
    info_grade: str
    originator: str
    created_at: datetime
    source_details: str | None
    indicators: list[IndicatorOut]
    acknowledgements: list[AckOut]
    people: list[PersonOut]


class GroupIn(Schema):
    name: Annotated[str, Field(max_length=200)]
    members: Annotated[list[Annotated[str, Field(max_length=32)]], Field(max_length=500)]


class GroupOut(Schema):
    id: int
    name: str
    owner: str = Field(alias="owner.code")
    members: list[str]

    @staticmethod
    def resolve_members(obj: SharingGroup) -> list[str]:
        return sorted(o.code for o in obj.members.all())


def bulletin_detail(user: Any, b: Bulletin) -> dict:
    """Addressees see their own acknowledgement; the originator sees everyone's."""
    acks = b.acks.select_related("organisation").order_by("organisation__code")
    if not policy.can_edit_marked(user, b):
        acks = acks.filter(organisation_id=user.active_membership.organisation_id)
    return {
        "id": b.pk,
        "title": b.title,
        "body": b.body,
        "category": b.category,
        "audience": b.audience,
        "un_group": b.un_group,
        "sharing_group": b.sharing_group.name if b.sharing_group else None,
        **presenters.markings(b),
        "originator": b.originator.code,
        "created_at": b.created_at,
        "source_details": presenters.source_for(user, b),
        "indicators": list(b.indicators.order_by("pk")),
        "acknowledgements": [
            {"organisation": a.organisation.code, "acknowledged_at": a.acknowledged_at}
            for a in acks
        ],
        "people": presenters.people_read(user, b),
    }


@router.get("/bulletins", response=list[BulletinRowOut], summary="Bulletins addressed to you")
@paginate(LimitOffsetPagination)
def list_bulletins(request: HttpRequest) -> QuerySet[Bulletin]:
    require_exchange(request.user)
    return access.visible_bulletins(request.user).select_related("originator")


@router.post("/bulletins", response={201: BulletinOut}, summary="Publish a bulletin or alert")
def create_bulletin(request: HttpRequest, payload: BulletinIn) -> Status:
    require_exchange(request.user)
    group = None
    if payload.sharing_group_id is not None:
        group = access.access_group(request.user, payload.sharing_group_id)
    b = bulletins.publish_bulletin(
        acting_user=request.user,  # type: ignore[arg-type]
        data=payload.dict(exclude={"indicators", "people", "sharing_group_id"}),
        group=group,
        indicators=[i.dict() for i in payload.indicators],
        people=[p.dict() for p in payload.people],
    )
    return Status(201, bulletin_detail(request.user, b))


@router.get("/bulletins/{bulletin_id}", response=BulletinOut)
def get_bulletin(request: HttpRequest, bulletin_id: int) -> dict:
    require_exchange(request.user)
    return bulletin_detail(request.user, access.access_bulletin(request.user, bulletin_id))


@router.post("/bulletins/{bulletin_id}/acknowledge", response=AckOut)
def acknowledge_bulletin(request: HttpRequest, bulletin_id: int) -> dict:
    require_exchange(request.user)
    b = access.access_bulletin(request.user, bulletin_id)
    ack = bulletins.acknowledge_bulletin(acting_user=request.user, bulletin=b)  # type: ignore[arg-type]
    return {"organisation": ack.organisation.code, "acknowledged_at": ack.acknowledged_at}


@router.get(
    "/bulletins/{bulletin_id}/stix",
    response={200: dict},
    summary="STIX 2.1 bundle of the shareable indicators (TLP 2.0 marked)",
)
def export_stix(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    require_exchange(request.user)
    b = access.access_bulletin(request.user, bulletin_id)
    bundle = stix.bulletin_bundle(b)
    return HttpResponse(bundle.serialize(pretty=False), content_type="application/stix+json")


@router.get("/groups", response=list[GroupOut], summary="Sharing groups you own or belong to")
def list_groups(request: HttpRequest) -> QuerySet[SharingGroup]:
    require_exchange(request.user)
    return access.visible_groups(request.user).prefetch_related("members")


@router.post("/groups", response={201: GroupOut}, summary="Create a sharing group")
def create_group(request: HttpRequest, payload: GroupIn) -> Status:
    require_exchange(request.user)
    group = bulletins.create_sharing_group(
        acting_user=request.user,  # type: ignore[arg-type]
        name=payload.name,
        members=organisations_by_code(payload.members),
    )
    return Status(201, group)
