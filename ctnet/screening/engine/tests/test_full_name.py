"""Issue 12, round 3: an exact full-name match after normalisation is a possible match (unless a
fact conflicts), equivalence of name parts, Arabic-script compounds, and one-edit near-homonyms."""

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
from ctnet.screening.engine.namematch import equivalent_parts, name_scores, name_similarity
from ctnet.screening.engine.normalise import normalise_name, skeleton
from ctnet.screening.engine.score import DEFAULT_THRESHOLD, FULL_NAME_FLOOR, screen

GIVEN = ["Ali", "Omar", "Khalid", "Saleh", "Yusuf", "Hamad", "Tariq", "Bilal", "Anwar", "Jamal"]


def crowded_list(extra: list[WatchlistEntry]) -> CandidateIndex:
    """`extra` among 400 entries that make "Mohammed" and "Hussein" common name parts."""
    entries = list(extra)
    for i in range(200):
        entries.append(WatchlistEntry(f"M{i}", [NameVariant(
            f"Mohammed {GIVEN[i % 10]} {GIVEN[(i // 10) % 10]}", NameKind.PRIMARY)]))  # fmt: skip
        entries.append(WatchlistEntry(f"H{i}", [NameVariant(
            f"{GIVEN[i % 10]} {GIVEN[(i // 10) % 10]} Hussein", NameKind.PRIMARY)]))  # fmt: skip
    return CandidateIndex(entries)


LISTED = WatchlistEntry(
    "E1", [NameVariant("Mohammed Hussein", NameKind.PRIMARY)],
    dobs=[DateOfBirth.exact(dt.date(1971, 3, 4))], nationalities=["IRQ"],
)  # fmt: skip


@pytest.fixture(scope="module")
def crowded() -> CandidateIndex:
    return crowded_list([LISTED])


def e1(index: CandidateIndex, traveller: Traveller):
    return next((m for m in screen(index, traveller, 0.0) if m.entry_id == "E1"), None)


@pytest.mark.parametrize(
    "name", ["Mohammed Hussein", "Hussein Mohammed", "MUHAMMAD HUSSEIN", "محمد حسين"]
)
def test_a_common_full_name_without_a_date_is_a_possible_match(crowded, name):
    # The name alone identifies little ("Mohammed Hussein"), yet it is the listed name: with
    # nothing that conflicts it is raised, in any order and script, and says so.
    match = e1(crowded, Traveller("t", name))
    assert match is not None and match.score >= DEFAULT_THRESHOLD == FULL_NAME_FLOOR
    assert "name_alone" in match.reasons


def test_a_common_full_name_with_a_conflicting_fact_is_not_raised(crowded):
    born_else = Traveller("t", "Mohammed Hussein", DateOfBirth.exact(dt.date(1985, 7, 1)))
    match = e1(crowded, born_else)
    assert match is not None and match.score < DEFAULT_THRESHOLD
    assert "dob:conflict" in match.reasons
    other_country = e1(crowded, Traveller("t", "Mohammed Hussein", None, "FRA"))
    assert other_country is not None and other_country.score < DEFAULT_THRESHOLD


def test_the_floor_is_not_given_to_a_weak_alias():
    entry = WatchlistEntry("E1", [NameVariant("Ahmad Rashid Hamdan", NameKind.PRIMARY),
                                  NameVariant("Abu Mohammed", NameKind.WEAK_ALIAS)])  # fmt: skip
    index = crowded_list([entry])
    match = e1(index, Traveller("t", "Abu Mohammed"))
    assert match is None or match.score < DEFAULT_THRESHOLD


def test_a_one_edit_near_homonym_with_a_common_given_name_is_not_a_full_name(crowded):
    # "Mohammed Hussain" is a spelling of the listed name (same skeleton); "Mohammed Husseim" is
    # another name one letter away: it is scored as a near name, not raised as the listed one.
    spelling = normalise_name("Mohammed Hussain")
    other = normalise_name("Mohammed Husseim")
    ids = crowded.candidates(spelling)
    listed = next(i for i in ids.tolist() if crowded.name_entry_np[i] == 0)
    assert name_similarity(crowded, spelling, crowded.name_norm[listed]).full_name
    assert not name_similarity(crowded, other, crowded.name_norm[listed]).full_name
    near = e1(crowded, Traveller("t", "Mohammed Husseim"))
    assert near is not None and near.score < DEFAULT_THRESHOLD
    assert "name_alone" in near.reasons


@pytest.mark.parametrize(
    ("a", "b", "abjad", "same"),
    [
        ("muhamad", "mohamed", False, True),  # Muhammad / Mohamed: one name
        ("khalid", "khaled", False, True),
        ("mahmud", "mohamed", False, False),  # one skeleton m-h-m-d, two names
        ("iwan", "wian", False, False),  # skeleton "n": too short to tell names apart
        ("guno", "guni", False, False),
        ("mhmd", "mohamed", True, True),  # Arabic script against a Latin spelling
        ("mhmwd", "mohamed", False, False),
        ("kawari", "kawali", False, False),  # one letter, another consonant: a near name
    ],
)
def test_equivalent_parts(a, b, abjad, same):
    assert equivalent_parts(a, b, skeleton(a), skeleton(b), abjad) is same


def test_vectorised_full_name_flags_agree_with_reference(crowded):
    for text in ["Mohammed Hussein", "Hussein Mohammed", "Mohammed Ali Omar", "Mohammed Ali",
                 "محمد حسين", "Mohammed Husseim", "Ali Omar"]:  # fmt: skip
        query = normalise_name(text)
        ids = crowded.candidates(query)
        fast = name_scores(crowded, query, ids)
        for k, name_id in enumerate(ids.tolist()):
            plain = name_similarity(crowded, query, crowded.name_norm[name_id])
            assert bool(fast.full_name[k]) is plain.full_name, (text, name_id)
            assert bool(fast.subset_name[k]) is plain.subset_name, (text, name_id)


def test_a_subset_name_is_flagged_only_with_one_part_left_out(crowded):
    three = normalise_name("Mohammed Ali Omar")
    assert name_similarity(crowded, normalise_name("Mohammed Omar"), three).subset_name
    assert not name_similarity(crowded, normalise_name("Mohammed"), three).subset_name
    assert not name_similarity(crowded, normalise_name("Mohammed Omar"), three).full_name


@pytest.mark.parametrize(
    ("script", "tokens"),
    [
        ("مطيع الله", ("mtylh",)),  # Matiullah
        ("نصیر الدین حقانی", ("nsyrdyn", "hqani")),  # Nasiruddin Haqqani
        ("عبد الله احمد", ("abdlh", "ahmd")),  # "Abd Allah" keeps its own rule
    ],
)
def test_arabic_script_compounds_are_joined_as_latin_lists_write_them(script, tokens):
    assert normalise_name(script).tokens == tokens


def test_un_taliban_names_in_original_script_find_their_latin_names(un_2018):
    latin_only = [
        WatchlistEntry(e.entry_id, [n for n in e.names if n.kind is NameKind.PRIMARY], dobs=e.dobs)
        for e in un_2018
        if e.entity_type == "individual"
    ]
    index = CandidateIndex(latin_only)
    for script, ref in [("نصیر الدین حقانی", "TAi.146"), ("مطيع الله", "TAi.020")]:
        matches = screen(index, Traveller("t", script))
        assert matches and matches[0].entry_id == ref, script


def test_a_name_with_one_part_left_out_alerts_when_its_parts_identify():
    rare = WatchlistEntry("E2", [NameVariant("Zubayr Tarkhan Qasimov", NameKind.PRIMARY)],
                          dobs=[DateOfBirth.year(1980)])  # fmt: skip
    common = WatchlistEntry("E3", [NameVariant("Mohammed Bilal Hussein", NameKind.PRIMARY)])
    index = crowded_list([rare, common])
    found = screen(index, Traveller("t", "Zubayr Qasimov"))
    assert found and found[0].entry_id == "E2" and found[0].score >= DEFAULT_THRESHOLD
    # Two common parts identify little: "Mohammed Hussein" is not raised as "Mohammed Bilal
    # Hussein" on the name alone.
    near = [m for m in screen(index, Traveller("t", "Mohammed Hussein"), 0.0) if m.entry_id == "E3"]
    assert near and near[0].score < DEFAULT_THRESHOLD
    # A conflicting date of birth leaves the ordinary (lowered) score.
    born_else = Traveller("t", "Zubayr Qasimov", DateOfBirth.exact(dt.date(1960, 5, 5)))
    assert [m.entry_id for m in screen(index, born_else)] == []
