"""Exchange API: requests (this module), releases and people (``api_people``), bulletins.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
Endpoints stay thin: fetch through ``access``, write through ``services``, shape through
``presenters``.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from ctnet.core.access import organisations_by_code
from ctnet.exchange import access, attachments, presenters
from ctnet.exchange.inbox import BOXES, inbox
from ctnet.exchange.models import Delivery, Request
from ctnet.exchange.policy import policy
from ctnet.exchange.schemas import (
    AttachmentOut,
    DeliveryChoiceIn,
    DeliveryOut,
    InboxRowOut,
    MarkingChangeIn,
    PersonIn,
    PersonOut,
    ReasonIn,
    ReplyIn,
    ReplyOut,
    RequestIn,
    RequestOut,
)
from ctnet.exchange.services import lifecycle, marking, people, sending

router = Router(tags=["exchange"])


def require_exchange(user: Any) -> None:
    if not policy.can_use_exchange(user):
        raise PermissionDenied(_("Your role does not take part in exchanges."))


def open_request(user: Any, request_id: int) -> Request:
    """Fetch a request; the first opening by a recipient organisation is its delivery receipt."""
    require_exchange(user)
    obj = access.access_request(user, request_id)
    own = access.own_delivery(user, obj)
    if own is not None:
        lifecycle.mark_delivered(acting_user=user, delivery=own)
    return obj


def recipient_delivery(user: Any, obj: Request) -> Delivery:
    own = access.own_delivery(user, obj)
    if own is None:
        raise PermissionDenied(_("Only the recipient organisation may do this."))
    return own


@router.get("/requests", response=list[InboxRowOut], summary="Inbox: incoming, outgoing, overdue")
@paginate(LimitOffsetPagination)
def list_requests(request: HttpRequest, box: str = "incoming") -> QuerySet[Delivery]:
    require_exchange(request.user)
    if box not in BOXES:
        raise ValidationError(_("box is one of: %(boxes)s.") % {"boxes": ", ".join(BOXES)})
    return inbox(request.user, box)


@router.post("/requests", response={201: RequestOut}, summary="Send a request")
def create_request(request: HttpRequest, payload: RequestIn) -> Status:
    require_exchange(request.user)
    data = payload.dict(exclude={"recipients", "people"})
    obj = sending.send_request(
        acting_user=request.user,  # type: ignore[arg-type]
        recipients=organisations_by_code(payload.recipients),
        data=data,
        people=[p.dict() for p in payload.people],
    )
    return Status(201, _detail(request.user, obj))


def _detail(user: Any, obj: Request) -> dict:
    return presenters.request_detail(user, obj, presenters.deliveries_for(user, obj))


@router.get("/requests/{request_id}", response=RequestOut, summary="A request and its thread")
def get_request(request: HttpRequest, request_id: int) -> dict:
    return _detail(request.user, open_request(request.user, request_id))


@router.post("/requests/{request_id}/replies", response={201: ReplyOut})
def reply(request: HttpRequest, request_id: int, payload: ReplyIn) -> Status:
    obj = open_request(request.user, request_id)
    if policy.can_act_for_sender(request.user, obj):
        if payload.delivery_id is None:
            raise ValidationError(_("Name the recipient's delivery_id to write to."))
        delivery = access.access_delivery(request.user, obj, payload.delivery_id)
    else:
        delivery = recipient_delivery(request.user, obj)
    message = lifecycle.reply(
        acting_user=request.user,  # type: ignore[arg-type]
        delivery=delivery,
        body=payload.body,
        kind=payload.kind,
    )
    return Status(
        201,
        {
            "id": message.pk,
            "author": message.author.username,
            "organisation": message.organisation.code,
            "kind": message.kind,
            "body": message.body,
            "created_at": message.created_at,
        },
    )


@router.post("/requests/{request_id}/acknowledge", response=DeliveryOut)
def acknowledge(request: HttpRequest, request_id: int) -> dict:
    obj = open_request(request.user, request_id)
    delivery = lifecycle.acknowledge(
        acting_user=request.user,  # type: ignore[arg-type]
        delivery=recipient_delivery(request.user, obj),
    )
    return presenters.delivery_detail(delivery)


@router.post("/requests/{request_id}/refuse", response=DeliveryOut)
def refuse(request: HttpRequest, request_id: int, payload: ReasonIn) -> dict:
    obj = open_request(request.user, request_id)
    delivery = lifecycle.refuse(
        acting_user=request.user,  # type: ignore[arg-type]
        delivery=recipient_delivery(request.user, obj),
        reason=payload.reason,
    )
    return presenters.delivery_detail(delivery)


@router.post("/requests/{request_id}/close", response=DeliveryOut)
def close(request: HttpRequest, request_id: int, payload: DeliveryChoiceIn) -> dict:
    obj = open_request(request.user, request_id)
    if not policy.can_act_for_sender(request.user, obj):
        raise PermissionDenied(_("Only the sending organisation closes a request."))
    if payload.delivery_id is None:
        only = list(obj.deliveries.all()[:2])
        if len(only) != 1:
            raise ValidationError(_("Name the recipient's delivery_id to close."))
        delivery = only[0]
    else:
        delivery = access.access_delivery(request.user, obj, payload.delivery_id)
    return presenters.delivery_detail(
        lifecycle.close(acting_user=request.user, delivery=delivery)  # type: ignore[arg-type]
    )


@router.post("/requests/{request_id}/marking", response=RequestOut, summary="Raise or lower")
def change_marking(request: HttpRequest, request_id: int, payload: MarkingChangeIn) -> dict:
    obj = open_request(request.user, request_id)
    marking.change_marking(
        acting_user=request.user,  # type: ignore[arg-type]
        obj=obj,
        tlp=payload.tlp,
        handling=payload.handling,
    )
    return _detail(request.user, obj)


@router.post("/requests/{request_id}/people", response={201: PersonOut})
def add_person(request: HttpRequest, request_id: int, payload: PersonIn) -> Status:
    obj = open_request(request.user, request_id)
    record = people.attach_person(
        acting_user=request.user,  # type: ignore[arg-type]
        material=obj,
        cleaned=people.clean_person(payload.dict()),
    )
    return Status(201, presenters.person(record))


@router.post("/requests/{request_id}/attachments", response={201: AttachmentOut})
def add_attachment(request: HttpRequest, request_id: int, file: File[UploadedFile]) -> Status:
    obj = open_request(request.user, request_id)
    if (file.size or 0) > attachments.MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("The file is too large."))
    new = attachments.NewFile(file.name or "attachment", file.content_type or "", file.read())
    att = attachments.store_attachment(
        acting_user=request.user,  # type: ignore[arg-type]
        request=obj,
        new_file=new,
    )
    return Status(201, att)


@router.get("/requests/{request_id}/attachments/{attachment_id}", response={200: None})
def download_attachment(request: HttpRequest, request_id: int, attachment_id: int) -> Any:
    obj = open_request(request.user, request_id)
    att = obj.attachments.filter(pk=attachment_id).first()
    if att is None:
        raise access.deny(request.user, "attachment", attachment_id)
    return FileResponse(
        attachments.path_of(att).open("rb"),
        as_attachment=True,
        filename=att.filename,
        content_type=att.content_type,
    )
