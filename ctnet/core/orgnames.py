"""Finding organisations by what a person types: a name in any of the six UN languages, a short
name (pycountry's common names and their translations: "Bolivia", "Iran"), an ISO 3166 code
(alpha-3 or alpha-2) or an entity code, without regard to case or accents.

Used by the organisation picker (``core/picker.py``) and by every filter that takes a country
(the directory's search and routing). The organisation table is small (about 250 rows), so a
match is one SELECT and a pass in Python; the folded names of each organisation are cached per
process, keyed by the names themselves, so an edited name is seen at once.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ctnet.core.models import Organisation, OrgKind

# pycountry's gettext catalogues for the five UN languages other than English.
PYCOUNTRY_LOCALES = {"ar": "ar", "zh": "zh_CN", "fr": "fr", "ru": "ru", "es": "es"}

# How well a name answers a query, best first.
EXACT, CODE, PREFIX, WORD_PREFIX, INSIDE = range(5)

# Arabic letters people type interchangeably (hamza forms of alef, alef maqsura, taa marbuta)
# and the tatweel used to stretch words: folded to one form on both sides of the comparison.
_ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None})
_SEPARATORS = re.compile(r"[\s\-‐–—,.;:()'’\"/]+")


def fold(text: str) -> str:
    """Lower case, no accents or Arabic vowel marks, one space between words."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", bare.translate(_ARABIC).casefold()).strip()


@lru_cache(maxsize=8)
def _catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[PYCOUNTRY_LOCALES[lang]], fallback=True
    )


@lru_cache(maxsize=512)
def country_aliases(iso3: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(codes, names) pycountry knows for a country: alpha-2, and its name, official and
    common names in English and their translations in the five other UN languages."""
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return (), ()
    english = {
        getattr(country, attr)
        for attr in ("name", "official_name", "common_name")
        if getattr(country, attr, None)
    }
    names = set(english)
    for lang in PYCOUNTRY_LOCALES:
        names.update(_catalogue(lang).gettext(name) for name in english)
    return (fold(country.alpha_2),), tuple(sorted({fold(n) for n in names} - {""}))


@lru_cache(maxsize=2048)
def _terms(code: str, kind: str, names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    codes = {fold(code)}
    folded = {fold(n) for n in names}
    if kind == OrgKind.MEMBER_STATE:
        alpha2, aliases = country_aliases(code)
        codes.update(alpha2)
        folded.update(aliases)
    return tuple(sorted(codes)), tuple(sorted(folded - {""}))


def terms_of(org: Organisation) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The folded codes and names an organisation answers to."""
    return _terms(org.code, org.kind, tuple(sorted(str(v) for v in org.names.values() if v)))


def rank_in(names: Iterable[str], folded_query: str) -> int | None:
    """How well one of the folded ``names`` answers a folded query (PREFIX ... INSIDE)."""
    best = None
    for name in names:
        if name.startswith(folded_query):
            return PREFIX
        if f" {folded_query}" in f" {name}":
            best = WORD_PREFIX
        elif best is None and folded_query in name:
            best = INSIDE
    return best


def match_rank(org: Organisation, folded_query: str) -> int | None:
    """How well ``org`` answers a folded query (EXACT ... INSIDE), or None."""
    if not folded_query:
        return None
    codes, names = terms_of(org)
    if folded_query in names:
        return EXACT
    if folded_query in codes:
        return CODE
    return rank_in(names, folded_query)


def match_organisations(
    orgs: Iterable[Organisation], query: str, *, worst: int = INSIDE
) -> list[Organisation]:
    """The organisations answering ``query`` at ``worst`` or better, best first, then by name
    in the active language."""
    folded = fold(query)
    ranked = []
    for org in orgs:
        rank = match_rank(org, folded)
        if rank is not None and rank <= worst:
            ranked.append((rank, fold(org.name), org.code, org))
    ranked.sort(key=lambda row: row[:3])
    return [row[3] for row in ranked]


def resolve_organisation(orgs: Iterable[Organisation], text: str) -> Organisation:
    """The one organisation ``text`` names: a code, or a name in any UN language.

    Raises a ValidationError with a short message when nothing or several match, so that a
    filter answers 400 with what went wrong, never the list of every valid code."""
    candidates = list(orgs)
    folded = fold(text)
    exact = [o for o in candidates if match_rank(o, folded) in (EXACT, CODE)]
    found = exact or match_organisations(candidates, text, worst=WORD_PREFIX)
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError(
            _("No country or organisation is called “%(text)s”. Type a name or an ISO code.")
            % {"text": text.strip()[:100]}
        )
    shown = ", ".join(o.name for o in found[:5])
    raise ValidationError(
        _("“%(text)s” could be %(names)s: type more of the name, or its code.")
        % {"text": text.strip()[:100], "names": shown + (", …" if len(found) > 5 else "")}
    )
