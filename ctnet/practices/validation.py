"""Checking practice content before it is written: one set of rules for forms, API and import."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ctnet.core.access import organisations_by_code
from ctnet.core.markings import TLP, clean_handling
from ctnet.core.models import Organisation, UNGroup
from ctnet.practices.vocab import LANGUAGE_CODES, THEMES

# The library shares knowledge, not intelligence: the three levels of the issue, no RED.
PRACTICE_TLP = (TLP.CLEAR, TLP.GREEN, TLP.AMBER)
MAX_TITLE = 300
MAX_SUMMARY = 3000
MAX_BODY = 60000
MAX_OUTCOMES = 10000


@dataclass
class PracticeData:
    title: str
    summary: str
    language: str
    themes: list[str]
    body: str = ""
    regions: list[str] = field(default_factory=list)
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    outcomes: str = ""
    contact_reference: str = ""
    tlp: str = TLP.GREEN
    recipient_codes: list[str] = field(default_factory=list)
    handling: list[str] = field(default_factory=list)
    handling_note: str = ""

    def content(self) -> dict[str, Any]:
        """What a version row keeps (JSON-ready)."""
        data = asdict(self)
        for key in ("period_start", "period_end"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def _text(value: Any, name: str, limit: int, *, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(_("%(field)s must be text.") % {"field": name})
    value = value.strip()
    if required and not value:
        raise ValidationError(_("%(field)s is required.") % {"field": name})
    if len(value) > limit:
        raise ValidationError(
            _("%(field)s is too long (at most %(n)d characters).") % {"field": name, "n": limit}
        )
    return value


def _slugs(value: Any, allowed: Any, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("%(field)s must be a list of codes.") % {"field": name})
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise ValidationError(
            _("Unknown %(field)s: %(codes)s.") % {"field": name, "codes": ", ".join(unknown)}
        )
    return list(dict.fromkeys(value))


def _date(value: Any, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(
            _("%(field)s must be a date (YYYY-MM-DD).") % {"field": name}
        ) from None


def clean_practice(raw: dict[str, Any]) -> PracticeData:
    """Validated, normalised content; ValidationError with a message naming the field."""
    language = raw.get("language")
    if language not in LANGUAGE_CODES:
        raise ValidationError(
            _("Unknown language %(code)r: use one of ar, zh, en, fr, ru, es.") % {"code": language}
        )
    themes = _slugs(raw.get("themes"), THEMES, "themes")
    if not themes:
        raise ValidationError(_("themes: give at least one theme."))
    tlp = raw.get("tlp") or TLP.GREEN
    if tlp not in PRACTICE_TLP:
        raise ValidationError(_("A practice is marked TLP:CLEAR, TLP:GREEN or TLP:AMBER."))
    data = PracticeData(
        title=_text(raw.get("title"), "title", MAX_TITLE, required=True),
        summary=_text(raw.get("summary"), "summary", MAX_SUMMARY, required=True),
        body=_text(raw.get("body"), "body", MAX_BODY, required=False),
        language=language,
        themes=themes,
        regions=_slugs(raw.get("regions"), UNGroup.values, "regions"),
        period_start=_date(raw.get("period_start"), "period_start"),
        period_end=_date(raw.get("period_end"), "period_end"),
        outcomes=_text(raw.get("outcomes"), "outcomes", MAX_OUTCOMES, required=False),
        contact_reference=_text(raw.get("contact_reference"), "contact", 300, required=False),
        tlp=tlp,
        recipient_codes=[c.upper() for c in _slugs_free(raw.get("recipients"))],
    )
    data.handling, data.handling_note = clean_handling(
        raw.get("handling"), raw.get("handling_note")
    )
    if data.period_start and data.period_end and data.period_end < data.period_start:
        raise ValidationError(_("The period ends before it starts."))
    if data.tlp == TLP.AMBER and not data.recipient_codes:
        raise ValidationError(_("TLP:AMBER needs the organisations it is shared with."))
    return data


def _slugs_free(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("recipients must be a list of organisation codes."))
    return list(dict.fromkeys(value))


def resolve_organisations(codes: list[str]) -> list[Organisation]:
    return organisations_by_code(codes)
