"""Coordination pages: the plans, recording one, a plan with its commitments, and the forms
that report progress and assess (each POST shows the plan again with its error, or redirects)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet.coordination import access, answers, charts, presenters, waiting
from ctnet.coordination.forms import (
    AssessmentForm,
    AssessmentRequestForm,
    CommitmentForm,
    MilestoneForm,
    PlanForm,
    ProgressForm,
)
from ctnet.coordination.models import ActionPlan, Visibility
from ctnet.coordination.policy import policy
from ctnet.coordination.references import REFERENCES
from ctnet.coordination.services import plans, reporting
from ctnet.coordination.views.common import PAGE_SIZE, author_required, coordination_required
from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest


@member_required
@coordination_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    # ``?waiting=assess``: the plans the home page counts as waiting for an assessment.
    to_assess = request.GET.get("waiting") == waiting.ASSESS
    qs = waiting.plans_to_assess(request.user) if to_assess else access.visible_plans(request.user)
    qs = qs.select_related("originator")
    page = Paginator(qs.order_by("originator__code", "-period_end", "id"), PAGE_SIZE)
    context = {
        "page": page.get_page(request.GET.get("page")),
        "to_assess": to_assess,
        "can_author": policy.can_author_plans(request.user),
        "references": REFERENCES.values(),
    }
    return render(request, "coordination/home.html", context)


@member_required
@author_required
@require_http_methods(["GET", "POST"])
def plan_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plans.create_plan(
                acting_user=request.user,
                data=form.cleaned_data,
                shared_with=form.shared_organisations(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Action plan recorded."))
            return redirect("coordination-plan", plan_id=plan.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "coordination/plan_form.html", {"form": form}, status=status)


@member_required
@author_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    plan = access.access_plan(request.user, plan_id)
    if not policy.can_edit_plan(request.user, plan):
        raise PermissionDenied
    initial = {
        "title": plan.title,
        "summary": plan.summary,
        "focus": plan.focus,
        "pillars": plan.pillars,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "visibility": plan.visibility,
        "shared_with": [o.pk for o in plan.recipient_orgs.all()]
        if plan.visibility == Visibility.SHARED
        else [],
    }
    form = PlanForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        shared = (
            form.shared_organisations()
            if form.cleaned_data["visibility"] == Visibility.SHARED
            else None
        )
        try:
            plans.update_plan(
                acting_user=request.user, plan=plan, data=form.cleaned_data, shared_with=shared
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Action plan updated."))
            return redirect("coordination-plan", plan_id=plan.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "plan": plan}
    return render(request, "coordination/plan_form.html", context, status=status)


def plan_context(request: AuthenticatedHttpRequest, plan: ActionPlan, **forms: Any) -> dict:
    detail = presenters.plan_detail(request.user, plan)
    marks = [m for c in detail["commitments"] for m in c["milestones"]]
    # The monitoring projects that answer each commitment, those the reader may see (issue 16).
    answers.attach_projects(request.user, detail["commitments"])
    return {
        "plan": plan,
        "detail": detail,
        "timeline": charts.timeline(plan.period_start, plan.period_end, marks),
        "commitment_form": forms.get("commitment_form") or CommitmentForm(),
        "milestone_form": MilestoneForm(user=request.user) if detail["can_edit"] else None,
        "progress_form": ProgressForm(),
        "assessment_form": AssessmentForm(),
        "request_form": forms.get("request_form")
        or (
            AssessmentRequestForm(user=request.user, commitments=detail["commitments"])
            if detail["can_edit"] and detail["commitments"]
            else None
        ),
        "error": forms.get("error", ""),
        "error_for": forms.get("error_for"),
    }


@member_required
@coordination_required
@require_GET
def plan_page(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    plan = access.access_plan(request.user, plan_id)
    return render(request, "coordination/plan.html", plan_context(request, plan))


def _again(request: AuthenticatedHttpRequest, plan: ActionPlan, exc: Exception, **kw: Any) -> Any:
    message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    context = plan_context(request, plan, error=message, **kw)
    return render(request, "coordination/plan.html", context, status=400)


def _form_error(form: Any) -> ValidationError:
    return ValidationError([e for errors in form.errors.values() for e in errors])


@member_required
@author_required
@require_POST
def commitment_new(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    plan = access.access_plan(request.user, plan_id)
    if not policy.can_edit_plan(request.user, plan):
        raise PermissionDenied
    form = CommitmentForm(request.POST)
    try:
        if not form.is_valid():
            raise _form_error(form)
        plans.add_commitment(acting_user=request.user, plan=plan, data=form.service_data())
    except ValidationError as exc:
        return _again(request, plan, exc, commitment_form=form)
    messages.success(request, _("Commitment added."))
    return redirect("coordination-plan", plan_id=plan.pk)


@member_required
@author_required
@require_http_methods(["GET", "POST"])
def commitment_edit(request: AuthenticatedHttpRequest, commitment_id: int) -> HttpResponse:
    commitment = access.access_commitment(request.user, commitment_id)
    plan = commitment.plan
    if not policy.can_edit_plan(request.user, plan):
        raise PermissionDenied
    initial = {
        "title": commitment.title,
        "description": commitment.description,
        "pillar": commitment.pillar,
        "references": [
            f"{r.code}:{r.paragraph}" if r.paragraph else r.code
            for r in commitment.references.all()
        ],
        "free_references": "\n".join(commitment.free_references),
    }
    form = CommitmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plans.update_commitment(
                acting_user=request.user, commitment=commitment, data=form.service_data()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Commitment updated."))
            return redirect(
                f"{reverse('coordination-plan', args=[plan.pk])}#commitment-{commitment.pk}"
            )
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "plan": plan, "commitment": commitment}
    return render(request, "coordination/commitment_form.html", context, status=status)


@member_required
@author_required
@require_POST
def milestone_new(request: AuthenticatedHttpRequest, commitment_id: int) -> HttpResponse:
    commitment = access.access_commitment(request.user, commitment_id)
    if not policy.can_edit_plan(request.user, commitment.plan):
        raise PermissionDenied
    form = MilestoneForm(request.POST, user=request.user)
    try:
        if not form.is_valid():
            raise _form_error(form)
        plans.add_milestone(
            acting_user=request.user, commitment=commitment, data=form.service_data()
        )
    except ValidationError as exc:
        return _again(request, commitment.plan, exc, error_for=commitment.pk)
    messages.success(request, _("Milestone added."))
    return redirect("coordination-plan", plan_id=commitment.plan_id)


@member_required
@author_required
@require_POST
def progress(request: AuthenticatedHttpRequest, commitment_id: int) -> HttpResponse:
    commitment = access.access_commitment(request.user, commitment_id)
    if not policy.can_edit_plan(request.user, commitment.plan):
        raise PermissionDenied
    form = ProgressForm(request.POST)
    try:
        if not form.is_valid():
            raise _form_error(form)
        data = form.cleaned_data
        reporting.report_progress(
            acting_user=request.user,
            commitment=commitment,
            status=data["status"],
            progress=data["progress"],
            note=data.get("note") or "",
            evidence_urls=[data["evidence_url"]] if data.get("evidence_url") else [],
        )
    except ValidationError as exc:
        return _again(request, commitment.plan, exc, error_for=commitment.pk)
    messages.success(request, _("Progress reported."))
    return redirect("coordination-plan", plan_id=commitment.plan_id)


@member_required
@coordination_required
@require_POST
def assess(request: AuthenticatedHttpRequest, commitment_id: int) -> HttpResponse:
    commitment = access.access_commitment(request.user, commitment_id)
    form = AssessmentForm(request.POST)
    try:
        if not form.is_valid():
            raise _form_error(form)
        data = form.cleaned_data
        reporting.assess(
            acting_user=request.user,
            commitment=commitment,
            status=data["status"],
            note=data.get("note") or "",
            evidence_urls=[data["evidence_url"]] if data.get("evidence_url") else [],
        )
    except ValidationError as exc:
        return _again(request, commitment.plan, exc, error_for=commitment.pk)
    messages.success(request, _("Assessment recorded."))
    return redirect("coordination-plan", plan_id=commitment.plan_id)


@member_required
@author_required
@require_POST
def assessment_request(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    plan = access.access_plan(request.user, plan_id)
    if not policy.can_edit_plan(request.user, plan):
        raise PermissionDenied
    commitments = list(plan.commitments.values("id", "title"))
    form = AssessmentRequestForm(request.POST, user=request.user, commitments=commitments)
    try:
        if not form.is_valid():
            raise _form_error(form)
        commitment = access.access_commitment(request.user, form.cleaned_data["commitment"])
        reporting.request_assessment(
            acting_user=request.user, commitment=commitment, assessor=form.cleaned_data["assessor"]
        )
    except ValidationError as exc:
        return _again(request, plan, exc, request_form=form, error_for="assessment-request")
    messages.success(request, _("Assessment asked; the organisation is told."))
    return redirect("coordination-plan", plan_id=plan.pk)


# The plan's readers only: the access helper answers 404 for the rest and for a link.
@member_required
@coordination_required
@require_GET
def evidence_file(request: AuthenticatedHttpRequest, evidence_id: int) -> HttpResponse:
    # A FileResponse streams; Django serves it like any response, the decorators' type aside.
    return access.evidence_download(request.user, evidence_id)  # type: ignore[return-value]
