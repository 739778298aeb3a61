"""Checking a contact point before it is saved: every problem named, nothing saved on any.

Pages and the API hand raw values here (through the services); the messages are the ones people
read, so each says what is wrong and what is expected.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from ctnet.core.models import Organisation, OrgKind
from ctnet.directory import taxonomy
from ctnet.directory.models import Audience, ContactPoint, Function

# The fields people edit; everything else (verified, version, dates) is set by the services.
EDITABLE_FIELDS = (
    "function",
    "office",
    "holders",
    "mandate",
    "topics",
    "languages",
    "time_zone",
    "always_on",
    "hours_start",
    "hours_end",
    "work_days",
    "urgent_procedure",
    "phone",
    "email",
    "pgp_fingerprint",
    "other_channel",
    "deputy_id",
    "published_to",
)
# Changing how a contact is reached voids the secretariat's verification of it.
CHANNEL_FIELDS = frozenset({"phone", "email", "pgp_fingerprint", "other_channel"})
MAX_HOLDERS = 10


def _text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _time(value: Any, label: str, errors: list[str]) -> time | None:
    if value in (None, ""):
        return None
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        errors.append(_("%(field)s must be a time such as 09:00.") % {"field": label})
        return None


def _list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [str(v).strip() for v in value if str(v).strip()]


def _holders(value: Any, errors: list[str]) -> list[dict[str, str]]:
    if not value:
        return []
    if not isinstance(value, list) or len(value) > MAX_HOLDERS:
        errors.append(_("Holders must be a list of at most %(n)d people.") % {"n": MAX_HOLDERS})
        return []
    clean = []
    for item in value:
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            errors.append(_("Each holder needs a name."))
            continue
        clean.append({"name": _text(item["name"], 200), "title": _text(item.get("title"), 200)})
    return clean


def _channels(data: dict[str, Any], errors: list[str]) -> dict[str, str]:
    phone = _text(data.get("phone"), 40)
    email = _text(data.get("email"), 254).lower()
    other = _text(data.get("other_channel"), 300)
    pgp_raw = _text(data.get("pgp_fingerprint"), 100)
    if phone and not taxonomy.is_phone(phone):
        errors.append(_("Phone numbers are written in international form, e.g. +33 1 23 45 67 89."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("%(email)s is not a valid email address.") % {"email": email})
    pgp = ""
    if pgp_raw:
        pgp = taxonomy.normalise_pgp(pgp_raw) or ""
        if not pgp:
            errors.append(_("A PGP fingerprint is 40 or 64 hexadecimal digits."))
    # A key alone reaches nobody: at least one way to actually get a message through.
    if not (phone or email or other):
        errors.append(_("Give at least one reachable channel: phone, email or another channel."))
    return {"phone": phone, "email": email, "other_channel": other, "pgp_fingerprint": pgp}


def _vocabularies(data: dict[str, Any], errors: list[str]) -> dict[str, Any]:
    topics = _list(data.get("topics"))
    bad_topics = [t for t in topics if not taxonomy.is_topic(t)]
    if bad_topics:
        errors.append(
            _("Unknown topic %(bad)s. Valid topics: %(valid)s.")
            % {"bad": ", ".join(bad_topics), "valid": ", ".join(taxonomy.TOPIC_SLUGS)}
        )
    languages = [code.lower() for code in _list(data.get("languages"))]
    bad_langs = [code for code in languages if not taxonomy.is_language(code)]
    if bad_langs:
        errors.append(
            _("Unknown language code %(bad)s: use ISO 639-1 two-letter codes such as en, fr, ar.")
            % {"bad": ", ".join(bad_langs)}
        )
    tz = _text(data.get("time_zone"), 64) or "UTC"
    if not taxonomy.is_time_zone(tz):
        errors.append(
            _("Unknown time zone %(tz)s: use an IANA name such as Europe/Paris.") % {"tz": tz}
        )
    return {
        "topics": taxonomy.pack(tuple(dict.fromkeys(topics))),
        "languages": taxonomy.pack(tuple(dict.fromkeys(languages))),
        "time_zone": tz,
    }


def _hours(data: dict[str, Any], errors: list[str]) -> dict[str, Any]:
    always_on = bool(data.get("always_on"))
    start = _time(data.get("hours_start"), _("Office hours start"), errors)
    end = _time(data.get("hours_end"), _("Office hours end"), errors)
    days = "".join(sorted(set(_text(data.get("work_days"), 20).replace(",", ""))))
    if days and not set(days) <= set("1234567"):
        errors.append(_("Working days are ISO weekday numbers 1 (Monday) to 7 (Sunday)."))
    if not always_on and (start is None) != (end is None):
        errors.append(_("Give both the start and the end of office hours."))
    if start is not None and start == end:
        errors.append(_("Office hours cannot start and end at the same time."))
    return {
        "always_on": always_on,
        "hours_start": start,
        "hours_end": end,
        "work_days": days or "12345",
    }


def _function(value: Any, org: Organisation, errors: list[str]) -> str:
    function = _text(value, 32) or Function.OFFICE
    if function not in Function.values:
        errors.append(_("Unknown function %(f)s.") % {"f": function})
        return Function.OFFICE
    head = (
        Function.NATIONAL_COORDINATOR
        if org.kind == OrgKind.MEMBER_STATE
        else Function.ENTITY_FOCAL_POINT
    )
    if function != Function.OFFICE and function != head:
        errors.append(
            _("For this organisation the head entry is: %(f)s.") % {"f": Function(head).label}
        )
    return function


def _deputy(value: Any, org: Organisation, contact: ContactPoint | None, errors: list[str]) -> Any:
    if value in (None, ""):
        return None
    try:
        deputy_id = int(value)
    except (TypeError, ValueError):
        errors.append(_("The deputy must be a contact point id."))
        return None
    exists = ContactPoint.objects.filter(pk=deputy_id, organisation=org, is_active=True)
    if contact is not None and contact.pk == deputy_id:
        errors.append(_("A contact point cannot be its own deputy."))
    elif not exists.exists():
        errors.append(_("The deputy must be an active contact point of the same organisation."))
    return deputy_id


def clean_contact(
    data: dict[str, Any], org: Organisation, contact: ContactPoint | None = None
) -> dict[str, Any]:
    """Validated field values for a contact point; raises ValidationError listing every problem."""
    errors: list[str] = []
    office = _text(data.get("office"), 200)
    if not office:
        errors.append(_("Name the office or function."))
    published_to = _text(data.get("published_to"), 16) or Audience.NETWORK
    if published_to not in Audience.values:
        errors.append(
            _("Unknown audience %(a)s. Valid values: %(valid)s.")
            % {"a": published_to, "valid": ", ".join(Audience.values)}
        )
    clean: dict[str, Any] = {
        "function": _function(data.get("function"), org, errors),
        "office": office,
        "holders": _holders(data.get("holders"), errors),
        "mandate": _text(data.get("mandate"), 5000),
        "urgent_procedure": _text(data.get("urgent_procedure"), 5000),
        "published_to": published_to,
        "deputy_id": _deputy(data.get("deputy_id"), org, contact, errors),
        **_channels(data, errors),
        **_vocabularies(data, errors),
        **_hours(data, errors),
    }
    if errors:
        raise ValidationError(errors)
    return clean


def current_values(contact: ContactPoint) -> dict[str, Any]:
    """The editable fields of a saved contact, in the shape ``clean_contact`` accepts."""
    values = {name: getattr(contact, name) for name in EDITABLE_FIELDS}
    values["topics"] = contact.topic_list
    values["languages"] = contact.language_list
    return values
