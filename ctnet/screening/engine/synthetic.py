"""Seeded synthetic watchlists and traveller variants, for tests and bench/bench_screening.py.

The synthetic world has a fixed *name inventory* per naming culture (Arabic, Pashto, Chechen/
Russian, Somali, Indonesian, Western European, Central Asian; tables in `synthetic_names.py`):
real frequent names at the head, generated plausible names in a long tail, drawn with Zipf-like
frequencies. People combine given names, nasab chains (father, grandfather), patronymics,
family, tribal names and nisba, so a million people give close to a million distinct names while
"Mohammed" stays frequent, as in real populations. The inventory is built from POOL_SEED and is
the same for every run; the run seed only chooses the people, so unlisted travellers drawn with
another seed are different people from the same cultures (and a few are true homonyms).

Arabic script is hand-written for the frequent Arabic names and derived from the root pattern
for generated ones (short vowels unwritten, long vowels written, as Arabic does); Cyrillic comes
from ICU's Latin-Cyrillic.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

import icu

from ctnet.screening.engine import synthetic_names as tables
from ctnet.screening.engine.model import (
    DateOfBirth,
    Document,
    NameKind,
    NameVariant,
    Traveller,
    WatchlistEntry,
)

ARABIC_SCRIPT = tables.ARABIC_SCRIPT
POOL_SEED = 0x5EED
# Pool sizes (distinct names per culture). Given names are few and skewed (Zipf exponent 1:
# "Mohammed" is about one Arab man in ten); family, tribal and nisba names are many and flatter.
GIVEN_POOL = 4_000
FAMILY_POOL = 30_000
GIVEN_ZIPF = 1.0
FAMILY_ZIPF = 0.8
VARIANT_KINDS = ("exact", "typo", "translit", "order", "mrz", "dropped", "original_script")
# Each kind is made by several rules, most of them other than the engine's own normaliser's
# (issue 12: variants from the project's own rules flatter it): `variant_with_rule` names it.
VARIANT_RULES = {
    "typo": ("edit", "keyboard", "vowel"),
    "translit": ("table", "scheme"),
    "mrz": ("filler", "joined"),
}
# ICAO 9303 TD3 (passport) machine-readable zone: 39 characters for SURNAME<<GIVEN<NAMES.
MRZ_NAME_LENGTH = 39
_LONG = {"A": ("a", "ا"), "I": ("i", "ي"), "U": ("ou", "و"), "Y": ("y", "ي")}
# ICU's Latin-Cyrillic reads "ch" as ц+х; Russian passports write these digraphs as one letter.
_CYRILLIC_DIGRAPHS = [("shch", "щ"), ("dzh", "дж"), ("ch", "ч"), ("sh", "ш"), ("kh", "х"),
                      ("zh", "ж"), ("ts", "ц"), ("yev", "ев"), ("ya", "я"),
                      ("yu", "ю")]  # fmt: skip


@lru_cache(maxsize=1)
def _cyrillic() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Latin-Cyrillic")


def arabic_pattern_name(rng: random.Random) -> tuple[str, str]:
    """(Latin, Arabic script) of a name built from a random root in a noun pattern."""
    root = [rng.choice(tables.ARABIC_CONSONANTS) for _ in range(3)]
    latin, script = "", ""
    for ch in rng.choice(tables.ARABIC_PATTERNS):
        if ch.isdigit():
            lat, ara = root[int(ch) - 1]
            latin, script = latin + lat, script + ara
        elif ch in _LONG:
            latin, script = latin + _LONG[ch][0], script + _LONG[ch][1]
        else:  # short vowel or pattern consonant (m, t): short vowels are not written
            latin += ch
            if ch in "mt":
                script += "م" if ch == "m" else "ت"
            elif not script:
                script += "ا"  # a word-initial vowel is carried by an alif
    return latin.capitalize(), script


def _syllabic(rng: random.Random, syllables: list[str], lo: int, hi: int, end: str = "") -> str:
    return ("".join(rng.choice(syllables) for _ in range(rng.randint(lo, hi))) + end).capitalize()


@dataclass(slots=True)
class Pool:
    """Names of one kind in one culture, most frequent first, with Zipf cumulative weights."""

    names: list[str]
    exponent: float
    cumulative: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cumulative = list(
            accumulate(1.0 / (r + 1) ** self.exponent for r in range(len(self.names)))
        )

    def draw(self, rng: random.Random) -> str:
        return self.names[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def _fill(head: list[str], make: Callable[[], str], size: int) -> list[str]:
    """The real head names, then generated ones until the pool has `size` distinct names."""
    out = list(dict.fromkeys(head))
    seen = set(out)
    attempts = 0
    while len(out) < size and attempts < size * 20:
        attempts += 1
        name = make()
        if name not in seen and len(name) >= 3:
            seen.add(name)
            out.append(name)
    return out


@dataclass(slots=True)
class Culture:
    given: Pool
    family: Pool
    nationalities: list[str]


def _arabic_pools(rng: random.Random, script: dict[str, str]) -> tuple[list[str], list[str]]:
    def given() -> str:
        if rng.random() < 0.08:
            return "Abdul" + rng.choice(tables.DIVINE_NAMES).lower()
        latin, ara = arabic_pattern_name(rng)
        script.setdefault(latin, ara)
        return latin

    def nisba() -> str:
        latin, ara = arabic_pattern_name(rng)
        latin = "al-" + latin.rstrip("a") + "i"
        script.setdefault(latin, "ال" + ara.rstrip("ا") + "ي")
        return latin

    return _fill(tables.ARABIC_GIVEN, given, GIVEN_POOL), _fill(
        tables.ARABIC_FAMILY, nisba, FAMILY_POOL
    )


def _pashto_pools(rng: random.Random) -> tuple[list[str], list[str]]:
    def given() -> str:
        if rng.random() < 0.5:
            base = rng.choice([*tables.DIVINE_NAMES, arabic_pattern_name(rng)[0]])
            return base + rng.choice(tables.PASHTO_SUFFIXES)
        return _syllabic(rng, tables.SYLLABLES_PASHTO, 2, 3)

    def tribe() -> str:
        return _syllabic(rng, tables.SYLLABLES_PASHTO, 1, 3, rng.choice(tables.TRIBE_SUFFIXES))

    return _fill(tables.PASHTO_GIVEN, given, GIVEN_POOL), _fill(
        tables.PASHTO_FAMILY, tribe, FAMILY_POOL
    )


def _russian_family(rng: random.Random, stems: list[str], syllables: list[str]) -> str:
    stem = rng.choice(stems) if rng.random() < 0.2 else _syllabic(rng, syllables, 1, 3)
    return stem + rng.choice(["ov", "ev", "ov", "yev", "in"])


def _caucasus_pools(rng: random.Random, uzbek: bool) -> tuple[list[str], list[str]]:
    head = tables.UZBEK_GIVEN if uzbek else tables.RUSSIAN_GIVEN
    syl = tables.SYLLABLES_UZBEK if uzbek else tables.SYLLABLES_CAUCASUS
    stems = tables.UZBEK_FAMILY_STEMS if uzbek else tables.RUSSIAN_FAMILY_STEMS
    family_head = [s + "ov" for s in stems]
    return _fill(head, lambda: _syllabic(rng, syl, 2, 3), GIVEN_POOL // 2), _fill(
        family_head, lambda: _russian_family(rng, stems, syl), FAMILY_POOL
    )


def _syllabic_pools(
    rng: random.Random, given: list[str], family: list[str], syl: list[str], endings: list[str]
) -> tuple[list[str], list[str]]:
    def family_name() -> str:
        return _syllabic(rng, syl, 1, 3, rng.choice(endings) if endings else "")

    return _fill(given, lambda: _syllabic(rng, syl, 2, 3), GIVEN_POOL), _fill(
        family, family_name, FAMILY_POOL
    )


@lru_cache(maxsize=1)
def name_inventory() -> tuple[dict[str, Culture], dict[str, str]]:
    """The synthetic world's names per culture, and Arabic script per Arabic name part."""
    rng = random.Random(POOL_SEED)  # noqa: S311 - synthetic data, not security
    script = dict(tables.ARABIC_SCRIPT)
    raw = {
        "arabic": _arabic_pools(rng, script),
        "pashto": _pashto_pools(rng),
        "chechen": _caucasus_pools(rng, uzbek=False),
        "central_asian": _caucasus_pools(rng, uzbek=True),
        "somali": _syllabic_pools(
            rng, tables.SOMALI_GIVEN, tables.SOMALI_GIVEN, tables.SYLLABLES_SOMALI, []
        ),
        "indonesian": _syllabic_pools(
            rng, tables.INDONESIAN_GIVEN, tables.INDONESIAN_FAMILY, tables.SYLLABLES_INDONESIAN, []
        ),
        "western": _syllabic_pools(
            rng, tables.WESTERN_GIVEN, tables.WESTERN_FAMILY, tables.SYLLABLES_WESTERN,
            tables.WESTERN_ENDINGS,
        ),
    }  # fmt: skip
    cultures = {
        name: Culture(
            Pool(given, GIVEN_ZIPF), Pool(family, FAMILY_ZIPF), tables.NATIONALITIES[name]
        )
        for name, (given, family) in raw.items()
    }
    return cultures, script


@dataclass(slots=True)
class Person:
    culture: str
    parts: list[str]


class NameGenerator:
    """People, entries and dates of birth; everything drawn from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
        self.cultures, self.script = name_inventory()
        self.culture_names = list(tables.CULTURE_WEIGHTS)
        self.weights = list(accumulate(tables.CULTURE_WEIGHTS.values()))

    def person(self) -> Person:
        rng = self.rng
        culture = self.culture_names[bisect(self.weights, rng.random() * self.weights[-1])]
        pools = self.cultures[culture]
        parts = [pools.given.draw(rng)]
        if culture == "arabic":
            # Nasab chain (father, grandfather), then a family, tribal or nisba name.
            parts += [pools.given.draw(rng) for _ in range(rng.choice([0, 1, 1, 1, 2, 2]))]
            if rng.random() < 0.9 or len(parts) == 1:
                parts.append(pools.family.draw(rng))
        elif culture == "somali":
            # Somali names are a chain of given names: own, father's, grandfather's.
            parts += [pools.given.draw(rng) for _ in range(rng.choice([2, 2, 2, 3]))]
        elif culture in ("chechen", "central_asian"):
            if rng.random() < 0.6:
                parts.append(
                    pools.given.draw(rng).rstrip("aeiouy") + rng.choice(["ovich", "evich"])
                )
            parts.append(pools.family.draw(rng))
        elif culture == "indonesian":
            if rng.random() < 0.9:  # some Indonesians have a single name
                pool = pools.family if rng.random() < 0.6 else pools.given
                parts.append(pool.draw(rng))
        else:  # pashto, western: given (+ father's / middle name) + family or tribal name
            if rng.random() < 0.4:
                parts.append(pools.given.draw(rng))
            parts.append(pools.family.draw(rng))
        return Person(culture, parts)

    def dob(self) -> DateOfBirth:
        rng = self.rng
        year = rng.randint(1950, 2000)
        roll = rng.random()
        if roll < 0.6:
            return DateOfBirth.exact(dt.date(year, rng.randint(1, 12), rng.randint(1, 28)))
        if roll < 0.95:
            return DateOfBirth.year(year, approximate=roll > 0.9)
        return DateOfBirth.range(year, year + rng.randint(1, 4))

    def entry(self, number: int) -> tuple[WatchlistEntry, Person]:
        rng = self.rng
        person = self.person()
        names = [NameVariant(" ".join(person.parts), NameKind.PRIMARY)]
        if rng.random() < 0.3:
            names.append(NameVariant(translit(rng, person.parts), NameKind.STRONG_ALIAS))
        if rng.random() < 0.15:
            kunya = "Abu " + self.cultures["arabic"].given.draw(rng)
            names.append(NameVariant(kunya, NameKind.WEAK_ALIAS))
        nats = self.cultures[person.culture].nationalities
        entry = WatchlistEntry(
            entry_id=f"SYN{number:07d}",
            names=names,
            # Most UN-listed individuals have a date or year of birth.
            dobs=[self.dob()] if rng.random() < 0.9 else [],
            nationalities=[rng.choice(nats)] if rng.random() < 0.85 else [],
            documents=[Document(f"P{rng.randint(10**7, 10**8 - 1)}", "Passport")]
            if rng.random() < 0.3
            else [],
        )
        return entry, person


def typo(rng: random.Random, parts: list[str]) -> str:
    """One keyboard-style edit (substitute, insert, delete, swap) in one part of >= 4 letters."""
    out = list(parts)
    choices = [i for i, p in enumerate(out) if len(p) >= 4] or list(range(len(out)))
    i = rng.choice(choices)
    word, pos = out[i], rng.randrange(1, max(2, len(out[i]) - 1))
    op = rng.choice("sidt")
    letter = rng.choice("abcdefghijklmnoprstuvwyz")
    if op == "s":
        word = word[:pos] + letter + word[pos + 1 :]
    elif op == "i":
        word = word[:pos] + letter + word[pos:]
    elif op == "d":
        word = word[:pos] + word[pos + 1 :]
    elif pos + 1 < len(word):
        word = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
    out[i] = word
    return " ".join(out)


def keyboard_typo(rng: random.Random, parts: list[str]) -> str:
    """A slip of the finger: a QWERTY neighbour typed instead of or beside a letter, or a
    doubled key."""
    out = list(parts)
    choices = [i for i, p in enumerate(out) if len(p) >= 4] or list(range(len(out)))
    i = rng.choice(choices)
    word = out[i]
    pos = rng.randrange(1, len(word)) if len(word) > 1 else 0
    letter = word[pos].lower()
    near = rng.choice(tables.KEYBOARD_NEIGHBOURS.get(letter, "e"))
    op = rng.choice("sid")
    if op == "s":
        word = word[:pos] + near + word[pos + 1 :]
    elif op == "i":
        word = word[: pos + 1] + near + word[pos + 1 :]
    else:
        word = word[: pos + 1] + letter + word[pos + 1 :]
    out[i] = word
    return " ".join(out)


def dropped_vowel(rng: random.Random, parts: list[str]) -> str:
    """One inner vowel left out ("Mohammed" -> "Mohmmed"), as in hurried or Arabic-style writing."""
    out = list(parts)
    spots = [
        (i, k)
        for i, p in enumerate(out)
        for k in range(1, len(p) - 1)
        if p[k].lower() in "aeiou" and len(p) >= 4
    ]
    if not spots:
        return typo(rng, parts)
    i, k = rng.choice(spots)
    out[i] = out[i][:k] + out[i][k + 1 :]
    return " ".join(out)


def scheme_translit(rng: random.Random, parts: list[str], culture: str = "") -> str:
    """The whole name in another romanisation scheme (TRANSLIT_SCHEMES), not the engine's."""
    if culture in ("chechen", "central_asian"):
        name = rng.choice(["cyrillic_french", "cyrillic_german"])
    else:
        name = rng.choice([k for k in tables.TRANSLIT_SCHEMES if not k.startswith("cyrillic")])
    rules = dict(tables.TRANSLIT_SCHEMES[name])
    pattern = re.compile("|".join(sorted(map(re.escape, rules), key=len, reverse=True)))
    out = []
    for part in parts:
        lower = part.lower()
        # The first letter is kept unless a rule rewrites a digraph there (Sh -> Ch).
        head, rest = (lower[:1], lower[1:]) if lower[:2] not in rules else ("", lower)
        new = head + pattern.sub(lambda m: rules[m.group()], rest)
        out.append(new.capitalize())
    return " ".join(out)


def mrz_name(rng: random.Random, parts: list[str], *, joined: bool | None = None) -> str:
    """The name as a passport's machine-readable zone gives it, fillers collapsed to spaces:
    surname (last part) first, upper case, no diacritics or apostrophes, hyphens a filler or
    (`joined`, as many issuing states print "ALBADRI") dropped, truncated to MRZ_NAME_LENGTH."""
    if joined is None:
        joined = rng.random() < 0.5

    def icao(part: str) -> str:
        text = unicodedata.normalize("NFKD", part)
        text = "".join(c for c in text if not unicodedata.combining(c))
        text = re.sub(r"['’‘`ʿʾ]", "", text).replace("-", "" if joined else "<")
        return text.upper()

    surname, given = icao(parts[-1]), [icao(p) for p in parts[:-1]]
    mrz = surname + ("<<" + "<".join(given) if given else "")
    mrz = mrz[:MRZ_NAME_LENGTH]
    return " ".join(t for t in mrz.split("<") if t)


def translit(rng: random.Random, parts: list[str]) -> str:
    """Another romanisation: a known spelling, else one spelling rule applied to each part."""
    out = []
    for part in parts:
        if part in tables.SPELLINGS:
            out.append(rng.choice(tables.SPELLINGS[part]))
            continue
        src, dst = rng.choice(tables.TRANSLIT_RULES)
        lower = part.lower()
        out.append(lower.replace(src, dst, 1).capitalize() if src in lower[1:] else part)
    return " ".join(out)


def original_script(person: Person) -> str | None:
    if person.culture == "arabic":
        script = name_inventory()[1]
        if all(p in script for p in person.parts):
            return " ".join(script[p] for p in person.parts)
        return None
    if person.culture in ("chechen", "central_asian"):
        words = []
        for part in person.parts:
            word = part.lower()
            for src, dst in _CYRILLIC_DIGRAPHS:
                word = word.replace(src, dst)
            words.append(str(_cyrillic().transliterate(word)).capitalize())
        return " ".join(words)
    return None


def variant(rng: random.Random, person: Person, kind: str) -> str | None:
    """A traveller's rendering of a listed person's name; None if the kind does not apply."""
    return variant_with_rule(rng, person, kind)[0]


def variant_with_rule(rng: random.Random, person: Person, kind: str) -> tuple[str | None, str]:
    """(name, rule that made it): a kind is drawn from several rules (VARIANT_RULES)."""
    rules = VARIANT_RULES.get(kind)
    rule = rng.choice(rules) if rules else kind
    return _variant(rng, person, kind, rule), rule


def _variant(rng: random.Random, person: Person, kind: str, rule: str) -> str | None:
    parts = person.parts
    if kind == "exact":
        return " ".join(parts)
    if kind == "typo":
        if rule == "keyboard":
            return keyboard_typo(rng, parts)
        return dropped_vowel(rng, parts) if rule == "vowel" else typo(rng, parts)
    if kind == "translit":
        return (
            scheme_translit(rng, parts, person.culture)
            if rule == "scheme"
            else translit(rng, parts)
        )
    if kind == "mrz":
        return mrz_name(rng, parts, joined=rule == "joined")
    if kind == "order":
        return " ".join(parts[1:] + parts[:1]) if len(parts) > 1 else None
    if kind == "dropped":
        return " ".join(parts[:1] + parts[2:]) if len(parts) >= 3 else None
    if kind == "original_script":
        return original_script(person)
    raise ValueError(kind)


def traveller_like(
    rng: random.Random,
    traveller_id: str,
    name: str,
    entry: WatchlistEntry | None,
    gen: NameGenerator,
    culture: str | None = None,
    *,
    no_dob: float = 0.0,
) -> Traveller:
    """A traveller with the entry's DOB/nationality most of the time (as on a real passport).

    A share `no_dob` carry no date of birth (a check typed by hand); of the others, 80 % of listed
    travellers carry the entry's date and 20 % another one (a false or wrong document).

    Unlisted travellers (entry None) carry a nationality of their own naming culture 60 % of the
    time, so they can agree with a listed homonym's nationality as real travellers do.
    """
    dob: DateOfBirth | None = gen.dob()
    if dob is not None and dob.date is None:  # a passport always has a full date
        dob = DateOfBirth.exact(dt.date(dob.year_from or 1970, 1, 1))
    if no_dob and rng.random() < no_dob:
        dob = None  # a single check typed without a date of birth
    elif entry is not None and entry.dobs and rng.random() < 0.8:
        listed = entry.dobs[0]
        dob = listed if listed.date else DateOfBirth.exact(dt.date(listed.year_from or 1970, 6, 1))
    nationality = None
    if entry is not None and entry.nationalities and rng.random() < 0.6:
        nationality = entry.nationalities[0]
    elif entry is None and culture is not None and rng.random() < 0.6:
        nationality = rng.choice(tables.NATIONALITIES[culture])
    return Traveller(traveller_id, name, dob, nationality, None)
