"""Exchange pages: inbox, sending a request, a request with its thread and actions.

Bulletins, releases and person trails are in ``views_more.py``. Views are thin: they parse
forms, fetch through ``access``, write through ``services``, and turn a service's
``ValidationError`` into a 400 page that keeps what the user typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet.core.decorators import member_required, require_role_check
from ctnet.exchange import access, attachments, presenters
from ctnet.exchange.api import open_request
from ctnet.exchange.forms import (
    MarkingChangeForm,
    PersonForm,
    ReasonForm,
    ReleaseForm,
    ReplyForm,
    RequestForm,
)
from ctnet.exchange.inbox import BOXES, inbox
from ctnet.exchange.models import Delivery, LegalStatus, ReleaseStatus, Request
from ctnet.exchange.policy import policy
from ctnet.exchange.services import lifecycle, marking, people, releases, sending

PAGE_SIZE = 30
exchange_required = require_role_check(policy.can_use_exchange)
sender_required = require_role_check(policy.can_send_exchange)


def _org_id(request: HttpRequest) -> int:
    return request.user.active_membership.organisation_id  # type: ignore[union-attr]


@member_required
@exchange_required
@require_GET
def inbox_page(request: HttpRequest) -> HttpResponse:
    box = request.GET.get("box", "incoming")
    if box not in BOXES:
        return render(request, "ctnet/error.html", {"message": _("Unknown box.")}, status=400)
    page = Paginator(inbox(request.user, box), PAGE_SIZE).get_page(request.GET.get("page"))
    awaiting = access.visible_releases(request.user).filter(
        status=ReleaseStatus.PENDING, request__originator_id=_org_id(request)
    )
    context = {
        "box": box,
        "boxes": BOXES,
        "page": page,
        "awaiting_count": awaiting.count(),
        "can_send": policy.can_send_exchange(request.user),
    }
    return render(request, "exchange/inbox.html", context)


def _new_file(form: RequestForm) -> list[attachments.NewFile]:
    upload = form.cleaned_data.get("attachment")
    if not upload:
        return []
    if upload.size > attachments.MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("The file is too large."))
    return [attachments.NewFile(upload.name, upload.content_type or "", upload.read())]


@member_required
@sender_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    org_id = _org_id(request)
    form = RequestForm(request.POST or None, request.FILES or None, sender_org_id=org_id)
    # Optional section: the browser must not demand it; the view checks it only when begun.
    person_form = PersonForm(request.POST or None, prefix="person", use_required_attribute=False)
    with_person = bool(request.POST.get("person-family_name"))
    if request.method == "POST" and form.is_valid() and (not with_person or person_form.is_valid()):
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("recipients", "attachment")}
        try:
            created = sending.send_request(
                acting_user=request.user,  # type: ignore[arg-type]
                recipients=list(form.cleaned_data["recipients"]),
                data=data,
                people=[person_form.person_data()] if with_person else [],
                files=_new_file(form),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Request sent."))
            return redirect("exchange-request", request_id=created.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "person_form": person_form}
    return render(request, "exchange/request_form.html", context, status=status)


def _routes(user: Any, obj: Request, deliveries: list[Delivery]) -> dict[int, Any]:
    """For the sender of a request on a topic: whom the directory says to call at each
    recipient about it (a verified, fresh, available topic contact, else a deputy, else the
    head), so an urgent request is followed up by telephone with the right person."""
    from ctnet.directory.policy import policy as directory_policy
    from ctnet.directory.search import BadFilter, route_contact

    if not obj.topic or not directory_policy.can_see_directory_overview(user):
        return {}
    routes = {}
    for delivery in deliveries:
        try:
            routes[delivery.pk] = route_contact(
                user, country=delivery.organisation.code, topic=obj.topic
            )
        except BadFilter:  # an organisation outside the directory, or a retired topic
            continue
    return routes


def _detail_context(request: HttpRequest, obj: Request) -> dict[str, Any]:
    user = request.user
    deliveries = presenters.deliveries_for(user, obj)
    own = next((d for d in deliveries if d.organisation_id == _org_id(request)), None)
    is_sender = policy.can_act_for_sender(user, obj)
    routes = _routes(user, obj, deliveries) if is_sender else {}
    for delivery in deliveries:
        delivery.route = routes.get(delivery.pk)  # type: ignore[attr-defined]
    return {
        "req": obj,
        "detail": presenters.request_detail(user, obj, deliveries),
        "deliveries": deliveries,
        "own": own,
        "is_sender": is_sender,
        "can_answer": own is not None and policy.can_act_for_recipient(user, own),
        "can_ask_release": own is not None and policy.can_send_exchange(user),
        "reply_form": ReplyForm(),
        "reason_form": ReasonForm(),
        "release_form": ReleaseForm(sender_org_id=obj.originator_id),
        "marking_form": MarkingChangeForm(initial={"tlp": obj.tlp, "handling": obj.handling}),
        "person_form": PersonForm(prefix="person") if is_sender else None,
        "copies": obj.released_copies.all() if is_sender else [],
        "legal_statuses": LegalStatus.choices,
    }


@member_required
@exchange_required
@require_GET
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    obj = open_request(request.user, request_id)
    return render(request, "exchange/request.html", _detail_context(request, obj))


def _target_delivery(request: HttpRequest, obj: Request) -> Delivery:
    """The sender names a delivery in the form; a recipient acts on its own."""
    if policy.can_act_for_sender(request.user, obj):
        try:
            delivery_id = int(request.POST.get("delivery", ""))
        except ValueError:
            raise ValidationError(_("Choose the recipient.")) from None
        return access.access_delivery(request.user, obj, delivery_id)
    own = access.own_delivery(request.user, obj)
    if own is None:
        raise PermissionDenied
    return own


def _act(request: HttpRequest, obj: Request, action: str) -> str:
    user: Any = request.user
    delivery = _target_delivery(request, obj)
    if action == "acknowledge":
        lifecycle.acknowledge(acting_user=user, delivery=delivery)
        return _("Acknowledged.")
    if action == "close":
        lifecycle.close(acting_user=user, delivery=delivery)
        return _("Closed.")
    if action == "refuse":
        reason_form = ReasonForm(request.POST)
        reason = reason_form.cleaned_data["reason"] if reason_form.is_valid() else ""
        lifecycle.refuse(acting_user=user, delivery=delivery, reason=reason)
        return _("Refused.")
    if action == "reply":
        form = ReplyForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Write a message and choose its kind."))
        lifecycle.reply(acting_user=user, delivery=delivery, **form.cleaned_data)
        return _("Reply sent.")
    raise ValidationError(_("Unknown action."))


@member_required
@exchange_required
@require_POST
def request_act(request: HttpRequest, request_id: int) -> HttpResponse:
    obj = open_request(request.user, request_id)
    try:
        messages.success(request, _act(request, obj, request.POST.get("action", "")))
    except ValidationError as exc:
        context = {**_detail_context(request, obj), "error": " ".join(exc.messages)}
        return render(request, "exchange/request.html", context, status=400)
    return redirect("exchange-request", request_id=obj.pk)


@member_required
@exchange_required
@require_POST
def request_release(request: HttpRequest, request_id: int) -> HttpResponse:
    obj = open_request(request.user, request_id)
    form = ReleaseForm(request.POST, sender_org_id=obj.originator_id)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose the organisation and say why."))
        releases.file_release(
            acting_user=request.user,  # type: ignore[arg-type]
            request=obj,
            new_recipient=form.cleaned_data["new_recipient"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        context = {**_detail_context(request, obj), "error": " ".join(exc.messages)}
        return render(request, "exchange/request.html", context, status=400)
    messages.success(request, _("Release request sent to the originator."))
    return redirect("exchange-request", request_id=obj.pk)


@member_required
@exchange_required
@require_POST
def request_marking(request: HttpRequest, request_id: int) -> HttpResponse:
    obj = open_request(request.user, request_id)
    form = MarkingChangeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a TLP level."))
        marking.change_marking(acting_user=request.user, obj=obj, **form.cleaned_data)  # type: ignore[arg-type]
    except ValidationError as exc:
        context = {**_detail_context(request, obj), "error": " ".join(exc.messages)}
        return render(request, "exchange/request.html", context, status=400)
    messages.success(request, _("Marking changed."))
    return redirect("exchange-request", request_id=obj.pk)


@member_required
@sender_required
@require_POST
def request_person(request: HttpRequest, request_id: int) -> HttpResponse:
    obj = open_request(request.user, request_id)
    form = PersonForm(request.POST, prefix="person")
    try:
        if not form.is_valid():
            raise ValidationError(
                _("Check the person record: %(f)s.") % {"f": ", ".join(form.errors)}
            )
        people.attach_person(
            acting_user=request.user,  # type: ignore[arg-type]
            material=obj,
            cleaned=people.clean_person(form.person_data()),
        )
    except ValidationError as exc:
        context = {**_detail_context(request, obj), "error": " ".join(exc.messages)}
        return render(request, "exchange/request.html", context, status=400)
    messages.success(request, _("Person record added."))
    return redirect("exchange-request", request_id=obj.pk)


@member_required
@exchange_required
@require_GET
def attachment_download(request: HttpRequest, request_id: int, attachment_id: int) -> HttpResponse:
    obj = open_request(request.user, request_id)
    att = obj.attachments.filter(pk=attachment_id).first()
    if att is None:
        raise access.deny(request.user, "attachment", attachment_id)
    return FileResponse(
        attachments.path_of(att).open("rb"),
        as_attachment=True,
        filename=att.filename,
        content_type=att.content_type,
    )  # type: ignore[return-value]  # a streamed file, served like any response
