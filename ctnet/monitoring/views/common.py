"""What the monitoring pages share: the role check on their face, the chart rows, the form
pages of the framework."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ctnet.core.decorators import require_role_check

from ..policy import policy
from ..services.framework import PeriodLocked

monitoring_required = require_role_check(policy.can_use_monitoring)

# The bar chart's drawing: width of the label column and of the bars, in SVG user units.
CHART_LABEL = 260
CHART_BAR = 400
CHART_ROW = 22


def chart(rows: list[tuple[str, Decimal | None]]) -> dict[str, Any]:
    """Horizontal bars of progress (0..100 %, over 100 drawn to the edge and labelled)."""
    bars = []
    for i, (label, value) in enumerate(rows):
        pct = None if value is None else round(value * 100)
        width = 0 if pct is None else min(pct, 100) * CHART_BAR // 100
        bars.append({"label": label[:40], "pct": pct, "width": width, "y": i * CHART_ROW})
    return {
        "bars": bars,
        "height": max(1, len(bars)) * CHART_ROW + 24,
        "label_w": CHART_LABEL,
        "bar_w": CHART_BAR,
        "width": CHART_LABEL + CHART_BAR + 60,
        "axis_y": len(bars) * CHART_ROW + 4,
        "mark_80": CHART_LABEL + CHART_BAR * 80 // 100,
        "end": CHART_LABEL + CHART_BAR,
    }


def back_to_project(request: HttpRequest, project: Any, message: str) -> Callable[[Any], Any]:
    """A form page's ``done``: the message, and back to the project's page."""

    def done(_obj: Any) -> HttpResponse:
        messages.success(request, message)
        return redirect("monitoring-project", project_id=project.pk)

    return done


def locked_page(request: HttpRequest, exc: Exception) -> HttpResponse:
    """An act on a locked period: 409 with the reason."""
    return render(request, "ctnet/error.html", {"message": str(exc), "status": 409}, status=409)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    write: Callable[[], Any],
    *,
    done: Callable[[Any], HttpResponse],
    context: dict[str, Any],
) -> HttpResponse:
    """A form page of the framework: shown (200), shown again with its errors and the services'
    refusal (400; nothing written), a locked period (409), or the write done and ``done``."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                obj = write()
            except PeriodLocked as exc:
                return locked_page(request, exc)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return done(obj)
        status = 400
    return render(request, "monitoring/form.html", {**context, "form": form}, status=status)


def require_manager(request: HttpRequest, project: Any) -> None:
    """403 for a reader of the project who may not change it (the heads of its entity may);
    the page found the project first, so anyone else has had a 404 already."""
    if not policy.can_manage_project(request.user, project):
        raise PermissionDenied
