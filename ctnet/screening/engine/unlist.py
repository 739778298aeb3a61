"""Importer for the UN Security Council Consolidated List XML (sc-sanctions.xsd format).

Parsed with defusedxml: the file comes from outside and plain ElementTree would expand
entities (billion laughs) or fetch external DTDs. The parser records the source line of every
element so that a missing required element is reported as ``file:line``. Any error aborts the
whole import: a half-imported watchlist would silently screen against fewer people.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from defusedxml.ElementTree import DefusedXMLParser

from ctnet.screening.engine.countries import country_to_iso3
from ctnet.screening.engine.model import (
    DateOfBirth,
    Document,
    EditionDiff,
    NameKind,
    NameVariant,
    PlaceOfBirth,
    WatchlistEntry,
    WatchlistFormatError,
)

# Alias QUALITY values. "Good" / "a.k.a." are aliases an official should treat as names of the
# person; "Low" are weak aliases (nicknames, partial names) that the UN itself says are often
# too broad to identify anyone. "f.k.a." (formerly known as) names were really used: strong.
_STRONG_QUALITIES = {"good", "a.k.a.", "f.k.a.", ""}
_WEAK_QUALITIES = {"low"}

# Fields compared by diff_editions; the order is the order reported.
DIFF_FIELDS = (
    "names",
    "dobs",
    "places_of_birth",
    "nationalities",
    "documents",
    "gender",
    "listed_on",
    "reason",
    "un_list_type",
    "titles",
)


class _LineTreeBuilder(ET.TreeBuilder):
    """TreeBuilder that remembers the source line of each element (ElementTree does not)."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: Any = None
        self.lines: dict[int, int] = {}

    def start(self, tag: Any, attrs: Any) -> ET.Element:
        elem = super().start(tag, attrs)
        if self.parser is not None:
            # DefusedXMLParser is the pure-Python XMLParser; its expat parser knows the line.
            self.lines[id(elem)] = self.parser.parser.CurrentLineNumber
        return elem


class _Doc:
    def __init__(self, source: str, lines: dict[int, int]) -> None:
        self.source = source
        self.lines = lines

    def error(self, elem: ET.Element, message: str) -> WatchlistFormatError:
        return WatchlistFormatError(self.source, self.lines.get(id(elem)), message)


def _parse_tree(data: bytes, source: str) -> tuple[ET.Element, dict[int, int]]:
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        for start in range(0, len(data), 1 << 20):
            parser.feed(data[start : start + (1 << 20)])
        root = parser.close()
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise WatchlistFormatError(source, line, f"malformed XML: {exc}") from exc
    except Exception as exc:  # defusedxml raises DTDForbidden/EntitiesForbidden etc.
        raise WatchlistFormatError(source, None, f"refused XML: {exc}") from exc
    return root, builder.lines


def _text(elem: ET.Element | None) -> str:
    return " ".join((elem.text or "").split()) if elem is not None else ""


def _child(elem: ET.Element, tag: str) -> str:
    return _text(elem.find(tag))


def _values(elem: ET.Element, tag: str) -> list[str]:
    """Texts of <TAG><VALUE>..</VALUE>...</TAG> blocks, empty ones dropped."""
    return [t for block in elem.findall(tag) for v in block.findall("VALUE") if (t := _text(v))]


def _parse_date(doc: _Doc, elem: ET.Element, text: str) -> dt.date:
    # Some DATE values carry a time-zone suffix ("1960-01-01-05:00"); the day is what counts.
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if not match:
        raise doc.error(elem, f"invalid date {text!r}")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise doc.error(elem, f"impossible date {text!r}") from exc


def _parse_year(doc: _Doc, elem: ET.Element, text: str) -> int:
    if not re.fullmatch(r"\d{4}", text):
        raise doc.error(elem, f"invalid year {text!r}")
    return int(text)


def _parse_dob(doc: _Doc, elem: ET.Element) -> DateOfBirth | None:
    kind = _child(elem, "TYPE_OF_DATE").upper()
    approx = kind == "APPROXIMATELY"
    if date_text := _child(elem, "DATE"):
        return DateOfBirth.exact(_parse_date(doc, elem, date_text))
    if year_text := _child(elem, "YEAR"):
        return DateOfBirth.year(_parse_year(doc, elem, year_text), approximate=approx)
    lo, hi = _child(elem, "FROM_YEAR"), _child(elem, "TO_YEAR")
    if lo and hi:
        return DateOfBirth.range(_parse_year(doc, elem, lo), _parse_year(doc, elem, hi))
    # Only a NOTE ("30-35 years old", Hijri date): kept in the source, not comparable.
    return None


def _iso3_or_text(text: str) -> str:
    return country_to_iso3(text) or text


def _names(elem: ET.Element, alias_tag: str) -> list[NameVariant]:
    parts = [_child(elem, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    names = [NameVariant(" ".join(p for p in parts if p), NameKind.PRIMARY)]
    if original := _child(elem, "NAME_ORIGINAL_SCRIPT"):
        names.append(NameVariant(original, NameKind.ORIGINAL_SCRIPT))
    for alias in elem.findall(alias_tag):
        text = _child(alias, "ALIAS_NAME")
        if not text:
            continue
        quality = _child(alias, "QUALITY").lower()
        weak = quality in _WEAK_QUALITIES
        kind = NameKind.WEAK_ALIAS if weak else NameKind.STRONG_ALIAS
        names.append(NameVariant(text, kind))
    return names


def _documents(elem: ET.Element) -> list[Document]:
    docs = []
    for d in elem.findall("INDIVIDUAL_DOCUMENT"):
        number = _child(d, "NUMBER")
        if not number:
            continue
        country = _child(d, "ISSUING_COUNTRY") or _child(d, "COUNTRY_OF_ISSUE")
        kind = _child(d, "TYPE_OF_DOCUMENT") or _child(d, "TYPE_OF_DOCUMENT2")
        docs.append(Document(number, kind, _iso3_or_text(country) if country else ""))
    return docs


def _entry(doc: _Doc, elem: ET.Element, kind: str) -> WatchlistEntry:
    prefix = "INDIVIDUAL" if kind == "individual" else "ENTITY"
    ref = _child(elem, "REFERENCE_NUMBER")
    if not ref:
        raise doc.error(elem, f"{prefix} without REFERENCE_NUMBER")
    if not _child(elem, "FIRST_NAME"):
        raise doc.error(elem, f"{prefix} {ref} without FIRST_NAME")
    listed = _child(elem, "LISTED_ON")
    dobs = [d for e in elem.findall("INDIVIDUAL_DATE_OF_BIRTH") if (d := _parse_dob(doc, e))]
    places = [
        PlaceOfBirth(_child(p, "CITY"), _child(p, "STATE_PROVINCE"), _child(p, "COUNTRY"))
        for p in elem.findall("INDIVIDUAL_PLACE_OF_BIRTH")
        if len(p)
    ]
    nationalities = []
    for text in _values(elem, "NATIONALITY"):
        code = country_to_iso3(text)
        if code is not None and code not in nationalities:
            nationalities.append(code)
    gender = _child(elem, "GENDER").lower() or None
    return WatchlistEntry(
        entry_id=ref,
        data_id=_child(elem, "DATAID"),
        entity_type=kind,
        names=_names(elem, f"{prefix}_ALIAS"),
        dobs=dobs,
        places_of_birth=places,
        nationalities=nationalities,
        documents=_documents(elem),
        gender=gender,
        listed_on=_parse_date(doc, elem, listed) if listed else None,
        reason=_child(elem, "COMMENTS1"),
        un_list_type=_child(elem, "UN_LIST_TYPE"),
        titles=_values(elem, "TITLE"),
    )


def load_un_list(path: str | Path, *, include_entities: bool = True) -> list[WatchlistEntry]:
    """Parse a UN SC Consolidated List XML file; all or nothing (WatchlistFormatError)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise WatchlistFormatError(path, None, f"cannot open: {exc.strerror}") from exc
    return parse_un_list(data, str(path), include_entities=include_entities)


def parse_un_list(
    data: bytes, source: str, *, include_entities: bool = True
) -> list[WatchlistEntry]:
    """The same from bytes in memory; errors name ``source``."""
    root, lines = _parse_tree(data, source)
    doc = _Doc(source, lines)
    if root.tag != "CONSOLIDATED_LIST":
        raise doc.error(root, f"root element is <{root.tag}>, expected <CONSOLIDATED_LIST>")
    individuals = root.find("INDIVIDUALS")
    if individuals is None:
        raise doc.error(root, "no <INDIVIDUALS> element")
    entries = [_entry(doc, e, "individual") for e in individuals.findall("INDIVIDUAL")]
    entities = root.find("ENTITIES")
    if include_entities and entities is not None:
        entries += [_entry(doc, e, "entity") for e in entities.findall("ENTITY")]
    seen: set[str] = set()
    for entry in entries:
        if entry.entry_id in seen:
            raise WatchlistFormatError(source, None, f"duplicate REFERENCE_NUMBER {entry.entry_id}")
        seen.add(entry.entry_id)
    return entries


def looks_like_un_xml(head: bytes) -> bool:
    """Content sniffing for the batch command: the extension of an uploaded file proves nothing."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"<") and b"CONSOLIDATED_LIST" in head


def _comparable(entry: WatchlistEntry, field_name: str) -> Any:
    value = getattr(entry, field_name)
    # Order of aliases/documents in the file carries no meaning; compare as sorted reprs.
    return sorted(map(repr, value)) if isinstance(value, list) else value


def diff_editions(
    old: list[WatchlistEntry],
    new: list[WatchlistEntry],
    *,
    fields: Sequence[str] = DIFF_FIELDS,
    delisted: Collection[str] = (),
) -> EditionDiff:
    """Entries added, removed (de-listed), changed and returned between two editions, by
    reference number, in the order of ``new`` (``removed``: the order of ``old``).

    ``fields`` are the entry attributes compared (a caller that keeps fewer compares fewer).
    ``delisted`` names entries of ``old`` that an earlier edition had already removed: they are
    not removed again, and are ``returned`` when ``new`` lists them again.
    """
    old_by_id = {e.entry_id: e for e in old}
    new_by_id = {e.entry_id: e for e in new}
    gone = set(delisted)
    added = [e for ref, e in new_by_id.items() if ref not in old_by_id]
    removed = [e for ref, e in old_by_id.items() if ref not in new_by_id and ref not in gone]
    returned = [e for ref, e in new_by_id.items() if ref in gone and ref in old_by_id]
    changed: dict[str, list[str]] = {}
    for ref, new_entry in new_by_id.items():
        old_entry = old_by_id.get(ref)
        if old_entry is None:
            continue
        differ = [f for f in fields if _comparable(old_entry, f) != _comparable(new_entry, f)]
        if differ:
            changed[ref] = differ
    return EditionDiff(added=added, removed=removed, changed=changed, returned=returned)
