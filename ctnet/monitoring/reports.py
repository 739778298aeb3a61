"""What the progress pages read: a bounded number of queries whatever the portfolio's size.

The portfolio reads one row per indicator of the projects a person may see — the latest period
with an approved actual and a target, whether any actual exists, how many reports are late, all
folded by the database from the actuals kept on the periods — and sums them in Python into one
row per project, country and theme. A project's page reads its results, indicators and
periods in three queries. Neither reads an update: actuals are kept on the period on approval.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Indicator, Measure, Period, PeriodUpdate, Project, Result, UpdateStatus
from .progress import ON_TRACK, progress


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
    has_data: bool = False
    late: int = 0


def _indicator_rows(projects: QuerySet[Project], today: date) -> Any:
    """One row per indicator of the visible projects, folded in SQL: its latest period with an
    approved actual and a target, whether it has any actual, and how many reports are late."""
    late_before = today - timedelta(days=settings.MONITORING_REPORT_DAYS)
    periods = Period.objects.filter(indicator=OuterRef("pk"))
    latest = periods.filter(
        has_actual=True, actual_value__isnull=False, target_value__isnull=False
    ).order_by("-end", "-id")
    late = (
        periods.filter(has_actual=False, end__lt=late_before)
        .values("indicator")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Indicator.objects.filter(result__project__in=projects.values("pk"))
        .annotate(
            latest_target=Subquery(latest.values("target_value")[:1]),
            latest_actual=Subquery(latest.values("actual_value")[:1]),
            has_data=Exists(periods.filter(has_actual=True)),
            late=Coalesce(Subquery(late), 0),
        )
        .values_list(
            "result__project_id",
            "measure",
            "ascending",
            "baseline_value",
            "latest_target",
            "latest_actual",
            "has_data",
            "late",
        )
    )


def portfolio(projects: QuerySet[Project]) -> dict[str, Any]:
    """Tallies by project, country and theme, and for the whole portfolio (2 queries)."""
    rows = list(projects.values_list("pk", "title", "countries", "themes"))
    by_project: dict[int, list[IndicatorState]] = defaultdict(list)
    for pid, measure, asc, base, target, actual, has, late in _indicator_rows(
        projects, timezone.localdate()
    ).iterator(chunk_size=5000):
        state = IndicatorState(has_data=bool(has), late=late or 0)
        if measure != Measure.QUALITATIVE:
            state.latest = progress(ascending=asc, baseline=base, target=target, actual=actual)
        by_project[pid].append(state)
    total = Tally("all")
    tallies: dict[str, dict[str, Tally]] = {"project": {}, "country": {}, "theme": {}}
    for pid, title, countries, themes in rows:
        groups = [("project", str(pid), title)]
        groups += [("country", c, c) for c in countries]
        groups += [("theme", t, t) for t in themes]
        for kind, key, label in groups:
            tally = tallies[kind].setdefault(key, Tally(key, label))
            _add(tally, pid, by_project.get(pid, []))
        _add(total, pid, by_project.get(pid, []))
    return {"total": total, **{k: list(v.values()) for k, v in tallies.items()}}


def _add(tally: Tally, pid: int, states: list[IndicatorState]) -> None:
    tally.projects.add(pid)
    tally.indicators += len(states)
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


def reported_project_ids() -> QuerySet[PeriodUpdate, int]:
    """The ids of the projects with at least one approved period update (a sub-query), for
    other capabilities that wait on a project's first report (coordination closes the
    assistance need a project delivers)."""
    return PeriodUpdate.objects.filter(status=UpdateStatus.APPROVED).values_list(
        "period__indicator__result__project", flat=True
    )
