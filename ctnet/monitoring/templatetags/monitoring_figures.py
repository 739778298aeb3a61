"""``{{ value|figure }}``: a stored decimal (a target, an actual, a baseline) as the reader's
language writes it ("12.5", "12,5"), without the trailing zeros of its four stored places and
never in exponent form (``Decimal("100.0000").normalize()`` prints "1E+2"), isolated left to
right like every number in a right-to-left page (docs/architecture.md)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import formats
from django.utils.safestring import SafeString

from ctnet.core.templatetags.labels import ltr

register = template.Library()


@register.filter
def figure(value: Any) -> SafeString | str:
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return ltr(value)
    places = max(0, -int(number.normalize().as_tuple().exponent))
    text = formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
    return ltr(text)
