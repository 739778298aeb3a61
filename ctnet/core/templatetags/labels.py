"""Template filters that show codes as labels, and times, numbers and codes in the right direction.

``{% load labels %}`` and then:

- ``{{ s.status|label:"hashes.SignalStatus" }}``: the translated label of a registered code
  (``core/labels.py``); ``{{ p.regions|labels:"core.UNGroup"|join:", " }}`` for a list.
- ``{{ d.deadline|when }}``: a date and time in the person's zone and language, with the zone's
  name, isolated left to right; ``{{ e.review_date|day }}``: a date; ``{% period a b %}``: a date
  range, read start first in every language. ISO strings (an edition stamp) are parsed first.
- ``{{ doc|ltr }}``: a code, number or identifier isolated left to right inside a right-to-left
  page (``<bdi dir="ltr">``), so "09:00–17:00" never reads "17:00–09:00".
- ``{{ tlp|tlp }}``: a TLP level as the standard's own word (``TLP:AMBER``), left to right.
- ``{% details e.detail %}``: a key/value list of an audit row's details.

Bidirectional rule (docs/architecture.md): people's text (titles, bodies, names) goes in
``<bdi>`` or an element with ``dir="auto"``; everything machine-made and left-to-right by nature
goes through ``ltr``, ``when``, ``day``, ``period`` or ``tlp``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ctnet.core import labels as registry

register = template.Library()


@register.filter
def label(value: Any, vocabulary: str) -> str:
    return registry.label(vocabulary, value)


@register.filter
def labels(values: Any, vocabulary: str) -> list[str]:
    return registry.labels(vocabulary, values)


def _isolate(text: str) -> SafeString:
    return format_html('<bdi dir="ltr">{}</bdi>', text)


@register.filter
def ltr(value: Any) -> SafeString | str:
    if value is None or value == "":
        return ""
    return _isolate(str(value))


@register.filter
def bdi(value: Any) -> SafeString | str:
    """People's text inside a sentence: isolated, its direction taken from its own letters."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def tlp(value: Any) -> SafeString | str:
    if not value:
        return ""
    return format_html('<bdi dir="ltr" class="tlp">TLP:{}</bdi>', value)


def _as_moment(value: Any) -> date | datetime | None:
    if isinstance(value, str):
        value = value.strip()
        try:
            return parse_datetime(value) or parse_date(value)
        except ValueError:
            return None
    return value if isinstance(value, date) else None


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter(expects_localtime=False)
def when(value: Any, precision: str = "") -> SafeString | str:
    """A moment as the person reads it: their zone, their language's short format, the zone."""
    moment = _as_moment(value)
    if moment is None:
        return "" if value in (None, "") else str(value)
    if not isinstance(moment, datetime):
        return day(moment)
    moment = _local(moment)
    text = formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    if precision == "seconds":
        text = f"{formats.date_format(moment, 'SHORT_DATE_FORMAT')} {moment:%H:%M:%S}"
    return _isolate(f"{text} {moment.tzname() or ''}".strip())


@register.filter(expects_localtime=False)
def day(value: Any) -> SafeString | str:
    moment = _as_moment(value)
    if moment is None:
        return "" if value in (None, "") else str(value)
    if isinstance(moment, datetime):
        moment = _local(moment).date()
    return _isolate(formats.date_format(moment, "SHORT_DATE_FORMAT"))


@register.simple_tag
def period(start: Any, end: Any, unknown: str = "?") -> SafeString:
    """``start – end`` as one left-to-right run, so a right-to-left page never reverses it."""
    return format_html(
        '<bdi dir="ltr" class="period">{} – {}</bdi>',
        day(start) or unknown,
        day(end) or unknown,
    )


def _detail_value(value: Any) -> Any:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        if not value:
            return "—"
        return _isolate(", ".join(str(v) for v in value))
    if isinstance(value, dict):
        return details(value)
    if isinstance(value, str) and _as_moment(value) is not None and len(value) >= 10:
        return when(value)
    if isinstance(value, int | float):
        return _isolate(formats.number_format(value))
    return format_html("<bdi>{}</bdi>", value)


@register.simple_tag
def details(detail: Any) -> SafeString | str:
    """An audit row's details as ``<dl>``: each key by its registered label, values isolated."""
    if not detail:
        return "—"
    if not isinstance(detail, dict):
        return format_html("<bdi>{}</bdi>", detail)
    return format_html(
        '<dl class="details">{}</dl>',
        format_html_join(
            "",
            "<dt>{}</dt><dd>{}</dd>",
            ((registry.detail_key_label(k), _detail_value(v)) for k, v in detail.items()),
        ),
    )
