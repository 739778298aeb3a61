"""Second ranking stage (spelling closeness before the cap), rare-part postings, and typos
between doubled letters."""

from __future__ import annotations

import datetime as dt

import numpy as np

from ctnet.screening.engine.index import (
    MAX_CANDIDATE_NAMES,
    RARE_PART_POSTINGS,
    CandidateIndex,
    _collapsing_deletions,
)
from ctnet.screening.engine.model import DateOfBirth, NameKind, NameVariant, WatchlistEntry
from ctnet.screening.engine.normalise import normalise_name


def _entry(entry_id: str, name: str, year: int | None = None) -> WatchlistEntry:
    dobs = [DateOfBirth.exact(dt.date(year, 1, 1))] if year else []
    return WatchlistEntry(entry_id, [NameVariant(name, NameKind.PRIMARY)], dobs=dobs)


def _entries_found(index: CandidateIndex, name: str, year: int | None = None) -> set[str]:
    names = index.candidates(normalise_name(name), year)
    return {index.entries[p].entry_id for p in index.name_entry_np[names].tolist()}


def test_collapsing_deletions():
    assert _collapsing_deletions("qadbdas") == {"qadas"}
    assert _collapsing_deletions("harhartra") == {"harhara"}
    assert _collapsing_deletions("mohamed") == set()


def test_typo_between_doubled_letters_is_reached():
    # Doubled letters are collapsed ("Qaddas" -> "qadas"), so "Qadbdas" is two edits away.
    index = CandidateIndex([_entry("Q", "Qaddas al-Masroumi"), _entry("H", "Harhartra Saar")])
    assert "Q" in _entries_found(index, "Qadbdas al-Masroumi")
    assert "H" in _entries_found(index, "Harharra Saar")


def test_rare_part_reaches_a_name_whose_other_part_is_beyond_reach():
    # "Ritrxyzman" is no edit-distance-1 neighbour of "Ritraman": no pair key reaches the
    # entry, but its other part is listed in only one name.
    others = [_entry(f"O{i}", f"Person{i} Nobody{i}") for i in range(50)]
    index = CandidateIndex([*others, _entry("R", "Ritraman Kawaldouri")])
    assert "R" in _entries_found(index, "Ritrxyzman Kawaldouri")
    # A part listed in more names than RARE_PART_POSTINGS does not generate candidates alone.
    common = [_entry(f"C{i}", f"Given{i} Kawaldouri") for i in range(RARE_PART_POSTINGS + 1)]
    index = CandidateIndex(common)
    assert _entries_found(index, "Ritrxyzman Kawaldouri") == set()


def test_spelling_closeness_ranks_a_misspelt_rare_part_above_near_homonyms(monkeypatch):
    # More names sharing the pair "Mohammed Ahmed" than the cap, each with another rare part;
    # the traveller's third part is misspelt beyond the pair keys' reach ("Kawari" typed
    # "Kazbari"). By pair evidence all names tie; the spelling of the third part decides.
    homonyms = [
        _entry(f"H{i}", f"Mohammed Ahmed al-{a}{b}{c}esi", 1970)
        for i, (a, b, c) in enumerate(
            (a, b, c) for a in "bdfgjlmnprstvz" for b in "aeiou" for c in "bdfgjlmnp"
        )
    ]
    assert len(homonyms) > MAX_CANDIDATE_NAMES
    index = CandidateIndex([*homonyms, _entry("TRUE", "Mohammed Ahmed al-Kawari", 1970)])
    query = normalise_name("Mohammed Ahmed al-Kazbari")
    names = index.candidates(query, 1970)
    assert names.size == MAX_CANDIDATE_NAMES
    assert len(homonyms) in set(index.name_entry_np[names].tolist())
    closeness = index._closeness(query, np.asarray([0, len(homonyms)]))
    assert closeness[1] > closeness[0]
    # Without the second stage the tie is broken blindly and the listed person is cut.
    monkeypatch.setattr("ctnet.screening.engine.index.RERANK_POOL", 0)
    names = index.candidates(query, 1970)
    assert len(homonyms) not in set(index.name_entry_np[names].tolist())
