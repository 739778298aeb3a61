"""Reporting pages: report on a period, an update with its history, four-eyes decision,
evidence, locking a period, and what is due or waiting for approval."""

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

from .. import access, waiting
from ..forms import DecisionForm, EvidenceForm, UpdateForm
from ..models import PeriodUpdate, UpdateStatus
from ..policy import policy
from ..services import framework, reporting
from ..services.framework import PeriodLocked
from ..storage import NewFile
from .common import locked_page, monitoring_required

DUE_SHOWN = 200


_locked = locked_page


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def report_page(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponse:
    period = access.access_period(request.user, period_id)
    indicator = period.indicator
    project = indicator.result.project
    if not access.can_report(request.user, project):
        raise PermissionDenied
    form = UpdateForm(request.POST or None, indicator=indicator, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                update = reporting.create_update(
                    acting_user=request.user, period=period, **form.service_data()
                )
            except PeriodLocked as exc:
                return _locked(request, exc)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Draft saved. Add evidence, then submit it for approval.")
                )
                return redirect("monitoring-update", update_id=update.pk)
        status = 400
    context = {"period": period, "indicator": indicator, "project": project, "form": form}
    return render(request, "monitoring/report.html", context, status=status)


def _render_update(
    request: AuthenticatedHttpRequest, update: PeriodUpdate, *, status: int = 200, **forms: Any
) -> HttpResponse:
    project = access.project_of_update(update)
    editable = update.status in reporting.EDITABLE_STATUSES and not update.period.is_locked
    can_report = access.can_report(request.user, project)
    can_decide = update.status == UpdateStatus.SUBMITTED and policy.can_approve(
        request.user, project, update
    )
    context = {
        "u": update,
        "period": update.period,
        "indicator": update.period.indicator,
        "project": project,
        "events": update.events.select_related("actor"),
        "evidence": update.evidence.all(),
        "can_submit": editable and can_report,
        "can_decide": can_decide,
        # The submitter sees why there is no decision form: four eyes.
        "own_submission": update.status == UpdateStatus.SUBMITTED
        and update.submitted_by_id == request.user.pk,
        "decision_form": forms.get("decision_form") or (DecisionForm() if can_decide else None),
        "evidence_form": forms.get("evidence_form")
        or (EvidenceForm() if editable and can_report else None),
    }
    return render(request, "monitoring/update.html", context, status=status)


@member_required
@monitoring_required
@require_GET
def update_page(request: AuthenticatedHttpRequest, update_id: int) -> HttpResponse:
    return _render_update(request, access.access_update(request.user, update_id))


@member_required
@monitoring_required
@require_POST
def update_submit(request: AuthenticatedHttpRequest, update_id: int) -> HttpResponse:
    update = access.access_update(request.user, update_id)
    try:
        reporting.submit_update(acting_user=request.user, update=update)
    except PeriodLocked as exc:
        return _locked(request, exc)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_update(request, update, status=400)
    messages.success(request, _("Submitted. Another head of the entity will approve it."))
    return redirect("monitoring-update", update_id=update.pk)


@member_required
@monitoring_required
@require_POST
def update_decide(request: AuthenticatedHttpRequest, update_id: int) -> HttpResponse:
    update = access.access_update(request.user, update_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _render_update(request, update, status=400, decision_form=form)
    decide = (
        reporting.approve_update
        if form.cleaned_data["decision"] == "approve"
        else reporting.return_update
    )
    try:
        decide(acting_user=request.user, update=update, comment=form.cleaned_data["comment"])
    except PeriodLocked as exc:
        return _locked(request, exc)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render_update(request, update, status=400, decision_form=form)
    messages.success(request, _("Decision recorded."))
    return redirect("monitoring-update", update_id=update.pk)


@member_required
@monitoring_required
@require_POST
def update_evidence(request: AuthenticatedHttpRequest, update_id: int) -> HttpResponse:
    update = access.access_update(request.user, update_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            reporting.add_evidence(
                acting_user=request.user,
                update=update,
                title=form.cleaned_data["title"],
                url=form.cleaned_data["url"],
                new_file=NewFile.from_upload(upload) if upload else None,
            )
        except PeriodLocked as exc:
            return _locked(request, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Evidence added."))
            return redirect("monitoring-update", update_id=update.pk)
    return _render_update(request, update, status=400, evidence_form=form)


@member_required
@monitoring_required
@require_POST
def period_lock(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponse:
    period = access.access_period(request.user, period_id)
    project = period.indicator.result.project
    try:
        framework.lock_period(acting_user=request.user, period=period)
    except PeriodLocked as exc:
        return _locked(request, exc)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Period locked: its approved figures are final."))
    return redirect("monitoring-project", project_id=project.pk)


@member_required
@monitoring_required
@require_GET
def due_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What waits for the person (``waiting``): updates to approve, their updates returned,
    reports due and late; ``?show=`` one of them alone, the list the home page's count links to.
    """
    user = request.user
    show = request.GET.get("show", "")
    show = show if show in waiting.SHOWS else ""
    shown = {name: not show or show == name for name in waiting.SHOWS}
    updates = ("period__indicator__result__project", "submitted_by")
    periods = ("indicator__result__project",)
    context: dict[str, Any] = {"show": show, "shown": shown}
    context["can_approve"] = waiting.may_approve(user)
    context["can_report"] = waiting.may_report(user)
    if shown["approve"] and context["can_approve"]:
        context["to_approve"] = list(waiting.to_approve(user).select_related(*updates)[:DUE_SHOWN])
    if shown["returned"] and context["can_report"]:
        context["returned"] = list(waiting.returned_to(user).select_related(*updates)[:DUE_SHOWN])
    rows: list[dict[str, Any]] = []
    if context["can_report"]:
        if shown["late"]:
            late = waiting.reports_late(user).select_related(*periods)[:DUE_SHOWN]
            rows += [{"p": p, "late": True} for p in late]
        if shown["due"]:
            due = waiting.reports_due(user).select_related(*periods)[:DUE_SHOWN]
            rows += [{"p": p, "late": False} for p in due]
    context["rows"] = rows
    return render(request, "monitoring/due.html", context)
