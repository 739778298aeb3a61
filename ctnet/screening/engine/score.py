"""Explainable score of one traveller against one watchlist entry, in [0, 1].

score = name evidence (best of the entry's names) + date-of-birth, nationality and document
adjustments, clipped to [0, 1]. Every contribution leaves a reason string such as
``name:0.93(strong_alias)``, ``dob:year_match``, ``document:exact`` or ``dob:conflict`` so the
official sees *why* a possible match was raised. The score is not a probability; it orders
possible matches and the threshold decides which a person looks at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ctnet.screening.engine.index import CandidateIndex
from ctnet.screening.engine.model import (
    DateOfBirth,
    DobKind,
    NameKind,
    Traveller,
    WatchlistEntry,
)
from ctnet.screening.engine.namematch import (
    BITS_FOR_FULL_NAME,
    NameEvidence,
    best_name,
    information_factor,
    name_scores,
)
from ctnet.screening.engine.normalise import NormalisedName, normalise_document, normalise_name

# Possible matches at or above this score are reported. Calibrated on the alert rates of the
# benchmark's tuning seed 2 (docs/screening.md, "Calibration"; never on the evaluation seed 1).
DEFAULT_THRESHOLD = 0.92
DOB_EXACT_BONUS = 0.12
DOB_YEAR_BONUS = 0.06
# A birth year more than DOB_TOLERANCE_YEARS (or, for "approximately", twice that) from every
# listed year is a clear conflict. Two *full* dates that differ are one too, whatever the year:
# the day tells two people of one year apart (one unrelated person in ~20,000 shares a full
# date, one in ~50 a year). A conflict lowers the score enough that a perfect name with a
# matching nationality stays below the threshold (1.04 - 0.30), but it does not veto the name
# outright: listed dates are sometimes wrong, and a document match still raises the pair.
DOB_TOLERANCE_YEARS = 1
DOB_CONFLICT_PENALTY = 0.30
# An agreeing date of birth also *identifies*: it is added to the name's bits of information
# (namematch.BITS_FOR_FULL_NAME), so "Mohammed Hussein" with the listed full date counts like a
# rare full name, while "Mohammed Hussein" alone stays a weak name. The figures are how many
# people one date tells apart: a full date ~1 in 18,000 (50 years of days) = 14 bits, a year ~1
# in 50 = 5.6 bits, a listed range of years fewer. Only corroboration adds bits; a missing date
# adds none and takes none (issue 12).
DOB_EXACT_BITS = 14.0
DOB_YEAR_BITS = 5.6
DOB_RANGE_BITS = 4.0
_DOB_BITS = {
    "dob:exact_match": DOB_EXACT_BITS,
    "dob:year_match": DOB_YEAR_BITS,
    "dob:range_match": DOB_RANGE_BITS,
}
NATIONALITY_BONUS = 0.04
NATIONALITY_PENALTY = 0.04
# A travel-document number equal to a listed one is strong evidence on its own.
DOCUMENT_BONUS = 0.30
DOCUMENT_MATCH_FLOOR = DEFAULT_THRESHOLD  # reported at the default threshold, whatever the name
# There is deliberately no penalty for what is *missing*: a traveller checked without a date of
# birth, or an entry listed without one, is judged on the name (and whatever else agrees). Only a
# fact that conflicts lowers the score (the previous "name only" penalty of 0.25 silenced a third
# of listed people; issue 12). Such a match carries the reason NAME_ALONE, so the reviewer sees
# that nothing but the name raised it.
NAME_ALONE = "name_alone"
# An exact full-name match after normalisation (every part of both names the same name, in any
# order and script: namematch.NameEvidence.full_name) with no conflicting fact is a possible
# match, however common the name (issue 12): it scores at least this. A conflicting date of
# birth or nationality, or a weak ("low quality") alias, leaves the ordinary score.
FULL_NAME_FLOOR = DEFAULT_THRESHOLD
# The same for a name with one part left out (namematch.NameEvidence.subset_name), when the
# parts that agree identify (at least SUBSET_MIN_BITS): "Omar al-Kayani" for "Omar Yusuf
# al-Kayani", not "Mohamed Abdi" for "Mohamed Yusuf Abdi". None: no floor. Tuning seed 0
# (50,000 entries, 0.92): no floor, dropped-part alert recall 0.915 and 4.4 false alerts per
# 1,000 (namesakes without a date not counted); 16 bits, 0.990 and 6.4; 20 bits, 0.950 and 4.4.
SUBSET_NAME_FLOOR: float | None = FULL_NAME_FLOOR
SUBSET_MIN_BITS = 20.0

# Score bands a reviewer reads next to the score (`band`). STRONG_MATCH_MIN: a near-exact name
# with a date of birth (or document) that agrees; below it and at or above the threshold, a
# possible match; below the threshold (shown only when a lower threshold is asked for), weak.
# Chosen on the tuning seed 2 (docs/screening.md, "Score bands").
STRONG_MATCH_MIN = 0.97
BAND_STRONG = "strong"
BAND_POSSIBLE = "possible"
BAND_WEAK = "weak"

# Date-of-birth reasons that corroborate a name.
CORROBORATING_DOB = frozenset({"dob:exact_match", "dob:year_match", "dob:range_match"})
# Most a name's full-information score (NameEvidence.coverage) can gain from DOB and
# nationality: entries whose best name is further than this below the threshold are not scored
# in full (unless a document matches).
MAX_BONUS = DOB_EXACT_BONUS + NATIONALITY_BONUS


def band(score: float, threshold: float = DEFAULT_THRESHOLD) -> str:
    """The reviewer's word for a score: "strong", "possible" (at or above `threshold`) or "weak".

    `threshold` is the deployment's default (not a lower one asked for in one call), so a match
    shown only because a caller lowered the threshold reads "weak".
    """
    if score >= max(STRONG_MATCH_MIN, threshold):
        return BAND_STRONG
    if score >= threshold:
        return BAND_POSSIBLE
    return BAND_WEAK


@dataclass(slots=True)
class Match:
    entry_id: str
    score: float
    reasons: list[str] = field(default_factory=list)


def dob_evidence(dob: DateOfBirth | None, listed: list[DateOfBirth]) -> tuple[float, str | None]:
    if dob is None or not listed or dob.year_from is None:
        return 0.0, None
    year = dob.year_from
    if dob.kind is DobKind.EXACT and any(
        d.kind is DobKind.EXACT and d.date == dob.date for d in listed
    ):
        return DOB_EXACT_BONUS, "dob:exact_match"
    for d in listed:
        if d.year_from is None or d.year_to is None:
            continue
        if d.kind is DobKind.RANGE and d.year_from <= year <= d.year_to:
            return DOB_YEAR_BONUS, "dob:range_match"
        # A year agrees when one side knows only the year (two full dates must be equal).
        one_side_year = d.kind is DobKind.YEAR or dob.kind is not DobKind.EXACT
        if one_side_year and d.kind is not DobKind.RANGE and d.year_from == year:
            return DOB_YEAR_BONUS, "dob:year_match"
    for d in listed:
        if d.year_from is None or d.year_to is None:
            continue
        if dob.date is not None and d.kind is DobKind.EXACT and d.date is not None:
            # Two full dates that differ conflict (see DOB_CONFLICT_PENALTY), unless they are
            # the same date with day and month swapped, a common clerical error.
            swapped = (dob.date.year, dob.date.day, dob.date.month)
            if (d.date.year, d.date.month, d.date.day) == swapped:
                return 0.0, "dob:near"
            continue
        slack = DOB_TOLERANCE_YEARS * (2 if d.approximate else 1)
        if d.year_from - slack <= year <= d.year_to + slack:
            return 0.0, "dob:near"
    return -DOB_CONFLICT_PENALTY, "dob:conflict"


def _nationality_evidence(traveller: Traveller, entry: WatchlistEntry) -> tuple[float, str | None]:
    if not traveller.nationality or not entry.nationalities:
        return 0.0, None
    if traveller.nationality in entry.nationalities:
        return NATIONALITY_BONUS, "nationality:match"
    return -NATIONALITY_PENALTY, "nationality:mismatch"


def _document_match(traveller: Traveller, entry: WatchlistEntry) -> bool:
    if not traveller.document or not entry.documents:
        return False
    number = normalise_document(traveller.document)
    return any(normalise_document(d.number) == number for d in entry.documents)


def combine(name: NameEvidence, traveller: Traveller, entry: WatchlistEntry) -> Match:
    """Name evidence plus DOB, nationality and document, with a reason for each term."""
    reasons = [f"name:{name.score:.2f}({name.kind.value})"]
    dob_delta, dob_reason = dob_evidence(traveller.dob, entry.dobs)
    score = name.score
    dob_bits = _DOB_BITS.get(dob_reason or "", 0.0)
    if dob_bits:
        score = max(score, name.coverage * information_factor(name.bits + dob_bits))
    nat_delta, nat_reason = _nationality_evidence(traveller, entry)
    score += dob_delta + nat_delta
    reasons += [r for r in (dob_reason, nat_reason) if r]
    document = _document_match(traveller, entry)
    conflict = dob_reason == "dob:conflict"
    if not (document or conflict or dob_reason in CORROBORATING_DOB):
        reasons.append(NAME_ALONE)
    mismatch = nat_reason == "nationality:mismatch"
    if name.kind is not NameKind.WEAK_ALIAS and not conflict and not mismatch:
        if name.full_name:
            score = max(score, FULL_NAME_FLOOR)
        elif SUBSET_NAME_FLOOR is not None and name.subset_name and name.bits >= SUBSET_MIN_BITS:
            score = max(score, SUBSET_NAME_FLOOR)
    if document:
        score = max(score + DOCUMENT_BONUS, DOCUMENT_MATCH_FLOOR)
        reasons.append("document:exact")
    return Match(entry.entry_id, round(min(1.0, max(0.0, score)), 3), reasons)


def score_entry(
    index: CandidateIndex,
    traveller: Traveller,
    query: NormalisedName,
    entry: WatchlistEntry,
    name_ids: list[int],
) -> Match:
    """Score of one entry through the reference (pure-Python) name comparison."""
    return combine(best_name(index, query, name_ids), traveller, entry)


def screen(
    index: CandidateIndex,
    traveller: Traveller,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    include_entities: bool = False,
) -> list[Match]:
    """Possible matches of one traveller at or above `threshold`, best first.

    Persons are screened against listed individuals; entities (organisations) only when
    `include_entities` is set, since an entity alias such as "Usama bin Ladin" is not a person.
    """
    return screen_query(index, traveller, normalise_name(traveller.name), threshold,
                        include_entities=include_entities)  # fmt: skip


def screen_query(
    index: CandidateIndex,
    traveller: Traveller,
    query: NormalisedName,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    include_entities: bool = False,
) -> list[Match]:
    """`screen` with the traveller's name already normalised (batch.screen_batch memoises it)."""
    dob = traveller.dob
    name_ids, positions = index.candidate_arrays(
        query, traveller.document, dob.year_from if dob else None,
        nationality=traveller.nationality, include_entities=include_entities,
        birth_date=dob.date.toordinal() if dob and dob.date else None,
    )  # fmt: skip
    if name_ids.size == 0:
        return []
    evidence = name_scores(index, query, name_ids)
    # Best name per entry without a Python object per candidate: sort by (entry, -score); the
    # first row of each entry is its best name (stable: ties keep the lower name id, the primary).
    order = np.lexsort((-evidence.score, positions))
    ordered = positions[order]
    first = np.ones(order.size, dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    top = order[first]
    # The most an agreeing date could add to each name's information (`combine`).
    dob_bits = DOB_EXACT_BITS if dob is not None and dob.year_from is not None else 0.0
    reach = np.maximum(
        evidence.score[top],
        evidence.coverage[top] * (0.5 + 0.5 * np.minimum(1.0, (evidence.bits[top] + dob_bits)
                                                         / BITS_FOR_FULL_NAME)),
    )  # fmt: skip
    keep = reach + MAX_BONUS >= threshold
    if threshold <= FULL_NAME_FLOOR:
        keep |= evidence.full_name[top]
    if SUBSET_NAME_FLOOR is not None and threshold <= SUBSET_NAME_FLOOR:
        keep |= evidence.subset_name[top] & (evidence.bits[top] >= SUBSET_MIN_BITS)
    documents = index.documents.get(normalise_document(traveller.document or ""), ())
    if documents:
        keep |= np.isin(positions[top], np.asarray(documents))
    matches = []
    for k in top[keep].tolist():
        match = combine(evidence.at(k), traveller, index.entries[int(positions[k])])
        if match.score >= threshold:
            matches.append(match)
    matches.sort(key=lambda m: (-m.score, m.entry_id))
    return matches
