"""Writes of the results framework: results, indicators, periods, and locking a period."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.conflicts import Conflict
from ctnet.core.models import User

from ..models import Indicator, Measure, Period, PeriodUpdate, Project, Result, ResultType
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


class PeriodLocked(Conflict):
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


RESULT_FIELDS = ("type", "title", "description", "parent", "aggregation_status")
INDICATOR_FIELDS = (
    "title",
    "description",
    "measure",
    "ascending",
    "baseline_year",
    "baseline_value",
    "baseline_comment",
    "dimensions",
    "countries",
)
PERIOD_FIELDS = ("start", "end", "target_value", "target_comment", "target_dimensions")


def _only(changes: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )


def _check_parent(result: Result, parent: Result | None) -> None:
    """Same entity, and no loop: the new parent is not the result nor one of its children."""
    if parent is None:
        return
    if parent.project.originator_id != result.project.originator_id:
        raise ValidationError(_("A result rolls up only into a result of the same entity."))
    step: Result | None = parent
    seen = 0
    while step is not None and seen < 100:
        if step.pk == result.pk:
            raise ValidationError(_("A result cannot roll up into itself or its own children."))
        step, seen = step.parent, seen + 1


def update_result(*, acting_user: User, result: Result, **changes: Any) -> Result:
    """Change a result: the rules of ``add_result``, and no loop of parents."""
    _require_manager(acting_user, result.project)
    _only(changes, RESULT_FIELDS)
    if "type" in changes and changes["type"] not in ResultType.values:
        raise ValidationError(_("Unknown result type: %(t)s.") % {"t": changes["type"]})
    if "title" in changes:
        changes["title"] = _check_text(changes["title"])
    if "description" in changes:
        changes["description"] = str(changes["description"] or "").strip()
    if "aggregation_status" in changes:
        changes["aggregation_status"] = bool(changes["aggregation_status"])
    with transaction.atomic():
        locked = Result.objects.select_for_update().select_related("project").get(pk=result.pk)
        if "parent" in changes:
            _check_parent(locked, changes["parent"])
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(changes))
        audit.record(
            "monitoring.result.update",
            actor=acting_user,
            obj=locked,
            detail={"project": locked.project_id, "fields": sorted(changes)},
        )
    return locked


def _check_indicator(indicator: Indicator, changes: dict[str, Any]) -> None:
    """The indicator as it will be: baseline by measure, and every period's targets still
    valid; its measure and dimensions are fixed once someone has reported on it."""
    measure = changes.get("measure", indicator.measure)
    if measure not in Measure.values:
        raise ValidationError(_("Unknown measure: %(m)s.") % {"m": measure})
    baseline = changes.get("baseline_value", indicator.baseline_value)
    if measure == Measure.QUALITATIVE and baseline is not None:
        raise ValidationError(_("A qualitative indicator takes a narrative, not a value."))
    year = changes.get("baseline_year", indicator.baseline_year)
    if year is not None and not 1950 <= year <= 2100:
        raise ValidationError(_("The baseline year is out of range."))
    dims = changes.get("dimensions", indicator.dimensions)
    reshaped = measure != indicator.measure or dims != indicator.dimensions
    if reshaped and PeriodUpdate.objects.filter(period__indicator=indicator).exists():
        raise ValidationError(
            _("Updates report on this indicator: its measure and dimensions can no longer change.")
        )
    for period in indicator.periods.all():
        clean_target(measure, period.target_value)
        clean_disaggregations(period.target_dimensions, dims, measure)


def update_indicator(*, acting_user: User, indicator: Indicator, **changes: Any) -> Indicator:
    """Change an indicator: the rules of ``add_indicator``, checked against its periods."""
    _require_manager(acting_user, indicator.result.project)
    _only(changes, INDICATOR_FIELDS)
    if "title" in changes:
        changes["title"] = _check_text(changes["title"])
    for text, size in (("description", 100_000), ("baseline_comment", 1000)):
        if text in changes:
            changes[text] = str(changes[text] or "").strip()[:size]
    if "baseline_value" in changes:
        changes["baseline_value"] = decimal_or_none(changes["baseline_value"], _("The baseline"))
    if "ascending" in changes:
        changes["ascending"] = bool(changes["ascending"])
    if "dimensions" in changes:
        changes["dimensions"] = clean_dimensions(changes["dimensions"] or {})
    if "countries" in changes:
        changes["countries"] = clean_countries(list(changes["countries"]))
    with transaction.atomic():
        locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
        _check_indicator(locked, changes)
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(changes))
        audit.record(
            "monitoring.indicator.update",
            actor=acting_user,
            obj=locked,
            detail={"result": locked.result_id, "fields": sorted(changes)},
        )
    locked.result = indicator.result
    return locked


def update_period(*, acting_user: User, period: Period, **changes: Any) -> Period:
    """Change a period's dates or targets: the rules of ``add_period``; a locked period's
    figures are final (``PeriodLocked``, HTTP 409)."""
    indicator = period.indicator
    _require_manager(acting_user, indicator.result.project)
    _only(changes, PERIOD_FIELDS)
    start, end = changes.get("start", period.start), changes.get("end", period.end)
    check_dates(start, end)
    if "target_value" in changes:
        changes["target_value"] = clean_target(indicator.measure, changes["target_value"])
    if "target_comment" in changes:
        changes["target_comment"] = str(changes["target_comment"] or "").strip()[:1000]
    if "target_dimensions" in changes:
        changes["target_dimensions"] = clean_disaggregations(
            changes["target_dimensions"] or [], indicator.dimensions, indicator.measure
        )
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        if locked.is_locked:
            raise PeriodLocked(_("This period is locked: its approved figures are final."))
        others = indicator.periods.exclude(pk=locked.pk)
        if others.filter(start__lt=end, end__gt=start).exists():
            raise ValidationError(_("This period overlaps another period of the indicator."))
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(changes))
        audit.record(
            "monitoring.period.update",
            actor=acting_user,
            obj=locked,
            detail={"indicator": indicator.pk, "fields": sorted(changes)},
        )
    locked.indicator = indicator
    return locked


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


# --- Deleting rows of the framework -------------------------------------------------------------
# A framework is set up before anyone reports, and its mistakes are cleaned up then. Once an
# update exists under a row (a draft, one waiting for its decision, an approved figure), the row
# is no longer the owner's alone to drop: the reporters' figures, their evidence and the four-eyes
# history go with it, and a donor's approved actual would vanish from the IATI export. So a row
# with any update under it is refused (as changing a reported indicator's measure is), and a
# locked period is final (409). A row with only targets and baselines goes, with what is below it.


def _refuse_if_reported(periods: QuerySet[Period], message: str) -> int:
    """Lock the periods (reporting locks a period before it writes an update under it, so no
    update can slip in between this check and the delete), refuse if any is reported on, and
    return how many go."""
    ids = list(periods.select_for_update().values_list("pk", flat=True))
    if PeriodUpdate.objects.filter(period_id__in=ids).exists():
        raise ValidationError(message)
    return len(ids)


def delete_period(*, acting_user: User, period: Period) -> None:
    """Delete a period and its targets; refused once locked (``PeriodLocked``) or reported on."""
    indicator = period.indicator
    _require_manager(acting_user, indicator.result.project)
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        if locked.is_locked:
            raise PeriodLocked(_("This period is locked: its approved figures are final."))
        _refuse_if_reported(
            Period.objects.filter(pk=locked.pk),
            _("Updates report on this period: it cannot be deleted."),
        )
        audit.record(
            "monitoring.period.delete",
            actor=acting_user,
            obj=locked,
            detail={"indicator": indicator.pk, "start": locked.start, "end": locked.end},
        )
        locked.delete()


def delete_indicator(*, acting_user: User, indicator: Indicator) -> None:
    """Delete an indicator with its periods; refused once any of its periods is reported on."""
    _require_manager(acting_user, indicator.result.project)
    with transaction.atomic():
        locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
        periods = _refuse_if_reported(
            Period.objects.filter(indicator=locked),
            _("Updates report on this indicator: it cannot be deleted."),
        )
        audit.record(
            "monitoring.indicator.delete",
            actor=acting_user,
            obj=locked,
            detail={
                "result": locked.result_id,
                "title": locked.title,
                "periods": periods,
            },
        )
        locked.delete()


def delete_result(*, acting_user: User, result: Result) -> None:
    """Delete a result with its indicators and periods; refused once reported on, or while
    other results roll up into it (a programme's parts keep their parent until moved)."""
    _require_manager(acting_user, result.project)
    with transaction.atomic():
        locked = Result.objects.select_for_update().get(pk=result.pk)
        if locked.children.exists():
            raise ValidationError(
                _("Other results roll up into this one: move or delete them first.")
            )
        periods = _refuse_if_reported(
            Period.objects.filter(indicator__result=locked),
            _("Updates report on this result's indicators: it cannot be deleted."),
        )
        audit.record(
            "monitoring.result.delete",
            actor=acting_user,
            obj=locked,
            detail={
                "project": locked.project_id,
                "title": locked.title,
                "indicators": locked.indicators.count(),
                "periods": periods,
            },
        )
        locked.delete()
