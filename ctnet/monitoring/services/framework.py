"""Writes of the results framework: results, indicators, periods, and locking a period."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.models import User

from ..models import Indicator, Measure, Period, Project, Result, ResultType
from ..policy import policy
from ..validation import (
    check_dates,
    clean_countries,
    clean_dimensions,
    clean_disaggregations,
    clean_target,
    decimal_or_none,
)

MAX_PERIODS = 60


class PeriodLocked(Exception):
    """An approved, locked period refuses every new or changed update (HTTP 409)."""


def _require_manager(user: User, project: Project) -> None:
    if not policy.can_manage_project(user, project):
        raise PermissionDenied(_("Only the owning entity's heads may change this project."))


def _check_text(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("A title is required."))
    return title[:300]


def add_result(
    *,
    acting_user: User,
    project: Project,
    type: str,
    title: str,
    description: str = "",
    parent: Result | None = None,
    aggregation_status: bool = True,
) -> Result:
    _require_manager(acting_user, project)
    if type not in ResultType.values:
        raise ValidationError(_("Unknown result type: %(t)s.") % {"t": type})
    if parent is not None and parent.project.originator_id != project.originator_id:
        # A programme rolls up the results of its own entity's projects, never another's.
        raise ValidationError(_("A result rolls up only into a result of the same entity."))
    with transaction.atomic():
        position = (project.results.aggregate(m=Max("position"))["m"] or 0) + 1
        result = Result.objects.create(
            project=project,
            parent=parent,
            type=type,
            title=_check_text(title),
            description=description.strip(),
            aggregation_status=aggregation_status,
            position=position,
        )
        audit.record(
            "monitoring.result.add", actor=acting_user, obj=result, detail={"project": project.pk}
        )
    return result


def add_indicator(
    *,
    acting_user: User,
    result: Result,
    title: str,
    measure: str,
    ascending: bool = True,
    description: str = "",
    baseline_year: int | None = None,
    baseline_value: Any = None,
    baseline_comment: str = "",
    dimensions: dict[str, list[str]] | None = None,
    countries: Sequence[str] = (),
) -> Indicator:
    _require_manager(acting_user, result.project)
    if measure not in Measure.values:
        raise ValidationError(_("Unknown measure: %(m)s.") % {"m": measure})
    baseline = decimal_or_none(baseline_value, _("The baseline"))
    if measure == Measure.QUALITATIVE and baseline is not None:
        raise ValidationError(_("A qualitative indicator takes a narrative, not a value."))
    if baseline_year is not None and not 1950 <= baseline_year <= 2100:
        raise ValidationError(_("The baseline year is out of range."))
    dims = clean_dimensions(dimensions or {})
    with transaction.atomic():
        position = (result.indicators.aggregate(m=Max("position"))["m"] or 0) + 1
        indicator = Indicator.objects.create(
            result=result,
            title=_check_text(title),
            description=description.strip(),
            measure=measure,
            ascending=ascending,
            baseline_year=baseline_year,
            baseline_value=baseline,
            baseline_comment=baseline_comment.strip()[:1000],
            dimensions=dims,
            countries=clean_countries(list(countries)),
            position=position,
        )
        audit.record(
            "monitoring.indicator.add",
            actor=acting_user,
            obj=indicator,
            detail={"result": result.pk, "measure": measure},
        )
    return indicator


def add_period(
    *,
    acting_user: User,
    indicator: Indicator,
    start: date,
    end: date,
    target_value: Any = None,
    target_comment: str = "",
    target_dimensions: list[dict[str, Any]] | None = None,
) -> Period:
    _require_manager(acting_user, indicator.result.project)
    check_dates(start, end)
    target = clean_target(indicator.measure, target_value)
    by_dims = clean_disaggregations(
        target_dimensions or [], indicator.dimensions, indicator.measure
    )
    with transaction.atomic():
        if indicator.periods.count() >= MAX_PERIODS:
            raise ValidationError(_("An indicator has at most %(n)d periods.") % {"n": MAX_PERIODS})
        if indicator.periods.filter(start__lt=end, end__gt=start).exists():
            raise ValidationError(_("This period overlaps another period of the indicator."))
        period = Period.objects.create(
            indicator=indicator,
            start=start,
            end=end,
            target_value=target,
            target_comment=target_comment.strip()[:1000],
            target_dimensions=by_dims,
        )
        audit.record(
            "monitoring.period.add",
            actor=acting_user,
            obj=period,
            detail={"indicator": indicator.pk, "start": start, "end": end},
        )
    return period


def lock_period(*, acting_user: User, period: Period) -> Period:
    """Close an approved period to further reporting; nothing pending may be left behind."""
    _require_manager(acting_user, period.indicator.result.project)
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        if locked.is_locked:
            raise PeriodLocked(_("This period is locked already."))
        if not locked.updates.filter(status="approved").exists():
            raise ValidationError(_("Only a period with an approved update can be locked."))
        # Drafts and returned updates stay as they are and can no longer be submitted; an
        # update waiting for its decision must get it first.
        if locked.updates.filter(status="submitted").exists():
            raise ValidationError(_("Decide on the updates waiting for approval before locking."))
        locked.locked_at, locked.locked_by = timezone.now(), acting_user
        locked.save(update_fields=["locked_at", "locked_by"])
        audit.record("monitoring.period.lock", actor=acting_user, obj=locked)
    return locked
