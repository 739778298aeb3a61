"""Issue 12: alerts that find the listed person, and score bands a reviewer understands."""

from __future__ import annotations

import datetime as dt

import pytest

from ctnet.screening.engine.index import CandidateIndex
from ctnet.screening.engine.model import (
    DateOfBirth,
    NameKind,
    NameVariant,
    Traveller,
    WatchlistEntry,
)
from ctnet.screening.engine.score import (
    BAND_POSSIBLE,
    BAND_STRONG,
    BAND_WEAK,
    DEFAULT_THRESHOLD,
    STRONG_MATCH_MIN,
    band,
    screen,
)


@pytest.fixture(scope="module")
def un_index(un_2018) -> CandidateIndex:
    return CandidateIndex(un_2018)


def test_exact_arabic_script_name_alone_is_a_possible_match(un_index):
    # QDi.019's name in original script, checked with no date of birth or nationality.
    matches = screen(un_index, Traveller("t", "عبد الله احمد عبدالله الالفي"))
    assert matches and matches[0].entry_id == "QDi.019"
    assert matches[0].score >= DEFAULT_THRESHOLD and "name_alone" in matches[0].reasons


def test_al_badri_born_1971_alerts(un_index):
    traveller = Traveller("t", "Ibrahim Awad Ibrahim al-Badri", DateOfBirth.year(1971))
    matches = screen(un_index, traveller)
    assert matches and matches[0].entry_id == "QDi.299"
    assert "dob:year_match" in matches[0].reasons


def test_arabic_script_against_latin_names_only(un_2018):
    # The original-script name finds the entry through its primary Latin name alone.
    latin_only = [
        WatchlistEntry(e.entry_id, [n for n in e.names if n.kind is NameKind.PRIMARY], dobs=e.dobs)
        for e in un_2018
        if e.entity_type == "individual"
    ]
    matches = screen(CandidateIndex(latin_only), Traveller("t", "عبد الله احمد عبدالله الالفي"))
    assert matches and matches[0].entry_id == "QDi.019"


def test_namesake_with_a_clearly_different_date_of_birth_does_not_alert(un_index):
    for dob in (DateOfBirth.exact(dt.date(1990, 2, 14)), DateOfBirth.year(1985)):
        traveller = Traveller("t", "Ibrahim Awad Ibrahim al-Badri", dob, "IRQ")
        assert [m for m in screen(un_index, traveller) if m.entry_id == "QDi.299"] == []
    listed = screen(un_index, Traveller("t", "Abdullah Ahmed Abdullah el Alfi",
                                        DateOfBirth.exact(dt.date(1963, 6, 7)), "EGY"))  # fmt: skip
    assert [m.entry_id for m in listed] == []  # QDi.019 is listed born 1963-06-06


def test_namesake_without_a_date_of_birth_may_alert(un_index):
    matches = screen(un_index, Traveller("t", "Abdullah Ahmed Abdullah el Alfi"))
    assert [m.entry_id for m in matches][:1] == ["QDi.019"]


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (1.0, BAND_STRONG),
        (STRONG_MATCH_MIN, BAND_STRONG),
        (STRONG_MATCH_MIN - 0.001, BAND_POSSIBLE),
        (DEFAULT_THRESHOLD, BAND_POSSIBLE),
        (DEFAULT_THRESHOLD - 0.001, BAND_WEAK),
        (0.0, BAND_WEAK),
    ],
)
def test_bands_at_their_edges(score, expected):
    assert band(score) == expected


def test_bands_follow_the_deployment_threshold():
    assert band(0.80, threshold=0.80) == BAND_POSSIBLE
    assert band(0.80, threshold=0.85) == BAND_WEAK
    # A threshold above STRONG_MATCH_MIN leaves no "possible" band below it.
    assert band(0.98, threshold=0.99) == BAND_WEAK and band(0.99, threshold=0.99) == BAND_STRONG


def test_an_agreeing_full_date_identifies_a_common_name():
    # Round 2: a frequent name alone stays weak; the listed full date adds its information.
    entries = [WatchlistEntry("E1", [NameVariant("Mohammed Hussein", NameKind.PRIMARY)],
                              dobs=[DateOfBirth.exact(dt.date(1971, 3, 4))])]  # fmt: skip
    entries += [
        WatchlistEntry(f"M{i}", [NameVariant(f"Mohammed Hussein {n}", NameKind.PRIMARY)])
        for i, n in enumerate(["Ali", "Omar", "Khalid", "Saleh", "Yusuf", "Hamad"] * 40)
    ]
    entries += [
        WatchlistEntry(f"H{i}", [NameVariant(f"{n} Hussein", NameKind.PRIMARY)])
        for i, n in enumerate(["Ali", "Omar", "Khalid", "Saleh", "Yusuf", "Hamad"] * 40)
    ]
    index = CandidateIndex(entries)
    alone = [
        m for m in screen(index, Traveller("t", "Mohammed Hussein"), 0.0) if m.entry_id == "E1"
    ]
    dated = screen(
        index, Traveller("t", "Mohammed Hussein", DateOfBirth.exact(dt.date(1971, 3, 4)))
    )
    assert dated and dated[0].entry_id == "E1" and "dob:exact_match" in dated[0].reasons
    assert alone and alone[0].score < dated[0].score


def test_a_name_with_a_part_left_out_is_a_subset_not_another_person(un_index):
    # al-Badri with his father's name left out, as a document may give it.
    traveller = Traveller("t", "Ibrahim Ibrahim al-Badri", DateOfBirth.year(1971))
    matches = screen(un_index, traveller)
    assert matches and matches[0].entry_id == "QDi.299"
