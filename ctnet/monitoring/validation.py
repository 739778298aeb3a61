"""The rules a results framework and its updates must keep, as clear ``ValidationError``s.

Services call these before they write anything, so a refusal leaves nothing half-written; the
API answers them with 400 and pages show them on the form, in the person's language.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ctnet.core.models import Organisation, OrgKind

from .models import Measure
from .themes import THEMES

MAX_DIMENSION_VALUES = 20
MAX_LABEL = 60


def decimal_or_none(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(field)s must be a number.") % {"field": field}) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ValidationError(_("%(field)s is out of range.") % {"field": field})
    return number


def check_dates(start: date, end: date) -> None:
    if end <= start:
        raise ValidationError(_("A period must end after it starts."))


def clean_countries(codes: list[str]) -> list[str]:
    """ISO alpha-3 codes of member states in core's reference data, without repeats."""
    wanted = list(dict.fromkeys(c.strip().upper() for c in codes if c and c.strip()))
    known = set(
        Organisation.objects.filter(code__in=wanted, kind=OrgKind.MEMBER_STATE).values_list(
            "code", flat=True
        )
    )
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise ValidationError(
            _("Unknown country code(s): %(codes)s") % {"codes": ", ".join(unknown)}
        )
    return wanted


def clean_themes(slugs: list[str]) -> list[str]:
    wanted = list(dict.fromkeys(s.strip() for s in slugs if s and s.strip()))
    unknown = [s for s in wanted if s not in THEMES]
    if unknown:
        raise ValidationError(_("Unknown theme(s): %(themes)s") % {"themes": ", ".join(unknown)})
    return wanted


def clean_dimensions(dimensions: Any) -> dict[str, list[str]]:
    """Disaggregation dimensions, capped in combinations (``MONITORING_MAX_DISAGGREGATIONS``)."""
    if not dimensions:
        return {}
    if not isinstance(dimensions, dict):
        raise ValidationError(_("Dimensions must map a name to its values."))
    clean: dict[str, list[str]] = {}
    for name, values in dimensions.items():
        name = str(name).strip()[:MAX_LABEL]
        if not name or not isinstance(values, list) or not values:
            raise ValidationError(_("Each dimension needs a name and at least one value."))
        vals = list(dict.fromkeys(str(v).strip()[:MAX_LABEL] for v in values if str(v).strip()))
        if not vals or len(vals) > MAX_DIMENSION_VALUES:
            raise ValidationError(
                _("A dimension has between 1 and %(n)d values.") % {"n": MAX_DIMENSION_VALUES}
            )
        clean[name] = vals
    combinations = math.prod(len(v) for v in clean.values())
    cap = settings.MONITORING_MAX_DISAGGREGATIONS
    if combinations > cap:
        raise ValidationError(
            _("These dimensions make %(n)d combinations; an indicator may have at most %(cap)d.")
            % {"n": combinations, "cap": cap}
        )
    return clean


def clean_disaggregations(
    rows: Any, dimensions: dict[str, list[str]], measure: str
) -> list[dict[str, Any]]:
    """Values by combination: each names known dimensions and values, once, with a number."""
    if not rows:
        return []
    if measure == Measure.QUALITATIVE:
        raise ValidationError(_("A qualitative indicator takes no values, disaggregated or not."))
    if not isinstance(rows, list):
        raise ValidationError(_("Disaggregations must be a list."))
    if len(rows) > settings.MONITORING_MAX_DISAGGREGATIONS:
        raise ValidationError(_("Too many disaggregated values for this indicator."))
    seen: set[tuple[tuple[str, str], ...]] = set()
    clean = []
    for row in rows:
        dims = row.get("dims") if isinstance(row, dict) else None
        if not isinstance(dims, dict) or not dims:
            raise ValidationError(_("Each disaggregated value names its dimensions."))
        for name, value in dims.items():
            if value not in dimensions.get(name, []):
                raise ValidationError(
                    _("%(name)s=%(value)s is not a dimension of this indicator.")
                    % {"name": name, "value": value}
                )
        key = tuple(sorted((str(k), str(v)) for k, v in dims.items()))
        if key in seen:
            raise ValidationError(_("A combination of dimensions is given twice."))
        seen.add(key)
        number = decimal_or_none(row.get("value"), _("A disaggregated value"))
        if number is None:
            raise ValidationError(_("Each disaggregated value needs a number."))
        clean.append({"dims": dict(key), "value": str(number)})
    return clean


def clean_update_values(
    measure: str,
    *,
    value: Any,
    numerator: Any,
    denominator: Any,
    narrative: str,
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(value, numerator, denominator) as the measure wants them, or a clear refusal.

    A qualitative indicator carries a narrative and no value; a percentage is a numerator over
    a positive denominator (its value is computed, never typed: DHIS2's users faked targets as
    static denominators); the other measures carry a value.
    """
    number = decimal_or_none(value, _("The value"))
    num = decimal_or_none(numerator, _("The numerator"))
    den = decimal_or_none(denominator, _("The denominator"))
    if measure == Measure.QUALITATIVE:
        if number is not None or num is not None or den is not None:
            raise ValidationError(_("A qualitative indicator takes a narrative, not a value."))
        if not narrative.strip():
            raise ValidationError(_("A qualitative indicator needs a narrative."))
        return None, None, None
    if measure == Measure.PERCENTAGE:
        if num is None or den is None:
            raise ValidationError(_("A percentage needs its numerator and its denominator."))
        if den <= 0:
            raise ValidationError(_("The denominator must be greater than zero."))
        if num < 0 or num > den:
            raise ValidationError(_("The numerator must be between zero and the denominator."))
        return (num * 100 / den).quantize(Decimal("0.0001")), num, den
    if num is not None or den is not None:
        raise ValidationError(_("Only a percentage takes a numerator and a denominator."))
    if number is None:
        raise ValidationError(_("This indicator needs a value."))
    return number, None, None


def clean_target(measure: str, value: Any) -> Decimal | None:
    number = decimal_or_none(value, _("The target"))
    if measure == Measure.QUALITATIVE and number is not None:
        raise ValidationError(_("A qualitative indicator takes a narrative, not a value."))
    if measure == Measure.PERCENTAGE and number is not None and not 0 <= number <= 100:
        raise ValidationError(_("A percentage target is between 0 and 100."))
    return number
