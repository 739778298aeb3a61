"""Explainable score of one traveller against one watchlist entry, in [0, 1].

score = name evidence (best of the entry's names) + date-of-birth, nationality and document
adjustments, clipped to [0, 1]. Every contribution leaves a reason string such as
``name:0.93(strong_alias)``, ``dob:year_match``, ``document:exact`` or ``dob:conflict`` so the
official sees *why* a possible match was raised. The score is not a probability; it orders
possible matches and the threshold decides which a person looks at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product

from rapidfuzz import fuzz

from ctnet.screening.engine.index import CandidateIndex
from ctnet.screening.engine.model import DateOfBirth, DobKind, NameKind, Traveller, WatchlistEntry
from ctnet.screening.engine.normalise import (
    NormalisedName,
    normalise_document,
    normalise_name,
    skeleton,
)

# Possible matches at or above this score are reported. Chosen on the benchmark (docs/screening.md)
# so that unlisted travellers raise at most about 1 alert per 1,000 while typo and
# transliteration variants of listed names stay above it.
DEFAULT_THRESHOLD = 0.80
# Two name parts with at least this similarity are considered the same part.
TOKEN_MATCH_MIN = 0.72
# Equal skeletons (same consonants, e.g. "Yusuf"/"Yousef"/Arabic "ywsf") count as this similar,
# less for very short skeletons which many unrelated parts share.
SKELETON_SIMILARITY = {1: 0.80, 2: 0.86}
SKELETON_SIMILARITY_LONG = 0.90
# ...but only when the spellings are not too far apart: "Mahmoud" and "Mohammed" share the
# skeleton m-h-m-d and are different names (Latin ratio 0.57, vs 0.71 for Muhammad/Mohamed).
SKELETON_MIN_RATIO = 0.6
# Penalty weights for parts present on only one side: a traveller's extra part (0.5) is more
# suspicious than a listed part the traveller lacks (0.25): lists record every known part of a
# name, passports often fewer.
UNMATCHED_TRAVELLER_PART = 0.5
UNMATCHED_LISTED_PART = 0.25
# Bits of rarity needed for a name to count fully. "Mohammed" alone carries a few bits and so can
# reach only about half of the name score; two rare parts reach it.
BITS_FOR_FULL_NAME = 24.0
KIND_FACTOR = {
    NameKind.PRIMARY: 1.0,
    NameKind.STRONG_ALIAS: 1.0,
    NameKind.ORIGINAL_SCRIPT: 1.0,
    # Weak ("Low quality") aliases are nicknames or partial names that the UN warns may
    # match many people.
    NameKind.WEAK_ALIAS: 0.85,
}
DOB_EXACT_BONUS = 0.12
DOB_YEAR_BONUS = 0.06
# A birth year more than DOB_TOLERANCE_YEARS (or, for "approximately", twice that) from every
# listed date is a clear conflict: it lowers the score a lot but does not veto the name, since
# listed dates are sometimes wrong or false.
DOB_TOLERANCE_YEARS = 1
DOB_CONFLICT_PENALTY = 0.30
NATIONALITY_BONUS = 0.04
NATIONALITY_PENALTY = 0.04
# A travel-document number equal to a listed one is strong evidence on its own.
DOCUMENT_BONUS = 0.30
DOCUMENT_MATCH_FLOOR = 0.85


@dataclass(slots=True)
class Match:
    entry_id: str
    score: float
    reasons: list[str] = field(default_factory=list)


def token_similarity(a: str, b: str, skel_a: str, skel_b: str) -> float:
    sim = fuzz.ratio(a, b) / 100.0
    if skel_a == skel_b and sim >= SKELETON_MIN_RATIO and not skel_a.startswith("#"):
        sim = max(sim, SKELETON_SIMILARITY.get(len(skel_a), SKELETON_SIMILARITY_LONG))
    return sim


def name_similarity(index: CandidateIndex, query: NormalisedName, listed: NormalisedName) -> float:
    """Rarity-weighted token alignment of two names, times how much the matched parts identify."""
    q_weights = [index.token_weight(s) for s in query.skeletons]
    l_weights = [index.token_weight(s) for s in listed.skeletons]
    pairs = []
    for i, j in product(range(len(query.tokens)), range(len(listed.tokens))):
        sim = token_similarity(
            query.tokens[i], listed.tokens[j], query.skeletons[i], listed.skeletons[j]
        )
        if sim >= TOKEN_MATCH_MIN:
            pairs.append((sim, i, j))
    pairs.sort(reverse=True)
    used_q: set[int] = set()
    used_l: set[int] = set()
    matched_bits = matched_weight = 0.0
    for sim, i, j in pairs:
        if i in used_q or j in used_l:
            continue
        used_q.add(i)
        used_l.add(j)
        # The listed part's rarity is used: a typo in the traveller's part would look "rare".
        matched_bits += l_weights[j] * sim
        matched_weight += l_weights[j]
    if not matched_weight:
        return 0.0
    unmatched = UNMATCHED_TRAVELLER_PART * sum(
        min(w, max(l_weights)) for i, w in enumerate(q_weights) if i not in used_q
    ) + UNMATCHED_LISTED_PART * sum(w for j, w in enumerate(l_weights) if j not in used_l)
    coverage = matched_bits / (matched_weight + unmatched)
    information = min(1.0, matched_bits / BITS_FOR_FULL_NAME)
    return coverage * (0.5 + 0.5 * information)


def _joined_variants(name: NormalisedName) -> list[NormalisedName]:
    """The name with one pair of adjacent parts joined ("Rahmat Allah" -> "Rahmatallah")."""
    out = []
    for i in range(len(name.tokens) - 1):
        joined = name.tokens[i] + name.tokens[i + 1]
        toks = (*name.tokens[:i], joined, *name.tokens[i + 2 :])
        skels = (*name.skeletons[:i], skeleton(joined), *name.skeletons[i + 2 :])
        out.append(NormalisedName(toks, skels))
    return out


def best_name(
    index: CandidateIndex, query: NormalisedName, name_ids: list[int]
) -> tuple[float, NameKind]:
    best, best_kind = 0.0, NameKind.PRIMARY
    for name_id in name_ids:
        listed = index.name_norm[name_id]
        kind = index.name_kind_of(name_id)
        sim = name_similarity(index, query, listed)
        if sim < 0.9 and len(query.tokens) > len(listed.tokens):
            sim = max([sim] + [name_similarity(index, v, listed) for v in _joined_variants(query)])
        elif sim < 0.9 and len(listed.tokens) > len(query.tokens):
            sim = max([sim] + [name_similarity(index, query, v) for v in _joined_variants(listed)])
        sim *= KIND_FACTOR[kind]
        if sim > best:
            best, best_kind = sim, kind
    return best, best_kind


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
        if d.kind is not DobKind.RANGE and d.year_from == year:
            return DOB_YEAR_BONUS, "dob:year_match"
    for d in listed:
        if d.year_from is None or d.year_to is None:
            continue
        slack = DOB_TOLERANCE_YEARS * (2 if d.approximate else 1)
        if d.year_from - slack <= year <= d.year_to + slack:
            return 0.0, "dob:near"
    return -DOB_CONFLICT_PENALTY, "dob:conflict"


def score_entry(
    index: CandidateIndex,
    traveller: Traveller,
    query: NormalisedName,
    entry: WatchlistEntry,
    name_ids: list[int],
) -> Match:
    name_score, kind = best_name(index, query, name_ids)
    reasons = [f"name:{name_score:.2f}({kind.value})"]
    score = name_score
    delta, reason = dob_evidence(traveller.dob, entry.dobs)
    score += delta
    if reason:
        reasons.append(reason)
    if traveller.nationality and entry.nationalities:
        if traveller.nationality in entry.nationalities:
            score += NATIONALITY_BONUS
            reasons.append("nationality:match")
        else:
            score -= NATIONALITY_PENALTY
            reasons.append("nationality:mismatch")
    if traveller.document and entry.documents:
        number = normalise_document(traveller.document)
        if any(normalise_document(d.number) == number for d in entry.documents):
            score = max(score + DOCUMENT_BONUS, DOCUMENT_MATCH_FLOOR)
            reasons.append("document:exact")
    return Match(entry.entry_id, round(min(1.0, max(0.0, score)), 3), reasons)


def screen(
    index: CandidateIndex, traveller: Traveller, threshold: float = DEFAULT_THRESHOLD
) -> list[Match]:
    """Possible matches of one traveller at or above `threshold`, best first."""
    query = normalise_name(traveller.name)
    matches = []
    year = traveller.dob.year_from if traveller.dob else None
    for pos, name_ids in index.candidate_entries(query, traveller.document, year).items():
        match = score_entry(index, traveller, query, index.entries[pos], name_ids)
        if match.score >= threshold:
            matches.append(match)
    matches.sort(key=lambda m: (-m.score, m.entry_id))
    return matches
