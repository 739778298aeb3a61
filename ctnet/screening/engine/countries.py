"""UN nationality / country text -> ISO 3166 alpha-3.

pycountry knows official and common names; the UN Consolidated List also writes demonyms
("Tunisian"), historic states ("USSR (until 1991)") and free-text remarks, which this small table
and the clean-up below resolve. Unresolvable text is returned unchanged by `country_to_iso3`'s
caller so no information is lost, only left uncompared.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

# Spellings seen in the 2017/2018 editions that pycountry.lookup does not resolve.
UN_SPELLINGS: dict[str, str] = {
    "afghan": "AFG",
    "algerian": "DZA",
    "egyptian": "EGY",
    "german": "DEU",
    "iraqi": "IRQ",
    "jordanian": "JOR",
    "kuwaiti": "KWT",
    "libyan": "LBY",
    "moroccan": "MAR",
    "pakistani": "PAK",
    "palestinian": "PSE",
    "saudi arabian": "SAU",
    "somali": "SOM",
    "sudanese": "SDN",
    "syrian": "SYR",
    "tunisian": "TUN",
    "yemeni": "YEM",
    "ethiopian": "ETH",
    "indonesian": "IDN",
    "turkey": "TUR",
    "state of palestine": "PSE",
    "united states": "USA",
    "iran": "IRN",
    "ussr": "SUN",  # ISO 3166-3 code of the former Soviet Union
    "democratic people's republic of korea": "PRK",
    "republic of korea": "KOR",
    "democratic republic of the congo": "COD",
}

# Words that precede or follow a country in UN free text and carry no country meaning.
_NOISE = re.compile(r"\b(possibly|passport|by birth|citizenship.*|as at.*)\b", re.IGNORECASE)
_ALL_ISO3 = frozenset(c.alpha_3 for c in pycountry.countries) | {"SUN", "XKX"}


def is_iso3(code: str) -> bool:
    return code.upper() in _ALL_ISO3


@lru_cache(maxsize=4096)
def country_to_iso3(text: str) -> str | None:
    """Resolve a UN country/nationality text to alpha-3, or None when it is not a country."""
    raw = " ".join(text.split())
    if not raw or raw.lower() in {"na", "n/a", "unknown"}:
        return None
    if len(raw) == 3 and is_iso3(raw):
        return raw.upper()
    # "Iran (Islamic Republic of)" is pycountry's "Iran, Islamic Republic of"; other
    # parentheses are remarks ("Indonesia (as at Dec. 2003)").
    candidates = [raw, re.sub(r"\s*\((.*)\)", r", \1", raw), re.sub(r"\s*\(.*?\)", "", raw)]
    # "United States. Also believed to hold Syrian nationality": the first sentence is the fact.
    candidates.append(raw.split(".")[0])
    candidates.append(_NOISE.sub("", re.sub(r"\s*\(.*?\)", "", raw)).strip())
    for cand in candidates:
        cand = cand.strip(" ,.")
        if not cand:
            continue
        mapped = UN_SPELLINGS.get(cand.lower())
        if mapped:
            return mapped
        try:
            return str(pycountry.countries.lookup(cand).alpha_3)
        except LookupError:
            continue
    return None
