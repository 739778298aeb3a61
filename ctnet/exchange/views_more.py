"""Exchange pages: release requests, bulletins, and the oversight trail of a person record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet.core.decorators import member_required, require_role_check
from ctnet.exchange import access, trail
from ctnet.exchange.api_bulletins import bulletin_detail
from ctnet.exchange.forms import BulletinForm, CorrectionForm, DecisionForm, NameSearchForm
from ctnet.exchange.models import ReleaseStatus
from ctnet.exchange.policy import policy
from ctnet.exchange.services import bulletins, people, releases
from ctnet.exchange.views import PAGE_SIZE, exchange_required, sender_required

tracer_required = require_role_check(policy.can_trace_person)


@member_required
@exchange_required
@require_GET
def release_list(request: HttpRequest) -> HttpResponse:
    org_id = request.user.active_membership.organisation_id  # type: ignore[union-attr]
    qs = access.visible_releases(request.user).order_by("-created_at", "-id")
    context = {
        "awaiting": qs.filter(status=ReleaseStatus.PENDING, request__originator_id=org_id),
        "filed": qs.filter(requesting_org_id=org_id)[:100],
        "decided": qs.filter(request__originator_id=org_id).exclude(status=ReleaseStatus.PENDING)[
            :100
        ],
        "decision_form": DecisionForm(),
    }
    return render(request, "exchange/releases.html", context)


@member_required
@exchange_required
@require_POST
def release_decide(request: HttpRequest, release_id: int) -> HttpResponse:
    release = access.access_release(request.user, release_id)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Approve or refuse."))
        text = form.cleaned_data["text"]
        if form.cleaned_data["decision"] == "approve":
            releases.approve_release(acting_user=request.user, release=release, conditions=text)  # type: ignore[arg-type]
            messages.success(request, _("Release approved: a copy went to the new recipient."))
        else:
            releases.refuse_release(acting_user=request.user, release=release, reason=text)  # type: ignore[arg-type]
            messages.success(request, _("Release refused."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("exchange-releases")
    return redirect("exchange-releases")


@member_required
@exchange_required
@require_GET
def bulletin_list(request: HttpRequest) -> HttpResponse:
    qs = access.visible_bulletins(request.user).select_related("originator")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_send": policy.can_send_exchange(request.user)}
    return render(request, "exchange/bulletins.html", context)


@member_required
@sender_required
@require_http_methods(["GET", "POST"])
def bulletin_new(request: HttpRequest) -> HttpResponse:
    form = BulletinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        group_id = data.pop("sharing_group")
        try:
            group = access.access_group(request.user, group_id) if group_id else None
            created = bulletins.publish_bulletin(
                acting_user=request.user,  # type: ignore[arg-type]
                data=data,
                group=group,
                indicators=form.indicator_rows(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Bulletin published."))
            return redirect("exchange-bulletin", bulletin_id=created.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "exchange/bulletin_form.html", {"form": form}, status=status)


@member_required
@exchange_required
@require_GET
def bulletin_page(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    b = access.access_bulletin(request.user, bulletin_id)
    detail = bulletin_detail(request.user, b)
    own = b.acks.filter(organisation_id=request.user.active_membership.organisation_id).first()  # type: ignore[union-attr]
    context = {"b": b, "detail": detail, "own_ack": own}
    return render(request, "exchange/bulletin.html", context)


@member_required
@sender_required
@require_POST
def bulletin_ack(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    b = access.access_bulletin(request.user, bulletin_id)
    bulletins.acknowledge_bulletin(acting_user=request.user, bulletin=b)  # type: ignore[arg-type]
    messages.success(request, _("Acknowledged."))
    return redirect("exchange-bulletin", bulletin_id=b.pk)


@member_required
@tracer_required
@require_GET
def person_search(request: HttpRequest) -> HttpResponse:
    form = NameSearchForm(request.GET or None)
    found = []
    status = 200
    if form.is_bound:
        if form.is_valid():
            found = trail.search_records(form.cleaned_data["name"])
            for record in found:
                trail.record_trail_view(acting_user=request.user, root_id=record.pk)  # type: ignore[arg-type]
        else:
            status = 400
    context = {"form": form, "found": found}
    return render(request, "exchange/person_search.html", context, status=status)


@member_required
@tracer_required
@require_GET
def person_trail(request: HttpRequest, record_id: int) -> HttpResponse:
    found = trail.person_trail(record_id)
    trail.record_trail_view(acting_user=request.user, root_id=found.root_id)  # type: ignore[arg-type]
    return render(request, "exchange/trail.html", {"trail": found})


@member_required
@sender_required
@require_POST
def person_edit(request: HttpRequest, record_id: int) -> HttpResponse:
    """The originator corrects or withdraws a person record; every copy follows."""
    record = access.access_person(request.user, record_id)
    back = (
        redirect("exchange-request", request_id=record.request_id)
        if record.request_id
        else redirect("exchange-bulletin", bulletin_id=record.bulletin_id)
    )
    try:
        if request.POST.get("action") == "withdraw":
            people.withdraw_person(
                acting_user=request.user,  # type: ignore[arg-type]
                record=record,
                reason=request.POST.get("reason", "")[:500],
            )
            messages.success(request, _("Person record withdrawn from every copy."))
            return back
        form = CorrectionForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Check the legal status and the dates."))
        people.correct_person(acting_user=request.user, record=record, changes=form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Correction applied to every copy."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return back
