"""What the progress pages read: a bounded number of queries whatever the portfolio's size.

The portfolio reads one row per period (with its indicator's measure, direction, baseline and
the actual kept on the period) for the projects a person may see, and folds them in Python into
one row per project, country and theme. A project's page reads its results, indicators and
periods in three queries. Neither reads an update: actuals are kept on the period on approval.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Indicator, Measure, Period, Project, Result, UpdateStatus
from .progress import ON_TRACK, is_late, progress


@dataclass
class Tally:
    """Progress of a set of indicators: the mean of their latest measured progress."""

    key: str
    label: str = ""
    projects: set[int] = field(default_factory=set)
    indicators: int = 0
    measured: int = 0
    on_track: int = 0
    without_data: int = 0
    late: int = 0
    progress_sum: Decimal = Decimal(0)

    @property
    def progress(self) -> Decimal | None:
        return (self.progress_sum / self.measured) if self.measured else None

    @property
    def percent(self) -> int | None:
        p = self.progress
        return None if p is None else round(min(p, Decimal(1)) * 100)


@dataclass
class IndicatorState:
    latest: Decimal | None = None
    latest_end: date | None = None
    has_data: bool = False
    late: int = 0


def _indicator_states(periods: Any, today: date) -> dict[int, tuple[int, IndicatorState]]:
    days = settings.MONITORING_REPORT_DAYS
    states: dict[int, tuple[int, IndicatorState]] = {}
    for pid, iid, measure, asc, base, end, target, has, actual in periods:
        state = states.setdefault(iid, (pid, IndicatorState()))[1]
        if has:
            state.has_data = True
        if is_late(end=end, has_actual=has, today=today, report_days=days):
            state.late += 1
        if (
            has
            and measure != Measure.QUALITATIVE
            and (state.latest_end is None or end > state.latest_end)
        ):
            value = progress(ascending=asc, baseline=base, target=target, actual=actual)
            if value is not None:
                state.latest, state.latest_end = value, end
    return states


def portfolio(projects: QuerySet[Project]) -> dict[str, Any]:
    """Tallies by project, country and theme, and for the whole portfolio (4 queries)."""
    rows = list(projects.values_list("pk", "title", "countries", "themes"))
    periods = Period.objects.filter(
        indicator__result__project__in=projects.values("pk")
    ).values_list(
        "indicator__result__project_id",
        "indicator_id",
        "indicator__measure",
        "indicator__ascending",
        "indicator__baseline_value",
        "end",
        "target_value",
        "has_actual",
        "actual_value",
    )
    states = _indicator_states(periods.iterator(chunk_size=5000), timezone.localdate())
    by_project: dict[int, list[IndicatorState]] = defaultdict(list)
    for pid, state in states.values():
        by_project[pid].append(state)
    # Indicators with no period at all are without data too.
    bare = (
        Indicator.objects.filter(result__project__in=projects.values("pk"), periods__isnull=True)
        .values("result__project_id")
        .annotate(n=Count("pk"))
    )
    bare_by_project = {r["result__project_id"]: r["n"] for r in bare}
    total = Tally("all")
    tallies: dict[str, dict[str, Tally]] = {"project": {}, "country": {}, "theme": {}}
    for pid, title, countries, themes in rows:
        groups = [("project", str(pid), title)]
        groups += [("country", c, c) for c in countries]
        groups += [("theme", t, t) for t in themes]
        for kind, key, label in groups:
            tally = tallies[kind].setdefault(key, Tally(key, label))
            _add(tally, pid, by_project.get(pid, []), bare_by_project.get(pid, 0))
        _add(total, pid, by_project.get(pid, []), bare_by_project.get(pid, 0))
    return {"total": total, **{k: list(v.values()) for k, v in tallies.items()}}


def _add(tally: Tally, pid: int, states: list[IndicatorState], bare: int) -> None:
    tally.projects.add(pid)
    tally.indicators += len(states) + bare
    tally.without_data += bare
    for state in states:
        tally.late += state.late
        if not state.has_data:
            tally.without_data += 1
        if state.latest is not None:
            tally.measured += 1
            tally.progress_sum += state.latest
            if state.latest >= ON_TRACK:
                tally.on_track += 1


def project_framework(project: Project) -> list[Result]:
    """Results with indicators, periods and pending counts: three queries."""
    periods = Period.objects.annotate(
        pending=Count("updates", filter=Q(updates__status=UpdateStatus.SUBMITTED))
    ).order_by("start", "id")
    return list(
        Result.objects.filter(project=project)
        .select_related("parent")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("position", "id").prefetch_related(
                    Prefetch("periods", queryset=periods)
                ),
            )
        )
    )
