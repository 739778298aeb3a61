"""Names in any script -> comparable Latin tokens and consonant "skeleton" keys.

Two forms per token:

* the *Latin form* (lower-case ASCII, particles removed, doubled letters collapsed) is what
  rapidfuzz compares, so typos cost a little;
* the *skeleton* (consonants only, with transliteration-equivalent digraphs merged) is the key
  the index blocks on, so "Mohammed", "Muhammad", "Mohamed" and Arabic "محمد" (ICU: "mhmd") all
  share "mhmd". Arabic script does not write short vowels, and Latin renderings disagree mostly
  on vowels, so dropping vowels is what makes original-script names meet their Latin spellings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import icu
from rigour.names import remove_person_prefixes
from rigour.text.scripts import text_scripts
from rigour.text.translit import maybe_ascii

# Titles and honorifics that appear anywhere in UN names ("Sheikh Hassan Turki", "Maulavi
# Rahmatullah"). They say nothing about identity and would otherwise match every other Sheikh.
# rigour's PERSON_NAME_PREFIXES covers Western ones (Dr, Mr, General...) at the head of a name.
TITLES = frozenset(
    [
        "sheikh",
        "shaikh",
        "shaykh",
        "sheik",
        "shaik",
        "shaykhi",
        "mullah",
        "mulla",
        "mollah",
        "molla",
        "maulavi",
        "maulvi",
        "mawlawi",
        "moulavi",
        "maulawi",
        "mawlavi",
        "maulana",
        "mawlana",
        "haji",
        "hajji",
        "hadji",
        "alhaji",
        "alhajj",
        "qari",
        "mufti",
        "imam",
        "hafiz",
        "hafez",
        "ustad",
        "ustadh",
        "ustaz",
        "syed",
        "sayyid",
        "sheikha",
        "dr",
        "doctor",
        "eng",
        "engineer",
        "prof",
        "mr",
        "mrs",
        "ms",
    ]
)
# Arabic articles and connectors ("al-Kawari", "bin Abdallah", "ould"), with the sun-letter
# assimilations (ad-, ar-, as-, ash-, at-, az-, an-) and European particles. Spellings differ on
# whether they are written, joined or hyphenated, so they are removed and never compared.
PARTICLES = frozenset(
    [
        "al",
        "el",
        "ul",
        "il",
        "ad",
        "ar",
        "as",
        "ash",
        "at",
        "az",
        "an",
        "ud",
        "ed",
        "bin",
        "ibn",
        "bint",
        "bn",
        "ben",
        "ould",
        "wuld",
        "walad",
        "de",
        "da",
        "di",
        "du",
        "del",
        "della",
        "der",
        "den",
        "van",
        "von",
        "dos",
        "das",
        "le",
        "la",
    ]
)
# "Abd al-Aziz", "Abdel Aziz", "Abdulaziz" and "Abdelaziz" are one name ("servant of
# al-Aziz"); likewise "Abu Bakr" / "Abubakar". These heads are joined to the next token and
# written canonically, so that split and joined spellings give the same token. "Abdi" alone is
# not a head: it is a complete (Somali) given name, "Abdi Farah" is two names.
JOIN_HEADS = {
    "abd": "abd", "abdul": "abd", "abdel": "abd", "abdal": "abd", "abdol": "abd",
    "abdoul": "abd", "abdu": "abd", "abdur": "abd", "bd": "abd",
    "abu": "abu", "abou": "abu", "abo": "abu", "abw": "abu", "abul": "abu",
}  # fmt: skip
_JOINED_PREFIX = re.compile(
    r"^(abd(?:oul|ul|el|al|ol|ur|u|i)?|abou|abu)(\w{3,})$|^(bdal|bdl)(\w{2,})$"
)
# Arabic script: the article "ال" written joined to the noun ("الكواري"), and "عبد ال..."
# split before the article; both handled before transliteration, where the script is known.
_AR_ARTICLE = re.compile(r"(?<!\S)(?:[وف])?ال(?=\S{2,})")
_AR_ABD = re.compile(r"(?<!\S)عبد\s+(?=ال)")
# Word-final ta marbuta (ة) is the "-a"/"-ah" of Latin spellings ("Fatima", "Usamah"): written
# as the final h that `skeleton` drops, not ICU's "t". A word-final ya after a consonant is the
# long vowel ī (the nisba "-i" of "al-Alfi", "al-Masri"), which English-style lists write "i".
_AR_TA_MARBUTA = re.compile(r"ة(?!\w)")
# Compounds with "الله" (Allah) and "الدين" (al-Din) are two words in Arabic script ("مطيع الله",
# "نصير الدين") and one in the Latin names of the lists ("Matiullah", "Nasiruddin", the article
# assimilated): joined, without the article, so their consonants meet ("mtylh"/"matiulah",
# "nsyrdyn"/"nasirudin"). "عبد الله" is joined by _AR_ABD first.
_AR_COMPOUND = re.compile(r"(?<=\S)\s+ال(?=(?:له|دين|دین)(?!\S))")
_AR_FINAL_YA = re.compile(r"(?<=[b-df-hj-np-tv-z])y\b")
_APOSTROPHES = re.compile(r"['’‘`´ʿʾʻʼ]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLES = re.compile(r"(.)\1+")
# Digraphs that different transliteration schemes write differently for one sound:
# kh/h (Cyrillic Х, Arabic خ), q/k (ق), sh/ch/sch (ش, French "Hicham"), dj/j (Algerian
# "Djamel"), ph/f, th/t, dh/d, gh/g, ck/k, c/k. Order matters: longest first.
_SKELETON_RULES = [
    ("sch", "$"), ("tch", "$"), ("sh", "$"), ("ch", "$"), ("kh", "h"), ("gh", "g"),
    ("ph", "f"), ("th", "t"), ("dh", "d"), ("dj", "j"), ("ck", "k"), ("q", "k"), ("c", "k"),
]  # fmt: skip
_VOWELS = re.compile(r"[aeiouyw]")
# Spellings of other romanisation schemes rewritten to the English-style one the lists use
# (issue 12: travellers' passports are written by other offices): German dsch/tsch/sch, French
# ou, and the German endings of Russian-family names (-ow, -ew, -jew, -owitsch). Applied to
# both sides, so they only make two spellings of one sound meet.
_SCHEME_REWRITES = [
    (re.compile(r"dsch"), "j"), (re.compile(r"tsch"), "ch"), (re.compile(r"sch"), "sh"),
    (re.compile(r"ou"), "u"), (re.compile(r"witsh$"), "vich"), (re.compile(r"jew$"), "yev"),
    (re.compile(r"(?<=[a-z]{3})ow$"), "ov"), (re.compile(r"(?<=[a-z]{3})ew$"), "ev"),
]  # fmt: skip
# Scripts that do not write short vowels: their transliteration ("mhmd") is compared with Latin
# spellings on consonants (namematch.ABJAD_SKELETON_FACTOR).
ABJADS = frozenset(
    {"Arabic", "Hebrew", "Syriac", "Thaana"}
)  # w/y: Arabic و/ي are long vowels in Latin renderings


@lru_cache(maxsize=1)
def _icu() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


def to_latin(text: str) -> str:
    """Any script -> Latin (ASCII where possible); Latin text only loses its diacritics."""
    if text.isascii():
        return text
    scripts = text_scripts(text)
    if "Arabic" in scripts:
        text = _AR_ABD.sub("عبد", text)
        text = _AR_COMPOUND.sub("", text)
        text = _AR_ARTICLE.sub("", text)
        text = _AR_TA_MARBUTA.sub("ه", text)
    if "Han" in scripts:
        return _han_to_latin(text)
    # rigour's own spellings for the scripts it admits (Cyrillic Шевченко -> Shevchenko, as
    # English-language lists write them); ICU for everything else (Arabic, Devanagari...).
    arabic = "Arabic" in scripts
    text = maybe_ascii(text)
    if not text.isascii():
        text = str(_icu().transliterate(text))
    return _AR_FINAL_YA.sub("i", text) if arabic else text


def _han_to_latin(text: str) -> str:
    # Chinese names have no spaces; ICU gives one pinyin syllable per character. Passports write
    # the surname then the given name as one word ("Wang Xiaoming"), so the syllables after the
    # first are joined.
    syllables = str(_icu().transliterate(text)).split()
    if len(syllables) <= 2:
        return " ".join(syllables)
    return syllables[0] + " " + "".join(syllables[1:])


def _raw_tokens(text: str) -> list[str]:
    latin = to_latin(unicodedata.normalize("NFC", text))
    latin = unicodedata.normalize("NFKD", latin)
    latin = "".join(c for c in latin if not unicodedata.combining(c))
    # Apostrophes stand for an ayn/hamza or an elision ("Ma'mun", "Abu'l"): drop, don't split.
    latin = _APOSTROPHES.sub("", remove_person_prefixes(latin)).lower()
    return [t for t in _NON_ALNUM.split(latin) if t]


def _join_heads(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        head = JOIN_HEADS.get(tok)
        if head and i + 1 < len(tokens):
            nxt = tokens[i + 1]
            # "Abd Allah" -> abd + lah, as the joined "Abdallah" -> abd + lah below.
            if nxt.startswith(("al", "el", "ul")) and len(nxt) >= 5:
                nxt = nxt[2:]
            out.append(head + nxt)
            i += 2
            continue
        match = _JOINED_PREFIX.match(tok)
        if match:
            # Arabic-script "عبدالله" comes out of ICU as "bdallh" (no short vowels, the ayn
            # dropped): "bdal" + "lh" is the same "abd" + "lah" as the Latin "Abdullah".
            head = "abu" if match[1] in ("abou", "abu") else "abd"
            tok = head + (match[2] or match[4])
        out.append(tok)
        i += 1
    return out


def latin_tokens(text: str) -> list[str]:
    """Comparable Latin tokens of a name, titles and particles removed, heads joined."""
    tokens = _raw_tokens(text)
    # Never strip a name down to nothing: "Ben" or "Imam" alone is still a name.
    kept = [t for t in tokens if t not in TITLES and t not in PARTICLES]
    if not kept:
        kept = tokens
    # Repeated letters are spelling noise ("Mohammed"/"Mohamed", "Hassan"/"Hasan").
    return [_DOUBLES.sub(r"\1", _scheme(t)) for t in _join_heads(kept)]


def _scheme(token: str) -> str:
    for pattern, replacement in _SCHEME_REWRITES:
        token = pattern.sub(replacement, token)
    return token


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """Consonant key of a Latin token; never empty (falls back to '#' + the token)."""
    s = token
    for src, dst in _SKELETON_RULES:
        s = s.replace(src, dst)
    s = _VOWELS.sub("", s)
    # A final h is often only a written ending (ة, "Abdallah"/"Abdalla", "Fatimah").
    s = _DOUBLES.sub(r"\1", s)
    if len(s) > 1 and s.endswith("h"):
        s = s[:-1]
    return s or "#" + token


def forget_names() -> None:
    """Empty the memo of name parts (``skeleton``): it holds every part normalised so far."""
    skeleton.cache_clear()


@dataclass(frozen=True, slots=True)
class NormalisedName:
    tokens: tuple[str, ...]
    skeletons: tuple[str, ...]
    # Written in a script without short vowels (ABJADS): compared on consonants as well.
    abjad: bool = False

    def __bool__(self) -> bool:
        return bool(self.tokens)


def normalise_name(text: str) -> NormalisedName:
    tokens = tuple(latin_tokens(text))
    abjad = not text.isascii() and bool(ABJADS & set(text_scripts(text)))
    return NormalisedName(tokens, tuple(skeleton(t) for t in tokens), abjad)


_DOC_NOISE = re.compile(r"[^A-Z0-9]")


def normalise_document(number: str) -> str:
    """Document numbers are compared without spaces, dashes or case ("D 000952" = "d000952")."""
    return _DOC_NOISE.sub("", unicodedata.normalize("NFKC", number).upper())
