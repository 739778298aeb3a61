"""Vocabularies of the directory: expertise topics, languages, time zones, channels.

The expertise topics themselves are the network's shared vocabulary in ``ctnet/core/topics.py``.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import lru_cache

import pycountry
from django.utils.functional import Promise

from ctnet.core.topics import TOPICS

TOPIC_SLUGS: tuple[str, ...] = tuple(TOPICS)

# An OpenPGP fingerprint: 40 hex digits (v4) or 64 (v5/v6), spaces allowed for readability.
_PGP_RE = re.compile(r"^(?:[0-9A-F]{40}|[0-9A-F]{64})$")
# International format only: a directory is read across borders, so "+" and a country code.
_PHONE_RE = re.compile(r"^\+[0-9][0-9 ().-]{5,30}$")


def topic_label(slug: str) -> str:
    return str(TOPICS.get(slug, slug))


def topic_choices() -> list[tuple[str, Promise]]:
    return list(TOPICS.items())


def is_topic(slug: str) -> bool:
    return slug in TOPICS


@lru_cache(maxsize=1)
def _language_codes() -> frozenset[str]:
    return frozenset(lang.alpha_2 for lang in pycountry.languages if getattr(lang, "alpha_2", None))


def is_language(code: str) -> bool:
    """An ISO 639-1 two-letter code."""
    return code in _language_codes()


def language_name(code: str) -> str:
    lang = pycountry.languages.get(alpha_2=code)
    return lang.name if lang is not None else code


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_time_zone(name: str) -> bool:
    """An IANA time zone name known to this system's tz database."""
    return name in _time_zones()


def normalise_pgp(value: str) -> str | None:
    """The fingerprint in canonical form (upper case, no spaces), or None if malformed."""
    compact = re.sub(r"\s+", "", value).upper()
    if compact.startswith("0X"):
        compact = compact[2:]
    return compact if _PGP_RE.match(compact) else None


def is_phone(value: str) -> bool:
    return bool(_PHONE_RE.match(value))


# --- Delimited lists ------------------------------------------------------------------------
# Topics and languages are stored as ",a,b," strings: a LIKE '%,a,%' filter is the same one
# query on SQLite and PostgreSQL, with no join table to multiply rows in searches.


def pack(values: list[str] | tuple[str, ...]) -> str:
    return f",{','.join(values)}," if values else ""


def unpack(stored: str) -> list[str]:
    return [v for v in stored.split(",") if v]
