"""Exchange pages: filing a release request from a request page, the releases page, deciding."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.exchange import access
from ctnet.exchange.forms import DecisionForm, ReleaseForm
from ctnet.exchange.models import ReleaseStatus
from ctnet.exchange.services import releases
from ctnet.exchange.views.common import exchange_required
from ctnet.exchange.views.requests import request_page_with_error


@member_required
@exchange_required
@require_POST
def request_release(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    obj = access.read_request(request.user, request_id)
    form = ReleaseForm(request.POST, sender_org_id=obj.originator_id)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose the organisation and say why."))
        releases.file_release(
            acting_user=request.user,
            material=obj,
            new_recipient=form.cleaned_data["new_recipient"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        return request_page_with_error(request, obj, exc)
    messages.success(request, _("Release request sent to the originator."))
    return redirect("exchange-request", request_id=obj.pk)


@member_required
@exchange_required
@require_GET
def release_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    org_id = request.membership.organisation_id
    qs = access.visible_releases(request.user).order_by("-created_at", "-id")
    context = {
        "awaiting": qs.filter(status=ReleaseStatus.PENDING, originator_id=org_id),
        "filed": qs.filter(requesting_org_id=org_id)[:100],
        "decided": qs.filter(originator_id=org_id).exclude(status=ReleaseStatus.PENDING)[:100],
        "decision_form": DecisionForm(),
    }
    return render(request, "exchange/releases.html", context)


@member_required
@exchange_required
@require_POST
def release_decide(request: AuthenticatedHttpRequest, release_id: int) -> HttpResponse:
    release = access.access_release(request.user, release_id)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Approve or refuse."))
        text = form.cleaned_data["text"]
        if form.cleaned_data["decision"] == "approve":
            releases.approve_release(acting_user=request.user, release=release, conditions=text)
            messages.success(request, _("Release approved: a copy went to the new recipient."))
        else:
            releases.refuse_release(acting_user=request.user, release=release, reason=text)
            messages.success(request, _("Release refused."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("exchange-releases")
    return redirect("exchange-releases")
