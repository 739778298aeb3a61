"""Exchange API: release requests, the originator's control over onward sharing.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from ctnet.core.access import organisations_by_code
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.pagination import Pagination
from ctnet.exchange import access
from ctnet.exchange.api.common import require_exchange
from ctnet.exchange.api.schemas import ConditionsIn, ReasonIn, ReleaseFilter, ReleaseIn, ReleaseOut
from ctnet.exchange.models import Bulletin, ReleaseKind, ReleaseRequest, ReleaseStatus, Request
from ctnet.exchange.services import releases

router = Router(tags=["exchange"])


@router.get(
    "/releases",
    response=list[ReleaseOut],
    summary="Release requests, filed or to decide",
    operation_id="ctnet_exchange_api_people_list_releases",
)
@paginate(Pagination)
def list_releases(
    request: AuthenticatedHttpRequest, filters: Query[ReleaseFilter]
) -> QuerySet[ReleaseRequest]:
    require_exchange(request.user)
    qs = access.visible_releases(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.awaiting_me:
        org_id = request.membership.organisation_id
        qs = qs.filter(status=ReleaseStatus.PENDING, originator_id=org_id)
    return qs.order_by("-created_at", "-id")


@router.post(
    "/releases",
    response={201: ReleaseOut},
    summary="Ask the originator to pass a request or bulletin on, or to export a bulletin",
    operation_id="ctnet_exchange_api_people_create_release",
)
def create_release(request: AuthenticatedHttpRequest, payload: ReleaseIn) -> Status:
    require_exchange(request.user)
    material: Request | Bulletin
    if (payload.request_id is None) == (payload.bulletin_id is None):
        raise ValidationError(_("Name either request_id or bulletin_id."))
    if payload.request_id is not None:
        material = access.access_request(request.user, payload.request_id)
    elif payload.bulletin_id is not None:
        material = access.access_bulletin(request.user, payload.bulletin_id)
    new_recipient = None
    if payload.kind == ReleaseKind.ONWARD:
        found = organisations_by_code([payload.new_recipient]) if payload.new_recipient else []
        if not found:
            raise ValidationError(_("Name the new recipient organisation."))
        new_recipient = found[0]
    release = releases.file_release(
        acting_user=request.user,
        material=material,
        new_recipient=new_recipient,
        reason=payload.reason,
        kind=payload.kind,
    )
    return Status(201, release)


@router.post(
    "/releases/{release_id}/approve",
    response=ReleaseOut,
    operation_id="ctnet_exchange_api_people_approve_release",
)
def approve_release(
    request: AuthenticatedHttpRequest, release_id: int, payload: ConditionsIn
) -> ReleaseRequest:
    require_exchange(request.user)
    release = access.access_release(request.user, release_id)
    return releases.approve_release(
        acting_user=request.user, release=release, conditions=payload.conditions
    )


@router.post(
    "/releases/{release_id}/refuse",
    response=ReleaseOut,
    operation_id="ctnet_exchange_api_people_refuse_release",
)
def refuse_release(
    request: AuthenticatedHttpRequest, release_id: int, payload: ReasonIn
) -> ReleaseRequest:
    require_exchange(request.user)
    release = access.access_release(request.user, release_id)
    return releases.refuse_release(acting_user=request.user, release=release, reason=payload.reason)
