"""Coordination pages: technical-assistance needs with the matches proposed for them, the
offers, and the forms that record a need or an offer, accept a match and close a need."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet.coordination import access, presenters, waiting
from ctnet.coordination.forms import CloseNeedForm, NeedForm, OfferForm, StartProjectForm
from ctnet.coordination.policy import policy
from ctnet.coordination.services import assistance
from ctnet.coordination.views.common import coordination_required
from ctnet.core.decorators import member_required, require_role_check
from ctnet.core.http import AuthenticatedHttpRequest

NEEDS_SHOWN = 100
OFFERS_SHOWN = 100


@member_required
@coordination_required
@require_GET
def needs(request: AuthenticatedHttpRequest) -> HttpResponse:
    # ``?waiting=accept``: the state's needs the home page counts as having an offer to accept.
    to_accept = request.GET.get("waiting") == waiting.ACCEPT
    found = (
        waiting.needs_to_accept(request.user) if to_accept else access.visible_needs(request.user)
    )
    qs = presenters.needs_with_matches(found)[:NEEDS_SHOWN]
    user = request.user
    rows = [
        (
            n,
            presenters.need_detail(n),
            policy.can_accept_match(user, n),
            n.status != "closed" and policy.can_close_need(user, n, assistance.assisting_ids(n)),
        )
        for n in qs
    ]
    # The accepted matches this person's organisation may turn into a monitoring project.
    startable = {
        m.pk
        for n in qs
        for m in n.matches.all()
        if m.project_id is None and policy.can_start_project(user, m)
    }
    offers = access.visible_offers(user).select_related("organisation").order_by("-id")
    context = {
        "rows": rows,
        "to_accept": to_accept,
        "offers": offers[:OFFERS_SHOWN],
        "can_record_need": policy.can_record_need(user),
        "can_offer": policy.can_offer(user),
        "close_form": CloseNeedForm(),
        "startable": startable,
        "project_form": StartProjectForm() if startable else None,
    }
    return render(request, "coordination/needs.html", context)


@member_required
@require_role_check(policy.can_record_need)
@require_http_methods(["GET", "POST"])
def need_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            need = assistance.record_need(acting_user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            count = need.matches.count()
            messages.success(
                request,
                _("Need recorded; %(count)s offers proposed.") % {"count": count},
            )
            return redirect("coordination-needs")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "what": "need"}
    return render(request, "coordination/assistance_form.html", context, status=status)


@member_required
@require_role_check(policy.can_offer)
@require_http_methods(["GET", "POST"])
def offer_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assistance.record_offer(acting_user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Offer recorded; it is proposed to the needs it matches."))
            return redirect("coordination-needs")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "what": "offer"}
    return render(request, "coordination/assistance_form.html", context, status=status)


@member_required
@coordination_required
@require_POST
def match_accept(request: AuthenticatedHttpRequest, match_id: int) -> HttpResponse:
    match = access.access_match(request.user, match_id)
    try:
        assistance.accept_match(acting_user=request.user, match=match)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Match accepted; the offering organisation is told."))
    return redirect("coordination-needs")


@member_required
@coordination_required
@require_POST
def need_close(request: AuthenticatedHttpRequest, need_id: int) -> HttpResponse:
    need = access.access_need(request.user, need_id)
    if not policy.can_close_need(request.user, need, assistance.assisting_ids(need)):
        raise PermissionDenied
    form = CloseNeedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the assistance achieved."))
        return redirect("coordination-needs")
    try:
        assistance.close_need(
            acting_user=request.user, need=need, report=form.cleaned_data["report"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Need closed with its report."))
    return redirect("coordination-needs")


@member_required
@coordination_required
@require_POST
def start_project(request: AuthenticatedHttpRequest, match_id: int) -> HttpResponse:
    match = access.access_match(request.user, match_id)
    if not policy.can_start_project(request.user, match):
        raise PermissionDenied
    form = StartProjectForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        assistance.start_project(acting_user=request.user, match=match, data=form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("coordination-needs")
    messages.success(
        request,
        _("Project started in monitoring; its first approved report closes the need."),
    )
    assert match.project_id is not None
    return redirect("monitoring-project", project_id=match.project_id)
