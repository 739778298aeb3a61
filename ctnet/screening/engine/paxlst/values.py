"""Values of PAXLST elements: country codes (ISO 3166 and ICAO 9303), dates of birth with the
century rule, document expiry dates and timestamps."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pycountry

from ctnet.screening.engine.countries import is_iso3
from ctnet.screening.engine.model import DateOfBirth

# --------------------------------------------------------------------------------------------
# Values


# ICAO Doc 9303 codes that are not ISO 3166 but appear in passports and so in API data.
_ICAO_COUNTRIES: dict[str, str | None] = {
    "D": "DEU",  # Germany writes a single letter in the MRZ
    "GBD": "GBR",  # British Overseas Territories citizen
    "GBN": "GBR",  # British National (Overseas)
    "GBO": "GBR",  # British Overseas citizen
    "GBP": "GBR",  # British protected person
    "GBS": "GBR",  # British subject
    "RKS": "XKX",  # Kosovo, as some issuers write it
    "UNK": "XKX",  # resident of Kosovo, UNMIK travel document
    # Documents of no state: valid, but no nationality to compare with a list entry.
    "XXA": None,  # stateless person
    "XXB": None,  # refugee (1951 convention)
    "XXC": None,  # refugee (other)
    "XXX": None,  # unspecified nationality
    "UNO": None,  # United Nations official
    "UNA": None,  # United Nations specialised agency
    "EUE": None,  # European Union laissez-passer
    "XOM": None,  # Sovereign Military Order of Malta
    "XPO": None,  # Interpol
}


@lru_cache(maxsize=1024)
def country_code(text: str) -> str | None:
    """ISO alpha-3 for an alpha-3, alpha-2 or ICAO 9303 code; None for none/stateless.

    ValueError for anything else, so that a typo does not pass for "no nationality".
    """
    code = text.strip().upper().rstrip("<")
    if not code:
        return None
    if code in _ICAO_COUNTRIES:
        return _ICAO_COUNTRIES[code]
    if len(code) == 3 and is_iso3(code):
        return code
    if len(code) == 2:
        country = pycountry.countries.get(alpha_2=code)
        if country is not None:
            return str(country.alpha_3)
    raise ValueError(f"unknown country code {text!r}")


def birth_date(text: str, fmt: str, reference: dt.date) -> DateOfBirth:
    """DTM+329. YYMMDD per the guidelines; CCYYMMDD (102) and CCYY (602) also accepted.

    Century rule for YYMMDD: the 21st century unless that date would lie after `reference`,
    then the 20th (nobody is born in the future; centenarians are read 100 years too young,
    as every PAXLST receiver must).
    """
    text = text.strip()
    if not text.isdigit():
        raise ValueError(f"date of birth {text!r} is not numeric")
    if fmt == "602" and len(text) == 4:
        return DateOfBirth.year(int(text))
    if len(text) == 8:
        return DateOfBirth.exact(_date(int(text[:4]), text[4:], "date of birth", text))
    if len(text) != 6:
        raise ValueError(f"date of birth {text!r} is not YYMMDD")
    born = _date(2000 + int(text[:2]), text[2:], "date of birth", text)
    if born > reference:
        born = _date(1900 + int(text[:2]), text[2:], "date of birth", text)
    return DateOfBirth.exact(born)


def _date(year: int, mmdd: str, what: str, text: str) -> dt.date:
    try:
        return dt.date(year, int(mmdd[:2]), int(mmdd[2:4]))
    except ValueError:
        raise ValueError(f"impossible {what} {text!r}") from None


def _window_year(yy: int, reference: dt.date) -> int:
    """Two-digit years of expiry and flight dates lie around now: 20YY unless > 50 years ahead."""
    year = 2000 + yy
    return year - 100 if year > reference.year + 50 else year


def expiry_date(text: str, reference: dt.date) -> dt.date:
    text = text.strip()
    if len(text) == 8 and text.isdigit():
        return _date(int(text[:4]), text[4:], "document expiry date", text)
    if len(text) != 6 or not text.isdigit():
        raise ValueError(f"document expiry date {text!r} is not YYMMDD")
    return _date(_window_year(int(text[:2]), reference), text[2:], "document expiry date", text)


def timestamp(text: str, reference: dt.date, what: str) -> dt.datetime:
    """201 YYMMDDHHMM, 203 CCYYMMDDHHMM, or a bare YYMMDD / CCYYMMDD date."""
    text = text.strip()
    if not text.isdigit() or len(text) not in (6, 8, 10, 12):
        raise ValueError(f"{what} {text!r} is not YYMMDD[HHMM] or CCYYMMDD[HHMM]")
    if len(text) in (6, 10):
        year, rest = _window_year(int(text[:2]), reference), text[2:]
    else:
        year, rest = int(text[:4]), text[4:]
    try:
        hour, minute = (int(rest[4:6]), int(rest[6:8])) if len(rest) == 8 else (0, 0)
        # PAXLST times carry no zone (airport local time), so a naive datetime is the truth.
        return dt.datetime(year, int(rest[:2]), int(rest[2:4]), hour, minute)  # noqa: DTZ001
    except ValueError:
        raise ValueError(f"impossible {what} {text!r}") from None
