"""Exchange pages: sending a request, and a request with its thread and lifecycle actions.

Filing a release and adding a person record, also forms of the request page, are in
``releases.py`` and ``people.py``; on bad input they render the request page again through
``request_page_with_error``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.exchange import access, attachments, presenters
from ctnet.exchange.forms import (
    MarkingChangeForm,
    PersonForm,
    ReasonForm,
    ReleaseForm,
    ReplyForm,
    RequestForm,
    RequestPrefill,
)
from ctnet.exchange.models import Delivery, LegalStatus, Request
from ctnet.exchange.policy import policy
from ctnet.exchange.services import lifecycle, marking, sending
from ctnet.exchange.services.lifecycle import open_request
from ctnet.exchange.views.common import exchange_required, sender_required


def _new_file(form: RequestForm) -> list[attachments.NewFile]:
    upload = form.cleaned_data.get("attachment")
    return [attachments.NewFile.from_upload(upload)] if upload else []


@member_required
@sender_required
@require_http_methods(["GET", "POST"])
def request_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None, request.FILES or None, user=request.user)
    # Optional section: the browser must not demand it; the view checks it only when begun.
    person_form = PersonForm(request.POST or None, prefix="person", use_required_attribute=False)
    with_person = bool(request.POST.get("person-family_name"))
    if request.method == "POST" and form.is_valid() and (not with_person or person_form.is_valid()):
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("recipients", "attachment")}
        try:
            created = sending.send_request(
                acting_user=request.user,
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
    context: dict[str, Any] = {"form": form, "person_form": person_form}
    if request.method == "GET" and request.GET:
        prefill = RequestPrefill(request.GET, recipients=form.addressable())
        if prefill.is_valid():
            form.initial.update(prefill.initial_for_request())
        else:
            context["prefill"], status = prefill, 400
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


def detail_context(request: AuthenticatedHttpRequest, obj: Request) -> dict[str, Any]:
    user = request.user
    deliveries = presenters.deliveries_for(user, obj)
    org_id = request.membership.organisation_id
    own = next((d for d in deliveries if d.organisation_id == org_id), None)
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


def request_page_with_error(
    request: AuthenticatedHttpRequest, obj: Request, exc: ValidationError
) -> HttpResponse:
    """The request page again, with the service's message, as a 400."""
    context = {**detail_context(request, obj), "error": " ".join(exc.messages)}
    return render(request, "exchange/request.html", context, status=400)


@member_required
@exchange_required
@require_GET
def request_detail(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    # Reading changes nothing; the recipient confirms receipt with the page's button.
    obj = access.read_request(request.user, request_id)
    return render(request, "exchange/request.html", detail_context(request, obj))


def _target_delivery(request: AuthenticatedHttpRequest, obj: Request) -> Delivery:
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


def _act(request: AuthenticatedHttpRequest, obj: Request, action: str) -> str:
    user = request.user
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
def request_act(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    if request.POST.get("action") == "receipt":
        # The delivery receipt: an explicit act of the recipient (403 for the sender).
        obj = open_request(acting_user=request.user, request_id=request_id)
        if access.own_delivery(request.user, obj) is None:
            raise PermissionDenied
        messages.success(request, _("Receipt confirmed."))
        return redirect("exchange-request", request_id=obj.pk)
    obj = access.read_request(request.user, request_id)
    try:
        messages.success(request, _act(request, obj, request.POST.get("action", "")))
    except ValidationError as exc:
        return request_page_with_error(request, obj, exc)
    return redirect("exchange-request", request_id=obj.pk)


@member_required
@exchange_required
@require_POST
def request_marking(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    obj = access.read_request(request.user, request_id)
    form = MarkingChangeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a TLP level."))
        marking.change_marking(acting_user=request.user, obj=obj, **form.cleaned_data)
    except ValidationError as exc:
        return request_page_with_error(request, obj, exc)
    messages.success(request, _("Marking changed."))
    return redirect("exchange-request", request_id=obj.pk)
