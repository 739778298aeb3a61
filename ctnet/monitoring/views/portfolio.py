"""The portfolio: progress by project, country or theme, as a chart, a table and a CSV."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.lib.csvsafe import csv_text

from .. import access, reports
from ..policy import policy
from ..presenters import tally_dict
from .common import chart, monitoring_required

GROUPS = ("project", "country", "theme")


def _portfolio(
    request: AuthenticatedHttpRequest,
) -> tuple[str, list[dict[str, Any]], dict[str, Any]]:
    by = request.GET.get("by", "project")
    by = by if by in GROUPS else "project"
    data = reports.portfolio(access.visible_projects(request.user))
    rows = sorted((tally_dict(t, by) for t in data[by]), key=lambda r: str(r["label"]))
    return by, rows, tally_dict(data["total"], "all")


@member_required
@monitoring_required
@require_GET
def portfolio_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    by, rows, total = _portfolio(request)
    bars = [(str(r["label"]), Decimal(r["progress"]) if r["progress"] else None) for r in rows]
    context = {
        "by": by,
        "rows": rows,
        "total": total,
        "chart": chart(bars),
        "chart_id": "portfolio",
        "chart_title": _("Progress against target"),
        "can_create": policy.can_create_project(request.user),
    }
    return render(request, "monitoring/portfolio.html", context)


@member_required
@monitoring_required
@require_GET
def portfolio_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    by, rows, _total = _portfolio(request)
    header = [
        by,
        "projects",
        "indicators",
        "measured",
        "on_track",
        "without_data",
        "late_reports",
        "progress",
    ]
    lines = (
        [
            r["label"],
            r["projects"],
            r["indicators"],
            r["measured"],
            r["on_track"],
            r["without_data"],
            r["late_reports"],
            r["progress"] or "",
        ]
        for r in rows
    )
    response = HttpResponse(csv_text(header, lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="portfolio-by-{by}.csv"'
    return response
