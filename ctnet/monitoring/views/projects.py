"""One project's page: its framework, targets against actuals, a chart, and the CSV; the
pages that create a project and change it, add its budget lines, disbursements and documents
(heads of its entity), and change its marking (core's rule: a reader raises, the owner lowers)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.lib.csvsafe import csv_text

from .. import access, reports, storage
from ..forms import (
    BudgetForm,
    DisbursementForm,
    DocumentForm,
    ProjectForm,
    ProjectMarkingForm,
)
from ..models import Period, PeriodUpdate, Project
from ..policy import policy
from ..progress import is_due, is_late, progress
from ..services import projects
from ..storage import ACCEPTED_LABEL, NewFile
from ..themes import theme_label
from .common import back_to_project, chart, form_page, monitoring_required, require_manager


def _period_row(
    indicator: Any, period: Period, updates: list[PeriodUpdate], today: Any
) -> dict[str, Any]:
    days = settings.MONITORING_REPORT_DAYS
    value = progress(
        ascending=indicator.ascending,
        baseline=indicator.baseline_value,
        target=period.target_value,
        actual=period.actual_value if period.has_actual else None,
    )
    return {
        "p": period,
        "progress": None if value is None else round(value * 100),
        "late": is_late(
            end=period.end, has_actual=period.has_actual, today=today, report_days=days
        ),
        "due": is_due(end=period.end, has_actual=period.has_actual, today=today, report_days=days),
        "updates": updates,
    }


def framework_rows(project: Project) -> list[dict[str, Any]]:
    results = reports.project_framework(project)
    by_period: dict[int, list[PeriodUpdate]] = defaultdict(list)
    for update in PeriodUpdate.objects.filter(period__indicator__result__project=project).only(
        "id", "period_id", "status"
    ):
        by_period[update.period_id].append(update)
    today = timezone.localdate()
    rows = []
    for result in results:
        indicators = []
        for indicator in result.indicators.all():
            periods = [
                _period_row(indicator, p, by_period[p.pk], today) for p in indicator.periods.all()
            ]
            measured = [r for r in periods if r["progress"] is not None]
            indicators.append(
                {
                    "i": indicator,
                    "periods": periods,
                    "latest": measured[-1]["progress"] if measured else None,
                }
            )
        rows.append({"r": result, "indicators": indicators})
    return rows


@member_required
@monitoring_required
@require_GET
def project_page(request: AuthenticatedHttpRequest, project_id: int) -> HttpResponse:
    project = access.access_project(request.user, project_id)
    rows = framework_rows(project)
    bars = [
        (ind["i"].title, None if ind["latest"] is None else Decimal(ind["latest"]) / 100)
        for row in rows
        for ind in row["indicators"]
    ]
    context = {
        "project": project,
        "rows": rows,
        "themes": [theme_label(t) for t in project.themes],
        "partners": list(project.partners.select_related("organisation")),
        "budgets": list(project.budgets.all()),
        "disbursements": list(project.disbursements.all()),
        "documents": list(project.documents.all()),
        "can_report": access.can_report(request.user, project),
        "can_manage": policy.can_manage_project(request.user, project),
        "chart": chart(bars),
        "chart_id": "project",
        "chart_title": _("Latest progress of each indicator"),
    }
    return render(request, "monitoring/project.html", context)


@member_required
@monitoring_required
@require_GET
def document_download(request: AuthenticatedHttpRequest, document_id: int) -> HttpResponse:
    """A project's document for a reader of the project (404 for anyone else), the same bytes
    and headers as the API's download."""
    doc = access.access_document(request.user, document_id)
    response: Any = storage.serve(doc.sha256, doc.content_type, doc.file_name)
    return response


@member_required
@monitoring_required
@require_GET
def project_csv(request: AuthenticatedHttpRequest, project_id: int) -> HttpResponse:
    project = access.access_project(request.user, project_id)
    header = [
        "result",
        "indicator",
        "measure",
        "ascending",
        "baseline",
        "period_start",
        "period_end",
        "target",
        "actual",
        "progress_pct",
        "late",
    ]
    lines = []
    for row in framework_rows(project):
        for ind in row["indicators"]:
            i = ind["i"]
            for p in ind["periods"]:
                lines.append(
                    [
                        row["r"].title,
                        i.title,
                        i.get_measure_display(),
                        i.ascending,
                        i.baseline_value or "",
                        p["p"].start,
                        p["p"].end,
                        p["p"].target_value if p["p"].target_value is not None else "",
                        p["p"].actual_value
                        if p["p"].has_actual and p["p"].actual_value is not None
                        else "",
                        p["progress"] if p["progress"] is not None else "",
                        p["late"],
                    ]
                )
    response = HttpResponse(csv_text(header, lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="project-{project.pk}.csv"'
    return response


def _to_project(request: AuthenticatedHttpRequest, message: str) -> Any:
    def done(project: Project) -> HttpResponse:
        messages.success(request, message)
        return redirect("monitoring-project", project_id=project.pk)

    return done


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def project_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.can_create_project(request.user):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, user=request.user)

    def write() -> Project:
        return projects.create_project(acting_user=request.user, **form.create_data())

    return form_page(
        request,
        form,
        write,
        done=_to_project(request, _("Project created. Add its results framework.")),
        context={"heading": _("New project"), "form_id": "project-form"},
    )


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def project_edit(request: AuthenticatedHttpRequest, project_id: int) -> HttpResponse:
    project = access.access_project(request.user, project_id)
    require_manager(request, project)
    form = ProjectForm(request.POST or None, user=request.user, project=project)

    def write() -> Project:
        return projects.update_project(acting_user=request.user, project=project, **form.changes())

    return form_page(
        request,
        form,
        write,
        done=_to_project(request, _("Project changed.")),
        context={"project": project, "heading": _("Change the project"), "form_id": "project-form"},
    )


def _managed(request: AuthenticatedHttpRequest, project_id: int) -> Project:
    """The project, 404 for one the person may not see, 403 for one they may not change."""
    project = access.access_project(request.user, project_id)
    require_manager(request, project)
    return project


def _part_context(project: Project, heading: str, form_id: str, **more: Any) -> dict[str, Any]:
    return {"project": project, "heading": heading, "form_id": form_id, **more}


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def budget_new(request: AuthenticatedHttpRequest, project_id: int) -> HttpResponse:
    project = _managed(request, project_id)
    form = BudgetForm(request.POST or None)

    def write() -> Any:
        return projects.add_budget(acting_user=request.user, project=project, **form.cleaned_data)

    return form_page(
        request,
        form,
        write,
        done=back_to_project(request, project, _("Budget line added.")),
        context=_part_context(
            project, _("Add a budget line"), "budget-form", subject=project.currency
        ),
    )


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def disbursement_new(request: AuthenticatedHttpRequest, project_id: int) -> HttpResponse:
    project = _managed(request, project_id)
    form = DisbursementForm(request.POST or None)

    def write() -> Any:
        return projects.add_disbursement(
            acting_user=request.user, project=project, **form.cleaned_data
        )

    return form_page(
        request,
        form,
        write,
        done=back_to_project(request, project, _("Disbursement added.")),
        context=_part_context(
            project, _("Add a disbursement"), "disbursement-form", subject=project.currency
        ),
    )


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def document_new(request: AuthenticatedHttpRequest, project_id: int) -> HttpResponse:
    project = _managed(request, project_id)
    # Bound on every POST, even one with nothing but the file.
    form = DocumentForm(*((request.POST, request.FILES) if request.method == "POST" else ()))

    def write() -> Any:
        return projects.add_document(
            acting_user=request.user,
            project=project,
            title=form.cleaned_data["title"],
            new_file=NewFile.from_upload(form.cleaned_data["file"]),
        )

    context = _part_context(project, _("Add a document"), "document-form")
    context["note"] = _("Accepted: %(types)s.") % {"types": ACCEPTED_LABEL}
    return form_page(
        request,
        form,
        write,
        done=back_to_project(request, project, _("Document added.")),
        context=context,
    )


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def project_marking(request: AuthenticatedHttpRequest, project_id: int) -> HttpResponse:
    # Not ``_managed``: any reader may raise the marking, and the service refuses (403) a
    # lowering by anyone but the owning entity, as on the API.
    project = access.access_project(request.user, project_id)
    initial = {"tlp": project.tlp, "handling": project.handling}
    initial["handling_note"] = project.handling_note
    form = ProjectMarkingForm(request.POST or None, initial=initial)

    def write() -> Project:
        return projects.change_project_marking(
            acting_user=request.user, project=project, **form.cleaned_data
        )

    context = _part_context(project, _("Change the marking"), "marking-form")
    context["note"] = _(
        "Anyone who reads the project may raise its marking; only its entity may lower it."
    )
    return form_page(
        request,
        form,
        write,
        done=_to_project(request, _("Marking changed.")),
        context=context,
    )
