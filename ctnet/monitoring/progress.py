"""Progress against target, honouring ``ascending``; free of queries (callers bring the rows).

- A period's actual comes from its approved updates only: units add up; a percentage is the sum
  of numerators over the sum of denominators (never an average of percentages); nominal and
  ordinal take the latest approved value; a qualitative indicator has narratives, no figure.
- Progress is the share of the way from the baseline to the target that the actual has gone:
  ``(actual - baseline) / (target - baseline)`` when higher is better, the same distance the
  other way when lower is better, and ``actual / target`` (or ``target / actual`` for
  descending) when there is no baseline. It is clamped to 0..1.5 so that one outlier does not
  carry a portfolio; None where it cannot be said (no target, no actual, qualitative).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from .models import Measure

MAX_PROGRESS = Decimal("1.5")
ON_TRACK = Decimal("0.8")


@dataclass(frozen=True)
class Actual:
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    dimensions: list[dict[str, Any]]


def combine(measure: str, approved: Iterable[Any]) -> Actual:
    """The actual of a period from its approved updates, oldest first."""
    rows = list(approved)
    sums: dict[tuple[tuple[str, str], ...], Decimal] = {}
    for row in rows:
        for d in row.disaggregations or []:
            key = tuple(sorted(d["dims"].items()))
            sums[key] = sums.get(key, Decimal(0)) + Decimal(d["value"])
    dims = [{"dims": dict(k), "value": str(v)} for k, v in sorted(sums.items())]
    if not rows or measure == Measure.QUALITATIVE:
        return Actual(None, None, None, [])
    if measure == Measure.PERCENTAGE:
        num = sum((r.numerator or Decimal(0) for r in rows), Decimal(0))
        den = sum((r.denominator or Decimal(0) for r in rows), Decimal(0))
        value = (num * 100 / den).quantize(Decimal("0.0001")) if den > 0 else None
        return Actual(value, num, den, dims)
    if measure == Measure.UNIT:
        return Actual(sum((r.value or Decimal(0) for r in rows), Decimal(0)), None, None, dims)
    return Actual(rows[-1].value, None, None, dims)


def progress(
    *,
    ascending: bool,
    baseline: Decimal | None,
    target: Decimal | None,
    actual: Decimal | None,
) -> Decimal | None:
    if target is None or actual is None:
        return None
    if baseline is not None and target != baseline:
        gone = (actual - baseline) / (target - baseline)
    elif ascending:
        gone = actual / target if target else None  # type: ignore[assignment]
    else:
        gone = target / actual if actual else MAX_PROGRESS
    if gone is None:
        return None
    return max(Decimal(0), min(MAX_PROGRESS, gone))


def is_late(*, end: date, has_actual: bool, today: date, report_days: int) -> bool:
    """A period whose report should be in and is not (no approved update)."""
    return not has_actual and end + timedelta(days=report_days) < today


def is_due(*, end: date, has_actual: bool, today: date, report_days: int) -> bool:
    """Ended, not reported, still within the days allowed to report."""
    return not has_actual and end <= today <= end + timedelta(days=report_days)
