"""Coordination pages across plans: a resolution across countries, coverage by region, late
milestones; and one plan as a printable report and as CSV."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ctnet.coordination import access, answers, charts, overview, presenters, waiting
from ctnet.coordination.models import Status
from ctnet.coordination.references import REFERENCES, reference_label
from ctnet.coordination.views.common import coordination_required
from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.directory.coverage import map_shapes
from ctnet.lib.csvsafe import csv_text


@member_required
@coordination_required
@require_GET
def resolution(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ref = REFERENCES.get(code.upper())
    if ref is None:
        raise Http404
    paragraph = request.GET.get("paragraph", "")
    if paragraph and paragraph not in ref.paragraphs:
        paragraph = ""
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    per_page = overview.ROWS_PER_PAGE
    view = overview.resolution_view(
        request.user, ref.code, paragraph, offset=(number - 1) * per_page, limit=per_page
    )
    context = {
        "ref": ref,
        "paragraph": paragraph,
        "view": view,
        "self_bar": charts.stacked_bar(view.self_counts),
        "assessed_bar": charts.stacked_bar(view.assessed_counts),
        "previous_page": number - 1 if number > 1 else None,
        "next_page": number + 1 if number * per_page < view.total else None,
    }
    return render(request, "coordination/resolution.html", context)


@member_required
@coordination_required
@require_GET
def coverage(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = overview.regional_coverage(request.user)
    bars = [
        (row, charts.stacked_bar(row.self_counts), charts.stacked_bar(row.assessed_counts))
        for row in rows
    ]
    shapes = map_shapes()
    context = {
        "bars": bars,
        "scale": Status.choices,
        "bar_width": charts.BAR_WIDTH,
        "features": overview.state_map(request.user),
        "buckets": [(key, label, overview.MAP_COLOURS[key]) for key, label in overview.MAP_BUCKETS],
        "map_width": shapes["width"],
        "map_height": shapes["height"],
    }
    return render(request, "coordination/coverage.html", context)


@member_required
@coordination_required
@require_GET
def late(request: AuthenticatedHttpRequest) -> HttpResponse:
    # ``?waiting=late`` / ``?waiting=due``: the person's own plans' milestones the home page
    # counts; without it, the late milestones of every plan one may read.
    which = request.GET.get("waiting", "")
    if which in (waiting.LATE, waiting.DUE):
        qs = waiting.own_milestones(request.user, which).select_related(
            "commitment__plan__originator"
        )
        items = list(qs.order_by("due_date", "id")[: overview.LATE_SHOWN])
    else:
        which = ""
        items = overview.late_milestones(request.user)
    return render(request, "coordination/late.html", {"items": items, "which": which})


@member_required
@coordination_required
@require_GET
def plan_report(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    plan = access.access_plan(request.user, plan_id)
    detail = presenters.plan_detail(request.user, plan)
    answers.attach_projects(request.user, detail["commitments"])
    marks = [m for c in detail["commitments"] for m in c["milestones"]]
    context = {
        "plan": plan,
        "detail": detail,
        "timeline": charts.timeline(plan.period_start, plan.period_end, marks),
    }
    return render(request, "coordination/report.html", context)


@member_required
@coordination_required
@require_GET
def plan_csv(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    """One row per commitment; cells are escaped against spreadsheet formulas (csvsafe)."""
    plan = access.access_plan(request.user, plan_id)
    detail = presenters.plan_detail(request.user, plan)
    header = [
        _("Commitment"),
        _("Pillar"),
        _("References"),
        _("Self-reported status"),
        _("Progress (per cent)"),
        _("Assessed status"),
        _("Assessed by"),
        _("Milestones"),
        _("Late milestones"),
    ]
    rows = [
        [
            c["title"],
            c["pillar"],
            "; ".join(reference_label(r["code"], r["paragraph"]) for r in c["references"]),
            c["self_status"],
            c["self_progress"],
            c["assessed_status"],
            c["assessed_by"],
            len(c["milestones"]),
            sum(1 for m in c["milestones"] if m["late"]),
        ]
        for c in detail["commitments"]
    ]
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="action-plan-{plan.pk}.csv"'
    response["X-Marking"] = f"TLP:{plan.tlp}"
    return response
