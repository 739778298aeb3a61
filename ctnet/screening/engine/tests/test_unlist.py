from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ctnet.screening.engine.model import DobKind, NameKind, WatchlistEntry, WatchlistFormatError
from ctnet.screening.engine.unlist import diff_editions, load_un_list, looks_like_un_xml

from .conftest import UN_2018


def by_id(entries: list[WatchlistEntry]) -> dict[str, WatchlistEntry]:
    return {e.entry_id: e for e in entries}


def test_counts_of_both_editions(un_2017, un_2018):
    assert sum(e.entity_type == "individual" for e in un_2017) == 650
    assert sum(e.entity_type == "entity" for e in un_2017) == 371
    assert sum(e.entity_type == "individual" for e in un_2018) == 703
    assert sum(e.entity_type == "entity" for e in un_2018) == 390


def test_known_entry_names_and_fields(un_2018):
    entry = by_id(un_2018)["QDi.014"]
    assert entry.primary_name == "TARIQ ANWAR EL SAYED AHMED"
    assert entry.data_id == "111498"
    kinds = {(n.text, n.kind) for n in entry.names}
    assert ("طاريق أنور السيد احمد", NameKind.ORIGINAL_SCRIPT) in kinds
    assert ("Tarek Anwar El Sayed Ahmad", NameKind.STRONG_ALIAS) in kinds
    assert entry.dobs[0].kind is DobKind.EXACT and entry.dobs[0].date == dt.date(1963, 3, 15)
    assert entry.nationalities == ["EGY"]
    assert entry.listed_on == dt.date(2001, 10, 6)
    assert entry.un_list_type == "Al-Qaida"
    assert entry.reason.startswith("Reportedly deceased in October 2001")


def test_weak_aliases_documents_and_ranges(un_2018):
    entries = by_id(un_2018)
    mokhtar = entries["QDi.136"]
    weak = {n.text for n in mokhtar.names if n.kind is NameKind.WEAK_ALIAS}
    assert weak == {"Belaoua", "Belaour"}
    kawari = entries["QDi.380"]
    assert {d.number for d in kawari.documents} >= {"00754833", "27363400684"}
    assert all(d.country == "QAT" for d in kawari.documents)
    ranges = [d for e in un_2018 for d in e.dobs if d.kind is DobKind.RANGE]
    assert len(ranges) == 31
    assert all(d.year_from is not None and d.year_to is not None for d in ranges)
    assert all(d.year_from <= d.year_to for d in ranges if d.year_from and d.year_to)


def test_nationalities_are_iso3_for_un_spellings(un_2018):
    umarov = by_id(un_2018)["QDi.290"]
    assert umarov.nationalities == ["RUS", "SUN"]  # "USSR (until 1991)" -> ISO 3166-3
    all_codes = {n for e in un_2018 for n in e.nationalities}
    assert all(len(code) == 3 and code.isupper() for code in all_codes)
    assert {"AFG", "PRK", "IRN", "GBR", "COD", "PSE"} <= all_codes


def test_diff_between_editions(un_2017, un_2018):
    diff = diff_editions(un_2017, un_2018)
    assert len(diff.added) - len(diff.removed) == len(un_2018) - len(un_2017)
    removed = {e.entry_id for e in diff.removed}
    added = {e.entry_id for e in diff.added}
    assert "QDi.109" in removed and "QDi.255" in removed  # de-listed between 2017 and 2018
    assert removed.isdisjoint(by_id(un_2018)) and added.isdisjoint(by_id(un_2017))
    assert diff.changed  # some entries were amended
    for ref, fields in diff.changed.items():
        old, new = by_id(un_2017)[ref], by_id(un_2018)[ref]
        assert all(repr(getattr(old, f)) != repr(getattr(new, f)) for f in fields)
    # An entry compared with itself is not changed.
    assert diff_editions(un_2018, un_2018).changed == {}


def test_diff_of_chosen_fields_and_entries_returned(un_2017, un_2018):
    full = diff_editions(un_2017, un_2018)
    names_only = diff_editions(un_2017, un_2018, fields=("names",))
    assert set(names_only.changed) <= set(full.changed)
    assert all(fields == ["names"] for fields in names_only.changed.values())
    # Entries already de-listed before 2017's edition are neither removed again nor new when
    # they come back: they are returned.
    gone = {e.entry_id for e in full.removed}
    again = diff_editions(un_2017, un_2017, delisted=gone)
    assert again.removed == [] and again.added == []
    assert {e.entry_id for e in again.returned} == gone
    assert diff_editions(un_2017, un_2018, delisted=gone).removed == []


def test_malformed_xml_names_file_and_line(tmp_path: Path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>\n</INDIVIDUALS>\n")
    with pytest.raises(WatchlistFormatError) as err:
        load_un_list(bad)
    assert err.value.path == str(bad) and err.value.line == 4


def test_missing_reference_number_names_line(tmp_path: Path):
    text = UN_2018.read_text(encoding="utf-8")
    target = "<REFERENCE_NUMBER>QDi.014</REFERENCE_NUMBER>"
    assert target in text
    line = text[: text.index(target)].count("\n") + 1
    broken = tmp_path / "broken.xml"
    broken.write_text(text.replace(target, ""), encoding="utf-8")
    with pytest.raises(WatchlistFormatError) as err:
        load_un_list(broken)
    assert err.value.line == line and "REFERENCE_NUMBER" in err.value.message


def test_impossible_date_is_rejected(tmp_path: Path):
    xml = tmp_path / "date.xml"
    xml.write_text(
        "<CONSOLIDATED_LIST><INDIVIDUALS>\n<INDIVIDUAL><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER>"
        "<FIRST_NAME>A</FIRST_NAME><INDIVIDUAL_DATE_OF_BIRTH><DATE>2019-02-30</DATE>"
        "</INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
    )
    with pytest.raises(WatchlistFormatError, match="impossible date"):
        load_un_list(xml)


def test_entity_expansion_is_refused(tmp_path: Path):
    xml = tmp_path / "bomb.xml"
    xml.write_text('<!DOCTYPE x [<!ENTITY a "aaaa">]><CONSOLIDATED_LIST>&a;</CONSOLIDATED_LIST>')
    with pytest.raises(WatchlistFormatError, match="refused"):
        load_un_list(xml)


def test_content_sniffing():
    assert looks_like_un_xml(UN_2018.read_bytes()[:4096])
    assert not looks_like_un_xml(b"id,name,aliases,dob,nationality\n")
