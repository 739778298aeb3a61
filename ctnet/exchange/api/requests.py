"""Exchange API: requests, their inbox, thread, lifecycle steps and marking.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from ctnet.core.access import organisations_by_code
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.pagination import Pagination
from ctnet.exchange import access, presenters
from ctnet.exchange.api.common import recipient_delivery, require_exchange
from ctnet.exchange.api.schemas import (
    DeliveryChoiceIn,
    DeliveryOut,
    InboxRowOut,
    MarkingChangeIn,
    ReasonIn,
    ReplyIn,
    ReplyOut,
    RequestIn,
    RequestOut,
)
from ctnet.exchange.inbox import BOXES, inbox
from ctnet.exchange.models import Delivery, Request
from ctnet.exchange.policy import policy
from ctnet.exchange.services import lifecycle, marking, sending
from ctnet.exchange.services.lifecycle import open_request

router = Router(tags=["exchange"])


def _detail(request: AuthenticatedHttpRequest, obj: Request) -> dict:
    return presenters.request_detail(
        request.user, obj, presenters.deliveries_for(request.user, obj)
    )


def _open(request: AuthenticatedHttpRequest, request_id: int) -> Request:
    # A read: no delivery receipt (that is ``confirm_receipt``, an explicit POST).
    return access.read_request(request.user, request_id)


@router.get(
    "/requests",
    response=list[InboxRowOut],
    summary="Inbox: incoming, outgoing, overdue",
    operation_id="ctnet_exchange_api_list_requests",
)
@paginate(Pagination)
def list_requests(request: AuthenticatedHttpRequest, box: str = "incoming") -> QuerySet[Delivery]:
    require_exchange(request.user)
    if box not in BOXES:
        raise ValidationError(_("box is one of: %(boxes)s.") % {"boxes": ", ".join(BOXES)})
    return inbox(request.user, box)


@router.post(
    "/requests",
    response={201: RequestOut},
    summary="Send a request",
    operation_id="ctnet_exchange_api_create_request",
)
def create_request(request: AuthenticatedHttpRequest, payload: RequestIn) -> Status:
    require_exchange(request.user)
    data = payload.dict(exclude={"recipients", "people"})
    obj = sending.send_request(
        acting_user=request.user,
        recipients=organisations_by_code(payload.recipients),
        data=data,
        people=[p.dict() for p in payload.people],
    )
    return Status(201, _detail(request, obj))


@router.get(
    "/requests/{request_id}",
    response=RequestOut,
    summary="A request and its thread",
    operation_id="ctnet_exchange_api_get_request",
)
def get_request(request: AuthenticatedHttpRequest, request_id: int) -> dict:
    return _detail(request, _open(request, request_id))


@router.post(
    "/requests/{request_id}/receipt",
    response=DeliveryOut,
    summary="Confirm receipt (the delivery receipt the sender sees)",
    operation_id="ctnet_exchange_api_confirm_receipt",
)
def confirm_receipt(request: AuthenticatedHttpRequest, request_id: int) -> dict:
    obj = open_request(acting_user=request.user, request_id=request_id)
    # The sender sees the request but has no delivery of it: 403.
    return presenters.delivery_detail(recipient_delivery(request.user, obj))


@router.post(
    "/requests/{request_id}/replies",
    response={201: ReplyOut},
    operation_id="ctnet_exchange_api_reply",
)
def reply(request: AuthenticatedHttpRequest, request_id: int, payload: ReplyIn) -> Status:
    obj = _open(request, request_id)
    if policy.can_act_for_sender(request.user, obj):
        if payload.delivery_id is None:
            raise ValidationError(_("Name the recipient's delivery_id to write to."))
        delivery = access.access_delivery(request.user, obj, payload.delivery_id)
    else:
        delivery = recipient_delivery(request.user, obj)
    message = lifecycle.reply(
        acting_user=request.user, delivery=delivery, body=payload.body, kind=payload.kind
    )
    return Status(201, presenters.reply(message))


@router.post(
    "/requests/{request_id}/acknowledge",
    response=DeliveryOut,
    operation_id="ctnet_exchange_api_acknowledge",
)
def acknowledge(request: AuthenticatedHttpRequest, request_id: int) -> dict:
    obj = _open(request, request_id)
    delivery = lifecycle.acknowledge(
        acting_user=request.user, delivery=recipient_delivery(request.user, obj)
    )
    return presenters.delivery_detail(delivery)


@router.post(
    "/requests/{request_id}/refuse",
    response=DeliveryOut,
    operation_id="ctnet_exchange_api_refuse",
)
def refuse(request: AuthenticatedHttpRequest, request_id: int, payload: ReasonIn) -> dict:
    obj = _open(request, request_id)
    delivery = lifecycle.refuse(
        acting_user=request.user,
        delivery=recipient_delivery(request.user, obj),
        reason=payload.reason,
    )
    return presenters.delivery_detail(delivery)


@router.post(
    "/requests/{request_id}/close",
    response=DeliveryOut,
    operation_id="ctnet_exchange_api_close",
)
def close(request: AuthenticatedHttpRequest, request_id: int, payload: DeliveryChoiceIn) -> dict:
    obj = _open(request, request_id)
    if not policy.can_act_for_sender(request.user, obj):
        raise PermissionDenied(_("Only the sending organisation closes a request."))
    if payload.delivery_id is None:
        only = list(obj.deliveries.all()[:2])
        if len(only) != 1:
            raise ValidationError(_("Name the recipient's delivery_id to close."))
        delivery = only[0]
    else:
        delivery = access.access_delivery(request.user, obj, payload.delivery_id)
    return presenters.delivery_detail(lifecycle.close(acting_user=request.user, delivery=delivery))


@router.post(
    "/requests/{request_id}/marking",
    response=RequestOut,
    summary="Raise or lower",
    operation_id="ctnet_exchange_api_change_marking",
)
def change_marking(
    request: AuthenticatedHttpRequest, request_id: int, payload: MarkingChangeIn
) -> dict:
    obj = _open(request, request_id)
    marking.change_marking(
        acting_user=request.user, obj=obj, tlp=payload.tlp, handling=payload.handling
    )
    return _detail(request, obj)
