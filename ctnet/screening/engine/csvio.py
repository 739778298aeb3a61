"""CSV watchlists (all or nothing) and traveller batches (good rows screened, bad rows listed).

The asymmetry is deliberate: a watchlist with one bad row is a list nobody checked, so it is
refused whole; a traveller manifest with one bad row must not stop 10,000 other passengers from
being screened, so the bad rows are returned for a person to look at.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ctnet.screening.engine.countries import is_iso3
from ctnet.screening.engine.model import (
    BadRow,
    DateOfBirth,
    NameKind,
    NameVariant,
    Traveller,
    WatchlistEntry,
    WatchlistFormatError,
)

WATCHLIST_HEADER = ["id", "name", "aliases", "dob", "nationality"]
TRAVELLER_HEADER = ["id", "name", "dob", "nationality", "document"]
_YEAR = re.compile(r"^\d{4}$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_dob(text: str) -> DateOfBirth | None:
    """'' -> None, 'YYYY' -> year, 'YYYY-MM-DD' -> exact; ValueError otherwise (e.g. 2019-02-30)."""
    text = text.strip()
    if not text:
        return None
    if _YEAR.match(text):
        return DateOfBirth.year(int(text))
    match = _DAY.match(text)
    if not match:
        raise ValueError(f"date of birth {text!r} is not YYYY or YYYY-MM-DD")
    try:
        return DateOfBirth.exact(dt.date(int(match[1]), int(match[2]), int(match[3])))
    except ValueError:
        raise ValueError(f"impossible date of birth {text!r}") from None


def parse_nationality(text: str) -> str | None:
    text = text.strip().upper()
    if not text:
        return None
    if not is_iso3(text):
        raise ValueError(f"unknown ISO 3166 alpha-3 code {text!r}")
    return text


def _rows(path: Path, header: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, row); line numbers are physical lines, as an editor shows them."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise WatchlistFormatError(path, None, f"cannot open: {exc.strerror}") from exc
    with handle:
        yield from _rows_of(handle, path, header)


def _rows_of(
    handle: Iterable[str], source: str | Path, header: list[str]
) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(handle)
    try:
        first = next(reader, None)
        if first is None or [c.strip().lower() for c in first] != header:
            raise WatchlistFormatError(
                source, 1, f"header must be exactly {','.join(header)!r}, got {first!r}"
            )
        line = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                yield line, row
            line = reader.line_num + 1
    except (csv.Error, UnicodeDecodeError) as exc:
        raise WatchlistFormatError(source, reader.line_num, f"unreadable CSV: {exc}") from exc


def _watchlist_row(row: list[str]) -> WatchlistEntry:
    if len(row) != len(WATCHLIST_HEADER):
        raise ValueError(f"expected {len(WATCHLIST_HEADER)} columns, got {len(row)}")
    entry_id, name, aliases, dob, nationality = (c.strip() for c in row)
    if not entry_id or not name:
        raise ValueError("id and name are required")
    names = [NameVariant(name, NameKind.PRIMARY)]
    names += [
        NameVariant(a.strip(), NameKind.STRONG_ALIAS) for a in aliases.split("|") if a.strip()
    ]
    parsed_dob = parse_dob(dob)
    nat = parse_nationality(nationality)
    return WatchlistEntry(
        entry_id=entry_id,
        names=names,
        dobs=[parsed_dob] if parsed_dob else [],
        nationalities=[nat] if nat else [],
    )


def load_watchlist_csv(path: str | Path) -> list[WatchlistEntry]:
    """Load `id,name,aliases,dob,nationality`; the first bad row aborts the whole import."""
    return _watchlist(_rows(Path(path), WATCHLIST_HEADER), str(path))


def parse_watchlist_csv(data: bytes, source: str) -> list[WatchlistEntry]:
    """The same from bytes in memory (UTF-8, a byte-order mark allowed); errors name ``source``."""
    handle = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    return _watchlist(_rows_of(handle, source, WATCHLIST_HEADER), source)


def _watchlist(rows: Iterator[tuple[int, list[str]]], source: str) -> list[WatchlistEntry]:
    entries: list[WatchlistEntry] = []
    seen: set[str] = set()
    for line, row in rows:
        try:
            entry = _watchlist_row(row)
        except ValueError as exc:
            raise WatchlistFormatError(source, line, str(exc)) from None
        if entry.entry_id in seen:
            raise WatchlistFormatError(source, line, f"duplicate id {entry.entry_id!r}")
        seen.add(entry.entry_id)
        entries.append(entry)
    return entries


def _traveller_row(row: list[str]) -> Traveller:
    if len(row) != len(TRAVELLER_HEADER):
        raise ValueError(f"expected {len(TRAVELLER_HEADER)} columns, got {len(row)}")
    traveller_id, name, dob, nationality, document = (c.strip() for c in row)
    if not traveller_id or not name:
        raise ValueError("id and name are required")
    return Traveller(
        traveller_id=traveller_id,
        name=name,
        dob=parse_dob(dob),
        nationality=parse_nationality(nationality),
        document=document or None,
    )


def load_travellers_csv(path: str | Path) -> tuple[list[Traveller], list[BadRow]]:
    """Load `id,name,dob,nationality,document`; returns (good travellers, bad rows with lines).

    A wrong header still raises WatchlistFormatError: then no row can be trusted.
    """
    path = Path(path)
    return _travellers(_rows(path, TRAVELLER_HEADER))


def load_travellers_text(text: str, source: str) -> tuple[list[Traveller], list[BadRow]]:
    """The same from text in memory: an uploaded passenger list never touches the disk."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return _travellers(_rows_of(io.StringIO(text, newline=""), source, TRAVELLER_HEADER))


def _travellers(rows: Iterator[tuple[int, list[str]]]) -> tuple[list[Traveller], list[BadRow]]:
    good: list[Traveller] = []
    bad: list[BadRow] = []
    for line, row in rows:
        try:
            good.append(_traveller_row(row))
        except ValueError as exc:
            bad.append(BadRow(line, str(exc)))
    return good, bad
