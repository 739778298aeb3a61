"""Plain data classes shared by the importers, the index and the scorer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class WatchlistFormatError(ValueError):
    """A watchlist or traveller file cannot be used as a whole; nothing from it was imported.

    Carries the file and the 1-based line so that an official can fix the source, not guess.
    """

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class NameKind(StrEnum):
    PRIMARY = "primary"
    STRONG_ALIAS = "strong_alias"
    WEAK_ALIAS = "weak_alias"
    ORIGINAL_SCRIPT = "original_script"


class DobKind(StrEnum):
    EXACT = "exact"  # a full calendar date
    YEAR = "year"  # only the year is known (UN "YEAR", possibly APPROXIMATELY)
    RANGE = "range"  # UN "BETWEEN" FROM_YEAR..TO_YEAR


@dataclass(frozen=True, slots=True)
class NameVariant:
    text: str
    kind: NameKind


@dataclass(frozen=True, slots=True)
class DateOfBirth:
    kind: DobKind
    date: dt.date | None = None
    year_from: int | None = None
    year_to: int | None = None
    approximate: bool = False

    @classmethod
    def exact(cls, date: dt.date) -> DateOfBirth:
        return cls(DobKind.EXACT, date=date, year_from=date.year, year_to=date.year)

    @classmethod
    def year(cls, year: int, *, approximate: bool = False) -> DateOfBirth:
        return cls(DobKind.YEAR, year_from=year, year_to=year, approximate=approximate)

    @classmethod
    def range(cls, year_from: int, year_to: int) -> DateOfBirth:
        return cls(
            DobKind.RANGE, year_from=min(year_from, year_to), year_to=max(year_from, year_to)
        )


@dataclass(frozen=True, slots=True)
class PlaceOfBirth:
    city: str = ""
    state_province: str = ""
    country: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    number: str
    type: str = ""
    country: str = ""  # ISO 3166 alpha-3 when resolvable, else the source text


@dataclass(slots=True)
class WatchlistEntry:
    entry_id: str  # UN REFERENCE_NUMBER (e.g. "QDi.014"), or the CSV id
    names: list[NameVariant]
    entity_type: str = "individual"  # "individual" | "entity"
    data_id: str = ""  # UN DATAID, stable across editions
    dobs: list[DateOfBirth] = field(default_factory=list)
    places_of_birth: list[PlaceOfBirth] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)  # ISO alpha-3 where resolvable
    documents: list[Document] = field(default_factory=list)
    gender: str | None = None
    listed_on: dt.date | None = None
    reason: str = ""
    un_list_type: str = ""
    titles: list[str] = field(default_factory=list)

    @property
    def primary_name(self) -> str:
        for name in self.names:
            if name.kind is NameKind.PRIMARY:
                return name.text
        return self.names[0].text if self.names else ""


@dataclass(frozen=True, slots=True)
class Traveller:
    traveller_id: str
    name: str
    dob: DateOfBirth | None = None
    nationality: str | None = None
    document: str | None = None


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int
    message: str


@dataclass(slots=True)
class EditionDiff:
    added: list[WatchlistEntry]
    removed: list[WatchlistEntry]
    changed: dict[str, list[str]]  # entry_id -> names of the fields that differ
    # Entries an earlier edition had removed that this one lists again.
    returned: list[WatchlistEntry] = field(default_factory=list)
