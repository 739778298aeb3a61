"""Form pages of a project's results framework: add, change and delete its results, indicators
and periods. Thin: the access helper finds the object (404 for missing and forbidden alike), the
policy answers 403 to a role that may not change it, the services check and write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest

from .. import access
from ..forms import IndicatorForm, PeriodForm, ResultForm
from ..models import Period, Project
from ..services import framework
from .common import back_to_project, form_page, locked_page, monitoring_required, require_manager


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def result_new(request: AuthenticatedHttpRequest, project_id: int) -> HttpResponse:
    project = access.access_project(request.user, project_id)
    require_manager(request, project)
    form = ResultForm(request.POST or None, project=project)

    def write() -> Any:
        data = dict(form.cleaned_data)
        return framework.add_result(acting_user=request.user, project=project, **data)

    return form_page(
        request,
        form,
        write,
        done=back_to_project(request, project, _("Result added.")),
        context={"project": project, "heading": _("Add a result"), "form_id": "result-form"},
    )


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def result_edit(request: AuthenticatedHttpRequest, result_id: int) -> HttpResponse:
    result = access.access_result(request.user, result_id)
    project = result.project
    require_manager(request, project)
    form = ResultForm(request.POST or None, project=project, result=result)

    def write() -> Any:
        return framework.update_result(acting_user=request.user, result=result, **form.cleaned_data)

    return form_page(
        request,
        form,
        write,
        done=back_to_project(request, project, _("Result changed.")),
        context={"project": project, "heading": _("Change a result"), "form_id": "result-form"},
    )


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def indicator_new(request: AuthenticatedHttpRequest, result_id: int) -> HttpResponse:
    result = access.access_result(request.user, result_id)
    project = result.project
    require_manager(request, project)
    form = IndicatorForm(request.POST or None, user=request.user)

    def write() -> Any:
        return framework.add_indicator(
            acting_user=request.user, result=result, **form.service_data()
        )

    return form_page(
        request,
        form,
        write,
        done=back_to_project(request, project, _("Indicator added.")),
        context={
            "project": project,
            "heading": _("Add an indicator"),
            "subject": result.title,
            "form_id": "indicator-form",
        },
    )


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: AuthenticatedHttpRequest, indicator_id: int) -> HttpResponse:
    indicator = access.access_indicator(request.user, indicator_id)
    project = indicator.result.project
    require_manager(request, project)
    form = IndicatorForm(request.POST or None, user=request.user, indicator=indicator)

    def write() -> Any:
        return framework.update_indicator(
            acting_user=request.user, indicator=indicator, **form.service_data()
        )

    return form_page(
        request,
        form,
        write,
        done=back_to_project(request, project, _("Indicator changed.")),
        context={
            "project": project,
            "heading": _("Change an indicator"),
            "subject": indicator.result.title,
            "form_id": "indicator-form",
        },
    )


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def period_new(request: AuthenticatedHttpRequest, indicator_id: int) -> HttpResponse:
    indicator = access.access_indicator(request.user, indicator_id)
    project = indicator.result.project
    require_manager(request, project)
    form = PeriodForm(request.POST or None, indicator=indicator)

    def write() -> Any:
        return framework.add_period(
            acting_user=request.user, indicator=indicator, **form.service_data()
        )

    return form_page(
        request,
        form,
        write,
        done=back_to_project(request, project, _("Period added.")),
        context={
            "project": project,
            "heading": _("Add a period"),
            "subject": indicator.title,
            "indicator": indicator,
            "form_id": "period-form",
        },
    )


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def period_edit(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponse:
    period = access.access_period(request.user, period_id)
    indicator = period.indicator
    project = indicator.result.project
    require_manager(request, project)
    if period.is_locked:
        # Its figures are final: no form to fill in (the service refuses a post all the same).
        return locked_page(
            request,
            framework.PeriodLocked(_("This period is locked: its approved figures are final.")),
        )
    form = PeriodForm(request.POST or None, indicator=indicator, period=period)

    def write() -> Any:
        return framework.update_period(
            acting_user=request.user, period=period, **form.service_data()
        )

    return form_page(
        request,
        form,
        write,
        done=back_to_project(request, project, _("Period changed.")),
        context={
            "project": project,
            "heading": _("Change a period"),
            "subject": indicator.title,
            "indicator": indicator,
            "form_id": "period-form",
        },
    )


def _delete_page(
    request: AuthenticatedHttpRequest,
    project: Project,
    delete: Callable[[], None],
    *,
    context: dict[str, Any],
    done: str,
) -> HttpResponse:
    """Confirm (GET), then delete (POST). The service's refusal (a row reported on: 400, a
    locked period: 409) is shown on the page and nothing is deleted."""
    error = ""
    if request.method == "POST":
        try:
            delete()
        except framework.PeriodLocked as exc:
            return locked_page(request, exc)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, done)
            return redirect("monitoring-project", project_id=project.pk)
    context = {**context, "project": project, "error": error}
    return render(request, "monitoring/delete.html", context, status=400 if error else 200)


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def result_delete(request: AuthenticatedHttpRequest, result_id: int) -> HttpResponse:
    result = access.access_result(request.user, result_id)
    project = result.project
    require_manager(request, project)
    return _delete_page(
        request,
        project,
        lambda: framework.delete_result(acting_user=request.user, result=result),
        context={
            "heading": _("Delete a result"),
            "subject": result.title,
            "indicators": result.indicators.count(),
            "periods": Period.objects.filter(indicator__result=result).count(),
        },
        done=_("Result deleted."),
    )


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def indicator_delete(request: AuthenticatedHttpRequest, indicator_id: int) -> HttpResponse:
    indicator = access.access_indicator(request.user, indicator_id)
    project = indicator.result.project
    require_manager(request, project)
    return _delete_page(
        request,
        project,
        lambda: framework.delete_indicator(acting_user=request.user, indicator=indicator),
        context={
            "heading": _("Delete an indicator"),
            "subject": indicator.title,
            "periods": indicator.periods.count(),
        },
        done=_("Indicator deleted."),
    )


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def period_delete(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponse:
    period = access.access_period(request.user, period_id)
    indicator = period.indicator
    project = indicator.result.project
    require_manager(request, project)
    return _delete_page(
        request,
        project,
        lambda: framework.delete_period(acting_user=request.user, period=period),
        context={"heading": _("Delete a period"), "subject": indicator.title, "period": period},
        done=_("Period deleted."),
    )
