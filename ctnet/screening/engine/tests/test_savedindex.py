"""The saved, mapped candidate index (savedindex) and the candidate cap per list."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ctnet.screening.engine import savedindex
from ctnet.screening.engine.batch import screen_many
from ctnet.screening.engine.index import MAX_CANDIDATE_NAMES, CandidateIndex
from ctnet.screening.engine.model import (
    DateOfBirth,
    Document,
    NameKind,
    NameVariant,
    Traveller,
    WatchlistEntry,
)
from ctnet.screening.engine.normalise import normalise_name
from ctnet.screening.engine.savedindex import IndexFileError
from ctnet.screening.engine.score import screen

GIVEN = ["Mohammed", "Ahmad", "Abdul Rahman", "Yusuf", "Omar", "Khalid", "Ibrahim", "Hamza",
         "Ruslan", "Aslan", "Bilal", "Tariq", "Said", "Anwar", "Jamal", "Faisal"]  # fmt: skip
FAMILY = ["al-Kawari", "Haqqani", "Dudayev", "Rahimi", "al-Masri", "Barakzai", "Nuri",
          "Wibowo", "Farah", "al-Harbi", "Basayev", "Karimov", "Hassan", "Qureshi"]  # fmt: skip


@pytest.fixture(scope="module")
def world() -> tuple[list[WatchlistEntry], list[Traveller]]:
    """3,000 entries from a small name inventory (many homonyms) and 300 travellers, some
    listed with a typo or another order, some not listed."""
    rng = random.Random(5)
    entries = []
    for i in range(3_000):
        parts = [rng.choice(GIVEN), rng.choice(GIVEN), rng.choice(FAMILY)]
        dob = DateOfBirth.exact(dt.date(rng.randint(1950, 2000), rng.randint(1, 12), 1))
        names = [NameVariant(" ".join(parts), NameKind.PRIMARY)]
        if i % 4 == 0:
            names.append(NameVariant(f"Abu {rng.choice(GIVEN)}", NameKind.WEAK_ALIAS))
        entries.append(WatchlistEntry(f"S-{i}", names, dobs=[dob], nationalities=["AFG"]))
    travellers = []
    for i in range(300):
        entry = rng.choice(entries)
        name = entry.names[0].text
        if i % 3 == 1:
            k = rng.randrange(len(name) - 1)
            name = name[:k] + name[k + 1] + name[k] + name[k + 2 :]
        elif i % 3 == 2:
            name = " ".join(reversed(name.split()))
        travellers.append(Traveller(f"T{i}", name, entry.dobs[0] if i % 2 else None))
    return entries, travellers


def _saved(tmp_path: Path, entries: list[WatchlistEntry], **meta: object) -> Path:
    path = tmp_path / "index.ctidx"
    CandidateIndex(entries).save(path, meta)
    return path


def test_a_loaded_index_answers_as_the_built_one(tmp_path, world, un_2018):
    entries, travellers = world
    entries = entries + un_2018  # UN entries carry documents, places, original-script names
    built = CandidateIndex(entries)
    path = tmp_path / "index.ctidx"
    built.save(path, {"list_sha256": "abc"})
    loaded = CandidateIndex.load(path, {"list_sha256": "abc"})
    assert len(loaded.entries) == len(entries) and loaded.name_count == built.name_count
    assert loaded.entries[-1] == entries[-1] and loaded.entries[7] == entries[7]
    assert list(loaded.name_norm[:50]) == list(built.name_norm[:50])
    assert screen_many(loaded, travellers, 0.5) == screen_many(built, travellers, 0.5)
    doc = next(e for e in un_2018 if e.documents)
    t = Traveller("d", "Someone Else", document=doc.documents[0].number)
    assert screen(loaded, t, 0.5) == screen(built, t, 0.5) != []
    # Mapped, not copied: the arrays are read-only views of the file.
    assert not loaded.keys.flags.writeable and not loaded.postings.flags.writeable


def test_names_round_trip_in_every_script(tmp_path):
    entry = WatchlistEntry(
        "E1",
        [NameVariant("Abd al-Aziz Rahimi", NameKind.PRIMARY),
         NameVariant("عبد العزيز رحيمي", NameKind.ORIGINAL_SCRIPT),
         NameVariant("Один Два Три Четыре Пять Шесть Семь Восемь Девять", NameKind.WEAK_ALIAS)],
        dobs=[DateOfBirth.exact(dt.date(1971, 2, 3)), DateOfBirth.range(1970, 1972)],
        documents=[Document("A1234567", "passport", "AFG")], listed_on=dt.date(2001, 1, 1),
    )  # fmt: skip
    path = tmp_path / "one.ctidx"
    built = CandidateIndex([entry])
    built.save(path)
    loaded = CandidateIndex.load(path)
    assert loaded.entries[0] == entry
    assert list(loaded.name_norm) == [normalise_name(n.text) for n in entry.names]
    assert list(built.name_norm) == list(loaded.name_norm)


def test_a_damaged_file_is_refused(tmp_path, world):
    entries, _ = world
    path = _saved(tmp_path, entries[:500])
    data = bytearray(path.read_bytes())
    header = savedindex.read_header(path)
    spec = header["arrays"]["postings"]
    start = len(data) - header["data_size"]
    data[start + spec["offset"] + 3] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(IndexFileError, match="postings is damaged"):
        CandidateIndex.load(path)


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda b: b[:-100], "size"),
        (lambda b: b + b"x" * 64, "size"),
        (lambda b: b"NOTANIDX" + b[8:], "not a saved candidate index"),
        (lambda b: b"", "not a saved candidate index"),
        (lambda b: b[:16] + b"{" * 40 + b[56:], "damaged header"),
    ],
)
def test_a_truncated_or_foreign_file_is_refused(tmp_path, world, damage, message):
    path = _saved(tmp_path, world[0][:200])
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(IndexFileError, match=message):
        CandidateIndex.load(path)


def test_a_file_for_other_data_or_another_engine_is_refused(tmp_path, world, monkeypatch):
    path = _saved(tmp_path, world[0][:200], epoch="e1", checkpoint=4)
    assert CandidateIndex.load(path, {"epoch": "e1", "checkpoint": 4}).name_count > 0
    with pytest.raises(IndexFileError, match="checkpoint=4, not 5"):
        CandidateIndex.load(path, {"epoch": "e1", "checkpoint": 5})
    with pytest.raises(IndexFileError, match="cannot open"):
        CandidateIndex.load(tmp_path / "missing.ctidx")
    monkeypatch.setattr(savedindex, "engine_fingerprint", lambda: "other")
    with pytest.raises(IndexFileError, match="another version of the engine"):
        CandidateIndex.load(path)


def test_a_new_process_maps_the_file(tmp_path, world):
    """Another process loads the file without building and finds what this one finds."""
    entries, travellers = world
    path = _saved(tmp_path, entries)
    t = travellers[0]
    code = (
        "import json, sys\n"
        "from ctnet.screening.engine.index import CandidateIndex\n"
        "from ctnet.screening.engine.model import Traveller\n"
        "from ctnet.screening.engine.score import screen\n"
        f"index = CandidateIndex.load({str(path)!r})\n"
        f"t = Traveller('x', {t.name!r})\n"
        "print(json.dumps([m.entry_id for m in screen(index, t, 0.5)]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    expected = [m.entry_id for m in screen(CandidateIndex(entries), Traveller("x", t.name), 0.5)]
    assert json.loads(out.stdout) == expected != []


# --- The candidate cap per list ------------------------------------------------------------------


def _crowded_lists() -> tuple[list[WatchlistEntry], list[int], Traveller]:
    """List 2 holds 3 x the cap of near-homonyms of the traveller, all sharing the traveller's
    full date of birth (the strongest ranking factor); list 1 holds the listed person, whose
    listed year differs a little from the traveller's (it does not agree, so it ranks lower)."""
    traveller = Traveller("t", "Ahmad Rahimi Kawari", DateOfBirth.exact(dt.date(1975, 5, 5)))
    own = WatchlistEntry(
        "OWN-1", [NameVariant("Ahmad Rahimi Kawari", NameKind.PRIMARY)],
        dobs=[DateOfBirth.year(1978)],
    )  # fmt: skip
    others = [
        WatchlistEntry(
            f"OTHER-{i}",
            [NameVariant(f"Ahmad Rahimi Kawari {suffix}", NameKind.PRIMARY)],
            dobs=[DateOfBirth.exact(dt.date(1975, 5, 5))],
        )
        for i, suffix in enumerate(
            f"{a}{b}{c}{d}"
            for a in "bdfgklmnprst"
            for b in "aeiou"
            for c in "bdfgklmnprst"
            for d in "aeiou"
        )
        if i < 3 * MAX_CANDIDATE_NAMES
    ]
    entries = [own, *others]
    return entries, [1] + [2] * len(others), traveller


def test_the_cap_applies_per_list():
    entries, groups, traveller = _crowded_lists()
    query = normalise_name(traveller.name)
    kwargs = {"birth_year": 1975, "birth_date": dt.date(1975, 5, 5).toordinal()}
    # One list for all (as before): the other list's near-homonyms crowd the entry out.
    pooled = CandidateIndex(entries).candidate_entries(query, **kwargs)
    assert 0 not in pooled and len(pooled) == MAX_CANDIDATE_NAMES
    # Per list: the caller's list has its own cap, whatever the other lists hold.
    per_list = CandidateIndex(entries, groups)
    assert 0 in per_list.candidate_entries(query, **kwargs)
    # Restricted to the caller's list, the other list is not even read.
    own_only = per_list.restricted_to([1])
    assert own_only.candidate_entries(query, **kwargs).keys() == {0}
    assert [m.entry_id for m in screen(own_only, traveller, 0.0)] == ["OWN-1"]
    assert per_list.restricted_to([]).candidate_entries(query, **kwargs) == {}


def test_restriction_holds_for_documents_and_saved_indexes(tmp_path):
    doc = [Document("P7654321", "passport", "FRA")]
    entries = [
        WatchlistEntry("A-1", [NameVariant("Jean Dupont", NameKind.PRIMARY)], documents=doc),
        WatchlistEntry("B-1", [NameVariant("Pierre Martin", NameKind.PRIMARY)], documents=doc),
    ]
    index = CandidateIndex(entries, [10, 20])
    t = Traveller("t", "Nobody Known", document="P7654321")
    assert {m.entry_id for m in screen(index, t, 0.5)} == {"A-1", "B-1"}
    assert [m.entry_id for m in screen(index.restricted_to([20]), t, 0.5)] == ["B-1"]
    path = tmp_path / "groups.ctidx"
    index.save(path)
    loaded = CandidateIndex.load(path)
    assert [m.entry_id for m in screen(loaded.restricted_to([10]), t, 0.5)] == ["A-1"]
    assert np.array_equal(loaded.group_labels, [10, 20])
    with pytest.raises(ValueError, match="2 groups for 1 entries"):
        CandidateIndex(entries[:1], [1, 2])
