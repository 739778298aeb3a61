from __future__ import annotations

import datetime as dt
import random

import pytest

from ctnet.screening.engine import synthetic
from ctnet.screening.engine.index import MAX_CANDIDATE_NAMES, CandidateIndex
from ctnet.screening.engine.model import (
    DateOfBirth,
    Document,
    NameKind,
    NameVariant,
    Traveller,
    WatchlistEntry,
)
from ctnet.screening.engine.namematch import KIND_FACTOR, name_scores, name_similarity
from ctnet.screening.engine.normalise import normalise_name
from ctnet.screening.engine.score import DEFAULT_THRESHOLD, score_entry, screen

ALERT_BOUND = 2  # 1 per 1,000 on 2,000 travellers (0 measured at this size)


@pytest.fixture(scope="module")
def synthetic_list():
    gen = synthetic.NameGenerator(seed=7)
    pairs = [gen.entry(i) for i in range(5_000)]
    entries = [e for e, _ in pairs]
    return CandidateIndex(entries), pairs


@pytest.mark.parametrize("kind", synthetic.VARIANT_KINDS)
def test_candidate_recall_on_generated_variants(synthetic_list, kind):
    index, pairs = synthetic_list
    rng = random.Random(11)
    found = total = 0
    for pos, (_entry, person) in enumerate(pairs[:1500]):
        name = synthetic.variant(rng, person, kind)
        if name is None:
            continue
        total += 1
        found += pos in index.candidate_entries(normalise_name(name))
    assert total > 50
    minimum = 0.90 if kind == "original_script" else 0.98
    assert found / total >= minimum, (kind, found, total)


def test_index_does_not_return_everything(synthetic_list):
    index, _ = synthetic_list
    cands = index.candidate_entries(normalise_name("Mohammed Ahmed al-Masri"))
    assert 0 < len(cands) <= MAX_CANDIDATE_NAMES < len(index.entries)
    assert index.candidate_entries(normalise_name("Zxq Vbnm")) == {}


def test_unlisted_travellers_rarely_alert(synthetic_list):
    index, _ = synthetic_list
    listed = {tuple(sorted(n.tokens)) for n in index.name_norm}
    gen = synthetic.NameGenerator(seed=99)  # other people from the same naming cultures
    rng = random.Random(99)
    alerts = homonyms = 0
    for i in range(2_000):
        person = gen.person()
        name = " ".join(person.parts)
        traveller = synthetic.traveller_like(rng, f"U{i}", name, None, gen, person.culture)
        if tuple(sorted(normalise_name(name).tokens)) in listed:
            homonyms += 1  # a true homonym of a listed person: may rightly be looked at
            continue
        alerts += bool(screen(index, traveller))
    # The target is at most 1 false alert per 1,000 unlisted travellers; the benchmark
    # measures it on 50,000 (docs/screening.md). Here: 2,000, with a little sampling margin.
    assert homonyms < 200
    assert alerts <= ALERT_BOUND, alerts


def entry(**kwargs) -> WatchlistEntry:
    base: dict = {
        "entry_id": "QDi.999",
        "names": [
            NameVariant("Abd al-Latif Abdallah Salih al-Kawari", NameKind.PRIMARY),
            NameVariant("Abu Ali", NameKind.WEAK_ALIAS),
        ],
        "dobs": [DateOfBirth.exact(dt.date(1973, 9, 28))],
        "nationalities": ["QAT"],
        "documents": [Document("00754833", "Passport", "QAT")],
    }
    base.update(kwargs)
    return WatchlistEntry(**base)


def score(e: WatchlistEntry, traveller: Traveller):
    index = CandidateIndex([e])
    ids = list(range(len(index.name_norm)))
    return score_entry(index, traveller, normalise_name(traveller.name), e, ids)


def test_score_monotonic_in_evidence():
    e = entry()
    name = "Abdullatif Abdalla al-Kawari"
    bare = score(e, Traveller("t", name))
    with_year = score(e, Traveller("t", name, DateOfBirth.year(1973)))
    with_date = score(e, Traveller("t", name, DateOfBirth.exact(dt.date(1973, 9, 28))))
    conflict = score(e, Traveller("t", name, DateOfBirth.exact(dt.date(1990, 1, 1))))
    with_doc = score(e, Traveller("t", name, None, None, "0075 4833"))
    assert conflict.score < bare.score <= with_year.score <= with_date.score
    assert with_doc.score > bare.score
    assert "dob:conflict" in conflict.reasons and "dob:exact_match" in with_date.reasons
    assert "document:exact" in with_doc.reasons
    assert bare.reasons[0].startswith("name:") and "(primary)" in bare.reasons[0]


def test_document_match_alone_is_reported():
    result = score(entry(), Traveller("t", "John Smith", None, None, "00754833"))
    assert result.score >= DEFAULT_THRESHOLD and "document:exact" in result.reasons


def test_weak_alias_counts_less_than_strong():
    weak = entry(names=[NameVariant("Rahim Kawari", NameKind.WEAK_ALIAS)], documents=[])
    strong = entry(names=[NameVariant("Rahim Kawari", NameKind.STRONG_ALIAS)], documents=[])
    traveller = Traveller("t", "Rahim Kawari")
    assert score(weak, traveller).score < score(strong, traveller).score
    assert "(weak_alias)" in score(weak, traveller).reasons[0]


def test_common_part_alone_does_not_match():
    e = entry(names=[NameVariant("Mohammed Rahim Kawari", NameKind.PRIMARY)])
    filler = [
        WatchlistEntry(f"F{i}", [NameVariant(f"Mohammed {w}", NameKind.PRIMARY)])
        for i, w in enumerate(["Ali", "Omar", "Said", "Karim", "Hamid", "Nasser"] * 20)
    ]
    index = CandidateIndex([e, *filler])
    assert screen(index, Traveller("t", "Mohammed")) == []
    full = Traveller("t", "Muhammad Rahim al-Kawari", DateOfBirth.year(1973))
    assert [m.entry_id for m in screen(index, full)] == ["QDi.999"]


def test_nationality_evidence():
    e = entry(documents=[])
    same = score(e, Traveller("t", "Abdullatif al-Kawari", None, "QAT"))
    other = score(e, Traveller("t", "Abdullatif al-Kawari", None, "FRA"))
    assert same.score > other.score and "nationality:mismatch" in other.reasons


def test_vectorised_name_scores_agree_with_reference(synthetic_list):
    index, pairs = synthetic_list
    rng = random.Random(5)
    for _entry, person in pairs[:200]:
        kind = rng.choice(synthetic.VARIANT_KINDS)
        name = synthetic.variant(rng, person, kind) or " ".join(person.parts)
        query = normalise_name(name)
        name_ids = index.candidates(query)
        fast = name_scores(index, query, name_ids)
        for k, name_id in enumerate(name_ids.tolist()):
            kind = index.name_kind_of(name_id)
            plain = name_similarity(index, query, index.name_norm[name_id]).score
            plain *= KIND_FACTOR[kind]
            # Same alignment as the pure-Python reference; joined-part retries can only add.
            if len(query.tokens) == index.name_len[name_id]:
                assert fast.score[k] == pytest.approx(plain, abs=1e-6), (name, name_id)
            else:
                assert fast.score[k] >= plain - 1e-6, (name, name_id)


def test_tie_ranking_keeps_the_true_entry_among_many_homonyms():
    # 600 homonyms of "Mohammed Ahmed al-Masri" (more than the candidate cap), one of them born
    # in 1971: the traveller born in 1971 must find that one, and ranks it first.
    homonyms = [
        WatchlistEntry(
            f"H{i}",
            [NameVariant("Mohammed Ahmed al-Masri", NameKind.PRIMARY)],
            dobs=[DateOfBirth.year(1900 + (i % 60))] if i != 300 else [],
        )
        for i in range(600)
    ]
    true = WatchlistEntry(
        "TRUE", [NameVariant("Mohammed Ahmed al-Masri", NameKind.PRIMARY)],
        dobs=[DateOfBirth.exact(dt.date(1971, 3, 4))], nationalities=["EGY"],
    )  # fmt: skip
    index = CandidateIndex([*homonyms[:450], true, *homonyms[450:]])
    traveller = Traveller("t", "Muhammad Ahmad al-Masri", DateOfBirth.exact(dt.date(1971, 3, 4)),
                          "EGY")  # fmt: skip
    cands = index.candidate_entries(normalise_name(traveller.name), None, 1971, nationality="EGY")
    assert 450 in cands and len(cands) <= MAX_CANDIDATE_NAMES
    assert screen(index, traveller)[0].entry_id == "TRUE"


def test_absence_of_a_date_of_birth_is_not_evidence_against():
    # Issue 12: only a conflicting fact lowers the score; a missing one does not.
    listed = entry(names=[NameVariant("Rahim Kawari", NameKind.PRIMARY)], documents=[])
    bare = score(listed, Traveller("t", "Rahim Kawari"))
    near = score(listed, Traveller("t", "Rahim Kawari", DateOfBirth.year(1974)))
    agree = score(listed, Traveller("t", "Rahim Kawari", DateOfBirth.year(1973)))
    other = score(listed, Traveller("t", "Rahim Kawari", DateOfBirth.exact(dt.date(1981, 2, 3))))
    assert bare.score >= DEFAULT_THRESHOLD and "name_alone" in bare.reasons
    assert near.score >= DEFAULT_THRESHOLD and "dob:near" in near.reasons
    assert agree.score >= DEFAULT_THRESHOLD and "name_alone" not in agree.reasons
    assert other.score < DEFAULT_THRESHOLD and "dob:conflict" in other.reasons
    assert "name_alone" not in other.reasons


def test_entities_are_screened_only_when_asked():
    person = WatchlistEntry("QDi.001", [NameVariant("Aiman al-Zawahiri", NameKind.PRIMARY)],
                            dobs=[DateOfBirth.year(1951)])  # fmt: skip
    org = WatchlistEntry(
        "QDe.004", [NameVariant("Al-Qaida", NameKind.PRIMARY),
                    NameVariant("Usama Bin Laden Organization", NameKind.STRONG_ALIAS)],
        entity_type="entity",
    )  # fmt: skip
    index = CandidateIndex([person, org])
    traveller = Traveller("t", "Usama bin Ladin", None, None, None)
    assert screen(index, traveller, 0.5) == []
    assert [m.entry_id for m in screen(index, traveller, 0.5, include_entities=True)] == ["QDe.004"]


def test_forget_queries_drops_what_was_asked_and_keeps_the_index():
    from ctnet.screening.engine import normalise

    entries = [
        WatchlistEntry(
            "W1",
            [NameVariant("Karim Benali", NameKind.PRIMARY)],
            dobs=[DateOfBirth.exact(dt.date(1988, 2, 3))],
        ),
        WatchlistEntry("W2", [NameVariant("Oleg Kuznetsov", NameKind.PRIMARY)]),
    ]
    index = CandidateIndex(entries)
    asked = Traveller("T1", "Quirinus Zebedee Oyelaran")
    listed = Traveller("T2", "Karim Benali", DateOfBirth.exact(dt.date(1988, 2, 3)))
    before = [m.entry_id for m in screen(index, listed)]
    screen(index, asked)
    assert index._alt_cache and normalise.skeleton.cache_info().currsize > 0
    index.forget_queries()
    assert index._alt_cache == {}
    assert normalise.skeleton.cache_info().currsize == 0
    # Only the memo is gone: the same traveller is found again, the same way.
    assert [m.entry_id for m in screen(index, listed)] == before == ["W1"]
