"""Seeded synthetic watchlists and traveller variants, for tests and bench/bench_screening.py.

Name parts are grouped by naming culture (Arabic, Pashto/Urdu, Chechen/Russian, Somali,
Indonesian, Western European, Central Asian). Arabic parts carry a hand-written Arabic-script
rendering; Russian/Chechen parts are rendered in Cyrillic with ICU's Latin-Cyrillic. Extra
family names are built from syllables so that a list of a million people does not consist of a
few thousand homonyms.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import lru_cache

import icu

from ctnet.screening.engine.model import (
    DateOfBirth,
    Document,
    NameKind,
    NameVariant,
    Traveller,
    WatchlistEntry,
)

ARABIC_SCRIPT = {
    "Mohammed": "محمد", "Ahmed": "أحمد", "Ali": "علي", "Omar": "عمر", "Khalid": "خالد",
    "Hassan": "حسن", "Hussein": "حسين", "Ibrahim": "إبراهيم", "Yusuf": "يوسف", "Mahmoud": "محمود",
    "Abdullah": "عبد الله", "Abdulaziz": "عبد العزيز", "Abdulrahman": "عبد الرحمن",
    "Mustafa": "مصطفى", "Tariq": "طارق", "Salim": "سالم", "Saeed": "سعيد", "Hamza": "حمزة",
    "Bilal": "بلال", "Anwar": "أنور", "Jamal": "جمال", "Nasser": "ناصر", "Faisal": "فيصل",
    "Walid": "وليد", "Karim": "كريم", "Rashid": "راشد", "Mansour": "منصور", "Zaid": "زيد",
    "Osama": "أسامة", "Hisham": "هشام", "Sami": "سامي", "Adel": "عادل", "Majid": "ماجد",
    "al-Masri": "المصري", "al-Shami": "الشامي", "al-Iraqi": "العراقي", "al-Tunisi": "التونسي",
    "al-Libi": "الليبي", "al-Kuwaiti": "الكويتي", "al-Harbi": "الحربي", "al-Qahtani": "القحطاني",
    "al-Ghamdi": "الغامدي", "al-Otaibi": "العتيبي", "al-Zahrani": "الزهراني",
    "al-Dosari": "الدوسري", "al-Shehri": "الشهري", "al-Anzi": "العنزي", "al-Baghdadi": "البغدادي",
    "al-Kawari": "الكواري", "al-Jaziri": "الجزيري", "Belmokhtar": "بلمختار",
}  # fmt: skip
_ARABIC_GIVEN = [k for k in ARABIC_SCRIPT if not k.startswith("al-") and k != "Belmokhtar"]
_ARABIC_FAMILY = [k for k in ARABIC_SCRIPT if k.startswith("al-")] + ["Belmokhtar"]

CULTURES: dict[str, tuple[list[str], list[str], list[str]]] = {
    # culture: (given names, family names, nationalities)
    "arabic": (_ARABIC_GIVEN, _ARABIC_FAMILY, ["IRQ", "SYR", "SAU", "EGY", "TUN", "LBY", "YEM"]),
    "pashto": (
        [
            "Gulbuddin",
            "Jalaluddin",
            "Sirajuddin",
            "Rahmatullah",
            "Hekmatullah",
            "Zabihullah",
            "Nasrullah",
            "Amanullah",
            "Khairullah",
            "Fazal",
            "Noor",
            "Wali",
            "Gul",
            "Sher",
            "Zaman",
            "Abdul-Ghani",
            "Mohammad",
            "Qudratullah",
            "Badruddin",
            "Obaidullah",
            "Aminullah",
            "Ezatullah",
            "Saifullah",
            "Mir",
            "Hamza",
        ],
        [
            "Haqqani",
            "Akhund",
            "Khan",
            "Hekmatyar",
            "Yousafzai",
            "Durrani",
            "Mehsud",
            "Wazir",
            "Kakar",
            "Achakzai",
            "Popalzai",
            "Noorzai",
            "Ishaqzai",
            "Zadran",
            "Ghilzai",
            "Afridi",
            "Mangal",
            "Shinwari",
            "Mohmand",
            "Baryalai",
        ],
        ["AFG", "PAK"],
    ),
    "chechen": (
        [
            "Doku",
            "Ruslan",
            "Shamil",
            "Aslan",
            "Magomed",
            "Zelimkhan",
            "Akhmed",
            "Movsar",
            "Arbi",
            "Dzhokhar",
            "Timur",
            "Islam",
            "Adam",
            "Rustam",
            "Said",
            "Khamzat",
            "Ibragim",
            "Aslambek",
            "Umar",
            "Rizvan",
        ],
        [
            "Umarov",
            "Basayev",
            "Maskhadov",
            "Kadyrov",
            "Gelayev",
            "Dudayev",
            "Barayev",
            "Israpilov",
            "Abdullaev",
            "Magomedov",
            "Akhmadov",
            "Vagabov",
            "Tsarnaev",
            "Yandarbiyev",
            "Saydullayev",
            "Khasanov",
        ],
        ["RUS", "GEO"],
    ),
    "somali": (
        [
            "Abdirahman",
            "Abdullahi",
            "Mohamed",
            "Hassan",
            "Farah",
            "Abdi",
            "Ismail",
            "Aden",
            "Dahir",
            "Guled",
            "Osman",
            "Hussein",
            "Mukhtar",
            "Ahmed",
            "Yusuf",
            "Omar",
            "Nur",
            "Jama",
            "Warsame",
        ],
        [
            "Warsame",
            "Aweys",
            "Godane",
            "Robow",
            "Hersi",
            "Jama",
            "Farah",
            "Dahir",
            "Guled",
            "Mohamud",
            "Abdille",
            "Elmi",
            "Samatar",
            "Egal",
            "Jimale",
        ],
        ["SOM", "KEN", "ETH"],
    ),
    "indonesian": (
        [
            "Abu-Bakar",
            "Imam",
            "Umar",
            "Noordin",
            "Azahari",
            "Santoso",
            "Bahrun",
            "Aman",
            "Abdurrahman",
            "Joko",
            "Budi",
            "Hendra",
            "Agus",
            "Dwi",
            "Eko",
            "Fajar",
            "Rizki",
            "Yusuf",
            "Muhammad",
        ],
        [
            "Bashir",
            "Hambali",
            "Samudra",
            "Patek",
            "Dulmatin",
            "Husin",
            "Naim",
            "Hartono",
            "Wibowo",
            "Susanto",
            "Setiawan",
            "Nugroho",
            "Abdullah",
            "Saputra",
            "Hidayat",
            "Kurniawan",
        ],
        ["IDN", "MYS", "PHL"],
    ),
    "western": (
        [
            "John",
            "Michael",
            "David",
            "Thomas",
            "Pierre",
            "Jean",
            "Luc",
            "Hans",
            "Jan",
            "Peter",
            "Maria",
            "Anna",
            "Sophie",
            "Lucas",
            "Jose",
            "Francois",
            "Andreas",
            "Mark",
        ],
        [
            "Smith",
            "Dupont",
            "Martin",
            "Müller",
            "Schmidt",
            "de-Vries",
            "Jansen",
            "Rossi",
            "García",
            "Fernández",
            "Lefèvre",
            "O'Brien",
            "Andersson",
            "Nielsen",
            "Dubois",
            "Weber",
        ],
        ["FRA", "DEU", "GBR", "BEL", "NLD", "ESP", "SWE"],
    ),
    "central_asian": (
        [
            "Tohir",
            "Juma",
            "Bakhtiyor",
            "Jamshid",
            "Rustam",
            "Dilshod",
            "Farrukh",
            "Sherzod",
            "Ulugbek",
            "Otabek",
            "Azizbek",
            "Abdulaziz",
            "Nodir",
            "Bobur",
            "Sardor",
        ],
        [
            "Namangani",
            "Yuldashev",
            "Ibragimov",
            "Rakhimov",
            "Karimov",
            "Nazarov",
            "Tursunov",
            "Abdullaev",
            "Ismoilov",
            "Saidov",
            "Usmonov",
            "Khodjaev",
        ],
        ["UZB", "TJK", "KGZ", "KAZ"],
    ),
}
CULTURE_WEIGHTS = {"arabic": 30, "pashto": 15, "chechen": 10, "somali": 10, "indonesian": 10,
                   "western": 15, "central_asian": 10}  # fmt: skip
_SYLLABLES = [
    "ba",
    "da",
    "ka",
    "la",
    "ma",
    "na",
    "ra",
    "sa",
    "ta",
    "za",
    "bi",
    "di",
    "ki",
    "li",
    "mi",
    "ni",
    "ri",
    "si",
    "ti",
    "zi",
    "bu",
    "du",
    "ku",
    "lu",
    "mu",
    "nu",
    "ru",
    "su",
    "tu",
    "zu",
    "ha",
    "kha",
    "sha",
    "ya",
    "wa",
]
# Transliteration variants an official really meets (and the rule variants in `translit`).
SPELLINGS = {
    "Mohammed": ["Muhammad", "Mohamed", "Mohammad"], "Mohamed": ["Muhammad", "Mohammed"],
    "Yusuf": ["Yousef", "Youssef"], "Hussein": ["Husayn", "Hussain"], "Omar": ["Umar"],
    "Osama": ["Usama"], "Khalid": ["Khaled"], "Abdullah": ["Abdallah", "Abd Allah"],
    "Abdulaziz": ["Abd al-Aziz", "Abdelaziz"], "Abdulrahman": ["Abd al-Rahman", "Abderrahmane"],
    "Ahmed": ["Ahmad"], "Saeed": ["Said", "Sa'id"], "Hisham": ["Hicham"], "Jamal": ["Djamel"],
    "Magomed": ["Mohammed"], "Ibragim": ["Ibrahim"], "Tariq": ["Tarek"],
}  # fmt: skip
_RULES = [("kh", "h"), ("ou", "u"), ("u", "ou"), ("ee", "i"), ("e", "a"), ("y", "i"),
          ("q", "k"), ("i", "ee"), ("dzh", "j"), ("a", "e")]  # fmt: skip
VARIANT_KINDS = ("exact", "typo", "translit", "order", "dropped", "original_script")


@lru_cache(maxsize=1)
def _cyrillic() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Latin-Cyrillic")


@dataclass(slots=True)
class Person:
    culture: str
    parts: list[str]


class NameGenerator:
    def __init__(self, seed: int, extra_family_names: int = 20_000) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
        gen = random.Random(seed ^ 0x5EED)  # noqa: S311 - synthetic data
        # Syllabic family names shared by all runs with the same seed (tribes, places, clans).
        self.extra = sorted(
            {
                "".join(gen.choice(_SYLLABLES) for _ in range(gen.randint(2, 4))).capitalize()
                for _ in range(extra_family_names)
            }
        )
        self.cultures = list(CULTURE_WEIGHTS)
        self.weights = list(CULTURE_WEIGHTS.values())

    def _zipf(self, pool: list[str]) -> str:
        # Name parts are Zipf-distributed: a few very common ("Mohammed"), a long tail.
        rank = min(int(self.rng.paretovariate(1.1)) - 1, len(pool) - 1)
        return pool[rank] if self.rng.random() < 0.3 else self.rng.choice(pool)

    def person(self) -> Person:
        culture = self.rng.choices(self.cultures, self.weights)[0]
        given, family, _ = CULTURES[culture]
        parts = [self._zipf(given)]
        if culture in ("arabic", "somali", "pashto") and self.rng.random() < 0.7:
            parts.append(self._zipf(given))  # father's name
        if culture == "chechen" and self.rng.random() < 0.5:
            parts.append(self.rng.choice(given) + "ovich")  # patronymic
        parts.append(self._zipf(family) if self.rng.random() < 0.2 else self.rng.choice(self.extra))
        return Person(culture, parts)

    def dob(self) -> DateOfBirth:
        year = self.rng.randint(1950, 2000)
        if self.rng.random() < 0.6:
            return DateOfBirth.exact(
                dt.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))
            )
        return DateOfBirth.year(year)

    def entry(self, number: int) -> tuple[WatchlistEntry, Person]:
        person = self.person()
        names = [NameVariant(" ".join(person.parts), NameKind.PRIMARY)]
        if self.rng.random() < 0.3:
            names.append(NameVariant(translit(self.rng, person.parts), NameKind.STRONG_ALIAS))
        if self.rng.random() < 0.15:
            names.append(
                NameVariant("Abu " + self.rng.choice(CULTURES["arabic"][0]), NameKind.WEAK_ALIAS)
            )
        nats = CULTURES[person.culture][2]
        entry = WatchlistEntry(
            entry_id=f"SYN{number:07d}",
            names=names,
            dobs=[self.dob()] if self.rng.random() < 0.8 else [],
            nationalities=[self.rng.choice(nats)] if self.rng.random() < 0.8 else [],
            documents=[Document(f"P{self.rng.randint(10**7, 10**8 - 1)}", "Passport")]
            if self.rng.random() < 0.3
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


def translit(rng: random.Random, parts: list[str]) -> str:
    """Another romanisation: a known spelling, else one spelling rule applied to each part."""
    out = []
    for part in parts:
        if part in SPELLINGS:
            out.append(rng.choice(SPELLINGS[part]))
            continue
        src, dst = rng.choice(_RULES)
        lower = part.lower()
        out.append(lower.replace(src, dst, 1).capitalize() if src in lower[1:] else part)
    return " ".join(out)


def original_script(person: Person) -> str | None:
    if person.culture == "arabic" and all(p in ARABIC_SCRIPT for p in person.parts):
        return " ".join(ARABIC_SCRIPT[p] for p in person.parts)
    if person.culture in ("chechen", "central_asian"):
        return str(_cyrillic().transliterate(" ".join(person.parts)))
    return None


def variant(rng: random.Random, person: Person, kind: str) -> str | None:
    """A traveller's rendering of a listed person's name; None if the kind does not apply."""
    parts = person.parts
    if kind == "exact":
        return " ".join(parts)
    if kind == "typo":
        return typo(rng, parts)
    if kind == "translit":
        return translit(rng, parts)
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
) -> Traveller:
    """A traveller with the entry's DOB/nationality most of the time (as on a real passport)."""
    dob = gen.dob()
    if entry is not None and entry.dobs and rng.random() < 0.8:
        listed = entry.dobs[0]
        dob = listed if listed.date else DateOfBirth.exact(dt.date(listed.year_from or 1970, 6, 1))
    nationality = None
    if entry is not None and entry.nationalities and rng.random() < 0.6:
        nationality = entry.nationalities[0]
    return Traveller(traveller_id, name, dob, nationality, None)
