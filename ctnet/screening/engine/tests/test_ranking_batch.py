"""Candidate ranking by exact birth date, the array candidate API, batched screening, and the
same-year-other-date rule."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from ctnet.screening.engine import synthetic
from ctnet.screening.engine.batch import screen_batch, screen_many
from ctnet.screening.engine.index import MAX_CANDIDATE_NAMES, YEAR_BITS, CandidateIndex
from ctnet.screening.engine.model import (
    DateOfBirth,
    Document,
    NameKind,
    NameVariant,
    Traveller,
    WatchlistEntry,
)
from ctnet.screening.engine.normalise import normalise_name
from ctnet.screening.engine.score import screen

BIRTH = dt.date(1971, 3, 4)


def test_exact_birth_date_finds_the_listed_one_among_same_year_homonyms():
    # More homonyms than the cap, all born in 1971 (a year agreement ranks none above the
    # others); only the listed person shares the traveller's full date.
    homonyms = [
        WatchlistEntry(
            f"H{i}",
            [NameVariant("Mohammed Ahmed al-Masri", NameKind.PRIMARY)],
            dobs=[DateOfBirth.exact(dt.date(1971, 1 + i % 12, 1 + i % 28))],
        )
        for i in range(MAX_CANDIDATE_NAMES + 200)
        if (1 + i % 12, 1 + i % 28) != (BIRTH.month, BIRTH.day)
    ]
    true = WatchlistEntry(
        "TRUE", [NameVariant("Mohammed Ahmed al-Masri", NameKind.PRIMARY)],
        dobs=[DateOfBirth.exact(BIRTH)],
    )  # fmt: skip
    index = CandidateIndex([*homonyms[:400], true, *homonyms[400:]])
    query = normalise_name("Muhammad Ahmad al-Masri")
    names = index.candidates(query, 1971, birth_date=BIRTH.toordinal())
    assert names.size == MAX_CANDIDATE_NAMES
    assert 400 in index.name_entry_np[names]
    traveller = Traveller("t", "Muhammad Ahmad al-Masri", DateOfBirth.exact(BIRTH))
    assert screen(index, traveller)[0].entry_id == "TRUE"


@pytest.fixture(scope="module")
def small_world():
    gen = synthetic.NameGenerator(seed=3)
    pairs = [gen.entry(i) for i in range(3_000)]
    entries = [e for e, _ in pairs]
    rng = random.Random(3)
    travellers = []
    for k in range(300):
        pos = rng.randrange(len(pairs))
        name = synthetic.variant(rng, pairs[pos][1], rng.choice(synthetic.VARIANT_KINDS))
        travellers.append(synthetic.traveller_like(rng, f"T{k}", name or "Ali", entries[pos], gen))
    # Repeated names (a family on one manifest) go through the batch's normalisation memo.
    travellers += [
        Traveller(f"R{k}", t.name, t.dob, t.nationality) for k, t in enumerate(travellers[:20])
    ]
    return CandidateIndex(entries), travellers


def test_batched_screening_equals_one_by_one(small_world):
    index, travellers = small_world
    one_by_one = [screen(index, t, 0.6) for t in travellers]
    assert screen_many(index, travellers, 0.6) == one_by_one
    assert screen_batch(index, travellers, 0.6, workers=1) == one_by_one
    assert sum(map(len, one_by_one)) > 100


def test_candidate_arrays_agree_with_candidate_entries(small_world):
    index, travellers = small_world
    for t in travellers[:50]:
        query = normalise_name(t.name)
        year = t.dob.year_from if t.dob else None
        names, positions = index.candidate_arrays(query, None, year, nationality=t.nationality)
        grouped = index.candidate_entries(query, None, year, nationality=t.nationality)
        assert sorted(names.tolist()) == sorted(n for ids in grouped.values() for n in ids)
        assert set(positions.tolist()) == set(grouped)


def test_document_match_brings_all_names_of_the_entry():
    entry = WatchlistEntry(
        "D1",
        [
            NameVariant("Rahim Kawari", NameKind.PRIMARY),
            NameVariant("Abu Zaid", NameKind.WEAK_ALIAS),
        ],
        documents=[Document("A1234567", "passport", "AFG")],
    )
    index = CandidateIndex([entry])
    names, positions = index.candidate_arrays(normalise_name("Someone Else"), "a 1234567")
    assert names.tolist() == [0, 1] and positions.tolist() == [0, 0]
    assert screen(index, Traveller("t", "Someone Else", document="A1234567"))[0].entry_id == "D1"


def test_same_year_but_another_full_date_conflicts():
    listed = WatchlistEntry(
        "Y1", [NameVariant("Rahim Kawari", NameKind.PRIMARY)], dobs=[DateOfBirth.exact(BIRTH)]
    )
    index = CandidateIndex([listed])
    other_day = Traveller("t", "Rahim Kawari", DateOfBirth.exact(dt.date(1971, 9, 9)))
    year_only = WatchlistEntry(
        "Y2", [NameVariant("Rahim Kawari", NameKind.PRIMARY)], dobs=[DateOfBirth.year(1971)]
    )
    # Two full dates that differ are a conflict (issue 12), even in the same year...
    assert screen(index, other_day, 0.0)[0].reasons[-1] == "dob:conflict"
    # ... unless day and month are swapped (a clerical error): near, not a conflict.
    swapped = Traveller(
        "t", "Rahim Kawari", DateOfBirth.exact(dt.date(BIRTH.year, BIRTH.day, BIRTH.month))
    )
    if BIRTH.day <= 12 and BIRTH.day != BIRTH.month:
        assert screen(index, swapped, 0.0)[0].reasons[1] == "dob:near"
    assert "dob:year_match" in screen(CandidateIndex([year_only]), other_day, 0.0)[0].reasons
    same_day = Traveller("t", "Rahim Kawari", DateOfBirth.exact(BIRTH))
    assert "dob:exact_match" in screen(index, same_day, 0.0)[0].reasons


def test_pair_bitmap_never_drops_a_listed_pair(small_world):
    index, _ = small_world
    listed = np.unique(index.keys >> np.uint64(YEAR_BITS))
    assert index._maybe_listed(listed).all()
    # ... and it does drop most absent ones (that is its purpose).
    absent = np.setdiff1d(listed + np.uint64(1), listed)
    assert index._maybe_listed(absent).mean() < 0.05
