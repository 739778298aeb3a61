"""Counts for transparency: runs, travellers and decisions, no person in them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import get_language_bidi, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ctnet.core.charts import Chart, Row, Series, bar_chart
from ctnet.core.decorators import member_required, require_role_check
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.screening.models import HitStatus
from ctnet.screening.policy import policy
from ctnet.screening.reports import screening_stats, weekly


@member_required
@require_role_check(policy.can_see_screening_stats)
@require_GET
def stats_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    stats = screening_stats(request.user)
    labels = dict(HitStatus.choices)
    stats["statuses"] = [(labels.get(k, k), n) for k, n in sorted(stats["hits_by_status"].items())]
    weeks = weekly(request.user)
    context = {
        "stats": stats,
        "decisions_chart": decisions_chart(weeks),
        "runs_chart": runs_chart(weeks),
    }
    return render(request, "screening/stats.html", context)


def _week_label(week: date) -> str:
    return date_format(week, "SHORT_DATE_FORMAT")


def decisions_chart(weeks: list[dict[str, Any]]) -> Chart:
    """Possible matches raised each week, stacked by where their decision stands."""
    series = [Series(key, label) for key, label in HitStatus.choices]
    rows = [
        Row(_week_label(w["week"]), tuple(float(w["hits"].get(s.key, 0)) for s in series))
        for w in weeks
    ]
    return bar_chart(
        _("Possible matches per week, by decision"),
        series,
        rows,
        summary=_("One bar per week, from the oldest; each bar split by decision."),
        rtl=get_language_bidi(),
    )


def runs_chart(weeks: list[dict[str, Any]]) -> Chart:
    rows = [
        Row(
            _week_label(w["week"]),
            (float(w["runs"]),),
            text=ngettext(
                "%(runs)d screening, %(travellers)d travellers",
                "%(runs)d screenings, %(travellers)d travellers",
                w["runs"],
            )
            % {"runs": w["runs"], "travellers": w["travellers"]},
        )
        for w in weeks
    ]
    return bar_chart(
        _("Screenings per week"),
        [Series("runs", _("Screenings"))],
        rows,
        summary=_("One bar per week, from the oldest: the screenings, and the travellers in them."),
        rtl=get_language_bidi(),
    )
