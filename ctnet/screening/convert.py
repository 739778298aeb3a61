"""Between the engine's data classes and the database's JSON columns.

The engine knows nothing of Django; the app stores each entry's names, dates and documents as
JSON in the engine's own vocabulary, so an entry round-trips without loss and the comparison
of two editions is the comparison of the same dictionaries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from ctnet.screening.engine.model import (
    DateOfBirth,
    DobKind,
    Document,
    NameKind,
    NameVariant,
    PlaceOfBirth,
    WatchlistEntry,
)

# The fields whose change makes a new version of an entry (and re-raises a remembered false
# positive). The order is the order of the change report.
CONTENT_FIELDS = (
    "names",
    "dobs",
    "places_of_birth",
    "nationalities",
    "documents",
    "gender",
    "entity_type",
    "listed_on",
    "reason",
)


def dob_to_json(dob: DateOfBirth) -> dict[str, Any]:
    return {
        "kind": str(dob.kind),
        "date": dob.date.isoformat() if dob.date else None,
        "year_from": dob.year_from,
        "year_to": dob.year_to,
        "approximate": dob.approximate,
    }


def dob_from_json(data: dict[str, Any]) -> DateOfBirth:
    kind = DobKind(data["kind"])
    if kind is DobKind.EXACT:
        return DateOfBirth.exact(dt.date.fromisoformat(data["date"]))
    if kind is DobKind.YEAR:
        return DateOfBirth.year(int(data["year_from"]), approximate=bool(data.get("approximate")))
    return DateOfBirth.range(int(data["year_from"]), int(data["year_to"]))


def dob_label(dob: DateOfBirth | None) -> str:
    """How a date of birth is shown and stored on a hit: 1980-05-01, 1980, 1978–1980."""
    if dob is None:
        return ""
    if dob.kind is DobKind.EXACT and dob.date:
        return dob.date.isoformat()
    if dob.kind is DobKind.YEAR:
        return f"{'~' if dob.approximate else ''}{dob.year_from}"
    return f"{dob.year_from}–{dob.year_to}"


def entry_fields(entry: WatchlistEntry) -> dict[str, Any]:
    """The database fields of an engine entry (content only; list-level fields are the caller's)."""
    return {
        "data_id": entry.data_id,
        "primary_name": entry.primary_name[:300],
        "names": [{"text": n.text, "kind": str(n.kind)} for n in entry.names],
        "dobs": [dob_to_json(d) for d in entry.dobs],
        "places_of_birth": [
            {"city": p.city, "state_province": p.state_province, "country": p.country}
            for p in entry.places_of_birth
        ],
        "nationalities": list(entry.nationalities),
        "documents": [
            {"number": d.number, "type": d.type, "country": d.country} for d in entry.documents
        ],
        "gender": (entry.gender or "")[:16],
        "entity_type": entry.entity_type,
        "listed_on": entry.listed_on,
        "reason": entry.reason,
    }


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def content_hash(fields: dict[str, Any]) -> str:
    body = {name: _jsonable(fields[name]) for name in CONTENT_FIELDS}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def from_fields(ref: str, fields: dict[str, Any]) -> WatchlistEntry:
    """An engine entry rebuilt exactly from its stored fields (``entry_fields``' inverse), so
    that two editions are compared as they are kept."""
    return WatchlistEntry(
        entry_id=ref,
        data_id=fields["data_id"],
        names=[NameVariant(n["text"], NameKind(n["kind"])) for n in fields["names"]],
        entity_type=fields["entity_type"],
        dobs=[
            DateOfBirth(
                DobKind(d["kind"]),
                date=dt.date.fromisoformat(d["date"]) if d["date"] else None,
                year_from=d["year_from"],
                year_to=d["year_to"],
                approximate=bool(d["approximate"]),
            )
            for d in fields["dobs"]
        ],
        places_of_birth=[PlaceOfBirth(**p) for p in fields["places_of_birth"]],
        nationalities=list(fields["nationalities"]),
        documents=[Document(**d) for d in fields["documents"]],
        gender=fields["gender"] or None,
        listed_on=_date(fields["listed_on"]),
        reason=fields["reason"],
    )


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def to_engine(pk: int, row: dict[str, Any]) -> WatchlistEntry:
    """An engine entry whose id is the database primary key (what a match points back to)."""
    return WatchlistEntry(
        entry_id=str(pk),
        names=[NameVariant(n["text"], NameKind(n["kind"])) for n in row["names"]],
        entity_type=row["entity_type"],
        dobs=[dob_from_json(d) for d in row["dobs"]],
        places_of_birth=[PlaceOfBirth(**p) for p in row["places_of_birth"]],
        nationalities=list(row["nationalities"]),
        documents=[Document(**d) for d in row["documents"]],
        gender=row["gender"] or None,
    )
