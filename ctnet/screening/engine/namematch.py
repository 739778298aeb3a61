"""Name evidence: rarity-weighted alignment of a traveller's name parts with a listed name's.

Two implementations of one definition: `name_similarity` (pure Python, one pair of names; the
reference, used for joined-part variants and for names longer than the token matrix) and
`name_scores` (numpy + rapidfuzz `cdist`, all candidate names of a traveller at once; the hot
path). Both align parts greedily by similarity, weight each part by its rarity in bits, penalise
parts present on one side only, and scale by how much the matched parts identify.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from itertools import product

import numpy as np
from rapidfuzz import fuzz, process

from ctnet.screening.engine.index import KINDS, MAX_NAME_TOKENS, PRIOR_NAMES, CandidateIndex
from ctnet.screening.engine.model import NameKind
from ctnet.screening.engine.normalise import NormalisedName, skeleton

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
# ...and less still when *every* part of the traveller's name is found in the listed name (in
# any order): a document or a hand-typed check often leaves out a nasab link, a patronymic or a
# middle name that the list records ("Omar al-Kayani" for "Omar Yusuf al-Kayani"). A subset is
# what a shortened name looks like; an extra unmatched traveller part, which says "another
# person", keeps the full penalties above.
UNMATCHED_LISTED_PART_SUBSET = 0.1
# Bits of rarity needed for a name to count fully. "Mohammed" alone carries a few bits and so can
# reach only about half of the name score; two rare parts reach it.
BITS_FOR_FULL_NAME = 24.0
# How rare a listed part is. The index counts parts by consonant skeleton, which merges the
# spellings of one name (Muhammad/Mohammed/Mohamed: right) but also unrelated names with a short
# skeleton (Yuzaydh/Zayd/Zaid, Mutattithi/Mutti all "zd", "mt"), so a rare part with a short
# skeleton looks common; counting by spelling alone does the opposite (each spelling of Muhammad
# looks rarer than the name is). A part's rarity is the mean of the two in bits (the geometric
# mean of the two frequencies), so neither error dominates.
SPELLING_RARITY_SHARE = 0.5
KIND_FACTOR = {
    NameKind.PRIMARY: 1.0,
    NameKind.STRONG_ALIAS: 1.0,
    NameKind.ORIGINAL_SCRIPT: 1.0,
    # Weak ("Low quality") aliases are nicknames or partial names that the UN warns may
    # match many people.
    NameKind.WEAK_ALIAS: 0.85,
}
_KIND_FACTORS = np.asarray([KIND_FACTOR[k] for k in KINDS])
# Equal-skeleton similarity by skeleton length (index 0: '#' fallback skeletons never count).
_SKELETON_FLOOR = np.asarray(
    [0.0] + [SKELETON_SIMILARITY.get(n, SKELETON_SIMILARITY_LONG) for n in range(1, 64)]
)
# A name written in a script without short vowels (Arabic: "محمد" -> "mhmd") is far from its
# Latin spellings letter by letter but close on consonants: its parts are also compared by the
# similarity of their skeletons, times this factor (an equal skeleton counts as much as
# SKELETON_SIMILARITY_LONG).
ABJAD_SKELETON_FACTOR = 0.9
# Candidates below this are tried again with joined adjacent parts ("Rahmat Allah").
JOIN_RETRY_BELOW = 0.9
# Two parts are *the same name after normalisation* (`equivalent_parts`) when their Latin forms
# are equal, or their consonant skeletons are equal, of at least EQUIVALENT_MIN_SKELETON
# consonants, and the spellings at least EQUIVALENT_MIN_RATIO similar: "Muhammad"/"Mohamed"
# (ratio 0.71), "Khalid"/"Khaled", "Hussain"/"Hussein" are; "Mahmoud"/"Mohammed" (0.57), one
# skeleton m-h-m-d, are not, nor are short skeletons, which many unrelated names share (w and y
# count as vowels: "Iwan", "Wian" and "Ninowan" are all "n"; "Guno"/"Guni" both "gn"). A part
# written in an abjad (Arabic "mhmd", no short vowels) is compared with the Latin spelling on
# its skeleton: two consonants and the looser SKELETON_MIN_RATIO suffice ("ywsf"/"Yusuf").
# A name whose every part, on both sides, is the same name is an exact full-name match
# (NameEvidence.full_name; score.FULL_NAME_FLOOR). A typo is never equivalent, unless it only
# changed a vowel of a long skeleton ("Mohmmed"), which is what transliterations differ by.
EQUIVALENT_MIN_RATIO = 0.7
EQUIVALENT_MIN_SKELETON = 3
EQUIVALENT_MIN_SKELETON_ABJAD = 2


@dataclass(frozen=True, slots=True)
class NameEvidence:
    score: float
    kind: NameKind = NameKind.PRIMARY
    parts: int = 0  # matched name parts
    bits: float = 0.0  # rarity (bits) of the matched listed parts, times their similarity
    # The score the name would have if it identified fully (bits >= BITS_FOR_FULL_NAME): how
    # well the parts agree, without the rarity term, so that score.combine can add the
    # information of an agreeing date of birth (score.DOB_*_BITS) to the name's.
    coverage: float = 0.0
    # Every part of both names is aligned with an equivalent part (EQUIVALENT_MIN_RATIO): the
    # same full name after normalisation, in any order and any script.
    full_name: bool = False
    # Every part of the traveller's name (at least two) is equivalent to a part of the listed
    # name, which has one part more: a name with its middle part left out ("Omar al-Kayani"
    # for "Omar Yusuf al-Kayani"; score.SUBSET_NAME_FLOOR).
    subset_name: bool = False


@dataclass(slots=True)
class NameScores:
    """Evidence for each candidate name of one traveller (parallel arrays)."""

    score: np.ndarray
    parts: np.ndarray
    bits: np.ndarray
    kinds: np.ndarray
    coverage: np.ndarray
    full_name: np.ndarray
    subset_name: np.ndarray

    def at(self, k: int) -> NameEvidence:
        return NameEvidence(
            float(self.score[k]), KINDS[int(self.kinds[k])], int(self.parts[k]),
            float(self.bits[k]), float(self.coverage[k]), bool(self.full_name[k]),
            bool(self.subset_name[k]),
        )  # fmt: skip


def equivalent_parts(a: str, b: str, skel_a: str, skel_b: str, abjad: bool = False) -> bool:
    """Are two name parts the same name after normalisation (EQUIVALENT_MIN_RATIO)?"""
    if a == b:
        return True
    shortest = EQUIVALENT_MIN_SKELETON_ABJAD if abjad else EQUIVALENT_MIN_SKELETON
    ratio = SKELETON_MIN_RATIO if abjad else EQUIVALENT_MIN_RATIO
    return (
        skel_a == skel_b and not skel_a.startswith("#") and len(skel_a) >= shortest
        and fuzz.ratio(a, b) >= 100 * ratio - 1e-9
    )  # fmt: skip


def token_similarity(a: str, b: str, skel_a: str, skel_b: str, abjad: bool = False) -> float:
    sim = fuzz.ratio(a, b) / 100.0
    if skel_a == skel_b and sim >= SKELETON_MIN_RATIO and not skel_a.startswith("#"):
        sim = max(sim, SKELETON_SIMILARITY.get(len(skel_a), SKELETON_SIMILARITY_LONG))
    if abjad and not skel_a.startswith("#") and not skel_b.startswith("#"):
        sim = max(sim, ABJAD_SKELETON_FACTOR * fuzz.ratio(skel_a, skel_b) / 100.0)
    return sim


def information_factor(bits: float) -> float:
    """How much of a name's agreement counts, by how much the agreeing evidence identifies."""
    return 0.5 + 0.5 * min(1.0, bits / BITS_FOR_FULL_NAME)


def _finish(
    matched_bits: float,
    matched_weight: float,
    unmatched: float,
    parts: int,
    full_name: bool = False,
    subset_name: bool = False,
) -> NameEvidence:
    if not matched_weight:
        return NameEvidence(0.0)
    coverage = matched_bits / (matched_weight + unmatched)
    return NameEvidence(
        coverage * information_factor(matched_bits), parts=parts, bits=matched_bits,
        coverage=coverage, full_name=full_name, subset_name=subset_name,
    )  # fmt: skip


# Per token matrix (shared by an index and its `restricted_to` views): (the matrix, weakly;
# bits per token id; bits per token string).
_PART_BITS: dict[int, tuple[weakref.ref[np.ndarray], np.ndarray, dict[str, float]]] = {}


def _part_bits(index: CandidateIndex) -> tuple[np.ndarray, dict[str, float]]:
    key = id(index.name_tokens)
    cached = _PART_BITS.get(key)
    if cached is not None and cached[0]() is index.name_tokens:
        return cached[1], cached[2]
    toks = index.name_tokens[: index.name_count]
    skel = np.asarray(index.token_weight_arr, dtype=np.float64)
    df = np.bincount(toks[toks >= 0].ravel(), minlength=skel.size)[: skel.size]
    spelling = np.log2((index.name_count + PRIOR_NAMES) / (df + 1.0))
    bits = (1 - SPELLING_RARITY_SHARE) * skel + SPELLING_RARITY_SHARE * spelling
    by_token = dict(zip(index.token_strings, bits.tolist(), strict=True))
    for dead in [k for k, v in _PART_BITS.items() if v[0]() is None]:
        del _PART_BITS[dead]
    _PART_BITS[key] = (weakref.ref(index.name_tokens), bits, by_token)
    return bits, by_token


def listed_part_bits(index: CandidateIndex) -> np.ndarray:
    """Rarity (bits) per listed token id: skeleton and spelling counts blended
    (SPELLING_RARITY_SHARE); computed once per index from its token matrix."""
    return _part_bits(index)[0]


def _listed_weights(index: CandidateIndex, listed: NormalisedName) -> list[float]:
    by_token = _part_bits(index)[1]
    return [
        by_token[t] if t in by_token else index.token_weight(k)
        for t, k in zip(listed.tokens, listed.skeletons, strict=True)
    ]


def name_similarity(
    index: CandidateIndex, query: NormalisedName, listed: NormalisedName
) -> NameEvidence:
    """Rarity-weighted token alignment of two names, times how much the matched parts identify."""
    q_weights = [index.token_weight(s) for s in query.skeletons]
    l_weights = _listed_weights(index, listed)
    pairs = []
    for i, j in product(range(len(query.tokens)), range(len(listed.tokens))):
        sim = token_similarity(
            query.tokens[i], listed.tokens[j], query.skeletons[i], listed.skeletons[j],
            query.abjad,
        )  # fmt: skip
        if sim >= TOKEN_MATCH_MIN:
            pairs.append((sim, i, j))
    # Best first; ties by traveller part, then listed part (as numpy's argmax in `_align`).
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_q: set[int] = set()
    used_l: set[int] = set()
    matched_bits = matched_weight = 0.0
    same = 0
    for sim, i, j in pairs:
        if i in used_q or j in used_l:
            continue
        used_q.add(i)
        used_l.add(j)
        same += equivalent_parts(
            query.tokens[i], listed.tokens[j], query.skeletons[i], listed.skeletons[j],
            query.abjad,
        )  # fmt: skip
        # The listed part's rarity is used: a typo in the traveller's part would look "rare".
        matched_bits += l_weights[j] * sim
        matched_weight += l_weights[j]
    listed_share = (
        UNMATCHED_LISTED_PART_SUBSET if len(used_q) == len(query.tokens) else UNMATCHED_LISTED_PART
    )
    unmatched = UNMATCHED_TRAVELLER_PART * sum(
        min(w, max(l_weights)) for i, w in enumerate(q_weights) if i not in used_q
    ) + listed_share * sum(w for j, w in enumerate(l_weights) if j not in used_l)
    full = same == len(query.tokens) == len(listed.tokens)
    subset = same == len(query.tokens) >= 2 and len(listed.tokens) == same + 1
    return _finish(matched_bits, matched_weight, unmatched, len(used_q), full, subset)


def _joined_variants(name: NormalisedName) -> list[NormalisedName]:
    """The name with one pair of adjacent parts joined ("Rahmat Allah" -> "Rahmatallah")."""
    out = []
    for i in range(len(name.tokens) - 1):
        joined = name.tokens[i] + name.tokens[i + 1]
        toks = (*name.tokens[:i], joined, *name.tokens[i + 2 :])
        skels = (*name.skeletons[:i], skeleton(joined), *name.skeletons[i + 2 :])
        out.append(NormalisedName(toks, skels, name.abjad))
    return out


def one_name(index: CandidateIndex, query: NormalisedName, name_id: int) -> NameEvidence:
    """Reference evidence for one listed name, trying joined parts when the counts differ."""
    listed = index.name_norm[name_id]
    best = plain = name_similarity(index, query, listed)
    if best.score < JOIN_RETRY_BELOW and len(query.tokens) > len(listed.tokens):
        tries = [name_similarity(index, v, listed) for v in _joined_variants(query)]
    elif best.score < JOIN_RETRY_BELOW and len(listed.tokens) > len(query.tokens):
        tries = [name_similarity(index, query, v) for v in _joined_variants(listed)]
    else:
        tries = []
    best = max([best, *tries], key=lambda e: e.score)
    kind = index.name_kind_of(name_id)
    factor = KIND_FACTOR[kind]
    return NameEvidence(
        best.score * factor, kind, best.parts, best.bits, best.coverage * factor,
        best.full_name or plain.full_name, best.subset_name or plain.subset_name,
    )  # fmt: skip


def best_name(index: CandidateIndex, query: NormalisedName, name_ids: list[int]) -> NameEvidence:
    return max((one_name(index, query, n) for n in name_ids), key=lambda e: e.score,
               default=NameEvidence(0.0))  # fmt: skip


def _token_sims(
    index: CandidateIndex, query: NormalisedName, uniq: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(similarity, equivalent?) (Q x U) of the traveller's parts with the distinct listed
    parts (`token_similarity`, `equivalent_parts`)."""
    strings = index.token_strings_np[uniq].tolist()
    sims = process.cdist(query.tokens, strings, scorer=fuzz.ratio, dtype=np.float64) / 100.0
    q_skel = np.asarray([index.skel_ids.get(s, -1) for s in query.skeletons], dtype=np.int32)
    skel_equal = q_skel[:, None] == index.token_skel[uniq][None, :]
    same = skel_equal & (sims >= SKELETON_MIN_RATIO)
    floor = _SKELETON_FLOOR[index.token_skel_len[uniq]][None, :]
    shortest = EQUIVALENT_MIN_SKELETON_ABJAD if query.abjad else EQUIVALENT_MIN_SKELETON
    ratio = SKELETON_MIN_RATIO if query.abjad else EQUIVALENT_MIN_RATIO
    equivalent = (sims >= 1.0) | (
        skel_equal & (index.token_skel_len[uniq] >= shortest)[None, :] & (sims >= ratio - 1e-9)
    )
    sims = np.where(same, np.maximum(sims, floor), sims)
    if query.abjad:
        skels = [skeleton(t) for t in strings]
        by_skel = process.cdist(query.skeletons, skels, scorer=fuzz.ratio, dtype=np.float64)
        usable = (
            np.asarray([not k.startswith("#") for k in skels])[None, :]
            & np.asarray([not k.startswith("#") for k in query.skeletons])[:, None]
        )
        sims = np.maximum(sims, np.where(usable, ABJAD_SKELETON_FACTOR * by_skel / 100.0, 0.0))
    sims[sims < TOKEN_MATCH_MIN] = 0.0
    return sims, equivalent & (sims > 0)


def _align(sims: np.ndarray, weights: np.ndarray, equivalent: np.ndarray) -> tuple[np.ndarray, ...]:
    """Greedy best-first alignment per candidate on a (C, Q, L) similarity array, vectorised;
    also counts the aligned pairs that are equivalent parts."""
    c, q, l_ = sims.shape
    rows = np.arange(c)
    bits = np.zeros(c)
    weight = np.zeros(c)
    same = np.zeros(c, dtype=np.int64)
    flat_equivalent = equivalent.reshape(c, -1)
    used_q = np.zeros((c, q), dtype=bool)
    used_l = np.zeros((c, l_), dtype=bool)
    for _ in range(min(q, l_)):
        flat = sims.reshape(c, -1)
        best = flat.argmax(axis=1)
        val = flat[rows, best]
        live = np.nonzero(val > 0)[0]
        if live.size == 0:
            break
        i, j = best[live] // l_, best[live] % l_
        w = weights[live, j]
        bits[live] += w * val[live]
        weight[live] += w
        same[live] += flat_equivalent[live, best[live]]
        used_q[live, i] = True
        used_l[live, j] = True
        sims[live, i, :] = 0.0
        sims[live, :, j] = 0.0
    return bits, weight, used_q, used_l, same


def name_scores(index: CandidateIndex, query: NormalisedName, name_ids: np.ndarray) -> NameScores:
    """Evidence of every candidate name at once; same definition as `one_name`."""
    kinds = index.name_kind_np[name_ids]
    q = len(query.tokens)
    if q == 0 or q > MAX_NAME_TOKENS or name_ids.size == 0:
        return _reference_scores(index, query, name_ids, kinds)
    # (C, L), -1 = padding; L trimmed to the longest candidate, since every later array is
    # (C, Q, L) and most names have 2-4 parts of the matrix's MAX_NAME_TOKENS.
    width = min(MAX_NAME_TOKENS, int(index.name_len[name_ids].max()))
    toks = index.name_tokens[name_ids, :width]
    valid = toks >= 0
    uniq, inverse = np.unique(toks[valid], return_inverse=True)
    token_sims, token_equivalent = _token_sims(index, query, uniq)
    sims = np.zeros((q, *toks.shape))
    sims[:, valid] = token_sims[:, inverse]
    sims = np.ascontiguousarray(sims.transpose(1, 0, 2))
    equivalent = np.zeros((q, *toks.shape), dtype=bool)
    equivalent[:, valid] = token_equivalent[:, inverse]
    equivalent = np.ascontiguousarray(equivalent.transpose(1, 0, 2))
    l_weights = np.zeros(toks.shape)
    l_weights[valid] = listed_part_bits(index)[toks[valid]]
    q_weights = np.asarray([index.token_weight(s) for s in query.skeletons])
    bits, weight, used_q, used_l, same = _align(sims, l_weights, equivalent)
    full_name = (same == q) & (index.name_len[name_ids] == q)
    subset_name = (same == q) & (q >= 2) & (index.name_len[name_ids] == q + 1)
    capped_q = np.minimum(q_weights[None, :], l_weights.max(axis=1)[:, None])
    unmatched = UNMATCHED_TRAVELLER_PART * (capped_q * ~used_q).sum(axis=1)
    listed_share = np.where(used_q.all(axis=1), UNMATCHED_LISTED_PART_SUBSET, UNMATCHED_LISTED_PART)
    unmatched += listed_share * (l_weights * (valid & ~used_l)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = np.where(weight > 0, bits / (weight + unmatched), 0.0)
    score = coverage * (0.5 + 0.5 * np.minimum(1.0, bits / BITS_FOR_FULL_NAME))
    factors = _KIND_FACTORS[kinds]
    result = NameScores(
        score * factors, used_q.sum(axis=1), bits, kinds, coverage * factors, full_name,
        subset_name,
    )  # fmt: skip
    _retry_joins(index, query, name_ids, result, used_q.sum(axis=1) < q)
    return result


def _retry_joins(
    index: CandidateIndex,
    query: NormalisedName,
    name_ids: np.ndarray,
    result: NameScores,
    incomplete: np.ndarray,
) -> None:
    """Reference scoring for the few names where joining adjacent parts could help.

    Joining matters only when the part counts differ, some traveller part is unmatched and a
    joined pair of adjacent parts on one side resembles a part on the other ("Rahmatullah" vs
    "Rahmat Allah"); the test is one cdist per side, the rest keep their vectorised score.
    """
    lengths = index.name_len[name_ids]
    q = len(query.tokens)
    retry = (result.score < JOIN_RETRY_BELOW) & (lengths != q) & incomplete
    if not retry.any():
        return
    subset = np.nonzero(retry)[0]
    resembles = _join_resembles(index, query, name_ids[subset], lengths[subset])
    subset = subset[resembles | (lengths[subset] > MAX_NAME_TOKENS)]
    for k in subset.tolist():
        evidence = one_name(index, query, int(name_ids[k]))
        if evidence.score > result.score[k]:
            result.score[k] = evidence.score
            result.parts[k] = evidence.parts
            result.bits[k] = evidence.bits
            result.coverage[k] = evidence.coverage
        result.full_name[k] |= evidence.full_name
        result.subset_name[k] |= evidence.subset_name


def _better_joined(
    joined: list[str], left: list[str], right: list[str], parts: list[str], abjad: bool = False
) -> np.ndarray:
    """(joins x parts) bool: the join resembles the part more than either of its halves does.

    For a name written in an abjad the spellings are also compared on their skeletons: Arabic
    script writes "Matiullah" and "Nasiruddin" as two words ("mty" + "lh", "nsyr" + "dyn"), far
    from the Latin compound letter by letter, equal on consonants."""
    cutoff = 100 * TOKEN_MATCH_MIN
    sim = process.cdist(joined, parts, scorer=fuzz.ratio, score_cutoff=cutoff)
    halves = np.maximum(
        process.cdist(left, parts, scorer=fuzz.ratio),
        process.cdist(right, parts, scorer=fuzz.ratio),
    )
    better = (sim > 0) & (sim > halves)
    if abjad:
        better |= _better_joined(
            [skeleton(t) for t in joined],
            [skeleton(t) for t in left],
            [skeleton(t) for t in right],
            [skeleton(t) for t in parts],
        )
    return np.asarray(better)


def _length_compatible(lengths: np.ndarray, others: list[int]) -> np.ndarray:
    """Can a string of each length reach ratio TOKEN_MATCH_MIN with one of `others` lengths?
    (ratio <= 2 min / sum): a cheap filter before building strings."""
    a = lengths[:, None].astype(np.float64)
    b = np.asarray(others, dtype=np.float64)[None, :]
    return np.asarray((2 * np.minimum(a, b) / (a + b) >= TOKEN_MATCH_MIN).any(axis=1))


def _join_resembles(
    index: CandidateIndex, query: NormalisedName, name_ids: np.ndarray, lengths: np.ndarray
) -> np.ndarray:
    """Per candidate: is a join of two adjacent parts (either side) closer to a part than its
    halves are ("rahmat"+"alah" ~ "rahmatulah")?"""
    toks = index.name_tokens[name_ids]
    flags = np.zeros(name_ids.size, dtype=bool)
    q = len(query.tokens)
    longer_query = lengths < q
    if longer_query.any():
        left, right = list(query.tokens[:-1]), list(query.tokens[1:])
        joins = [a + b for a, b in zip(left, right, strict=True)]
        valid = toks[longer_query] >= 0
        uniq, inverse = np.unique(toks[longer_query][valid], return_inverse=True)
        hit = _length_compatible(index.token_len[uniq], [len(j) for j in joins])
        if hit.any():
            strings = index.token_strings_np[uniq[hit]].tolist()
            hit[hit] = _better_joined(joins, left, right, strings, query.abjad).any(axis=0)
        per_token = np.zeros(valid.shape, dtype=bool)
        per_token[valid] = hit[inverse]
        flags[longer_query] = per_token.any(axis=1)
    longer_listed = (lengths > q) & (lengths <= MAX_NAME_TOKENS)
    if longer_listed.any():
        lefts, rights = toks[longer_listed, :-1], toks[longer_listed, 1:]
        valid = rights >= 0
        pairs = (lefts[valid].astype(np.int64) << 32) | rights[valid]
        uniq, inverse = np.unique(pairs, return_inverse=True)
        joined_len = index.token_len[uniq >> 32] + index.token_len[uniq & 0xFFFFFFFF]
        hit = _length_compatible(joined_len, [len(t) for t in query.tokens])
        if hit.any():
            left = index.token_strings_np[uniq[hit] >> 32].tolist()
            right = index.token_strings_np[uniq[hit] & 0xFFFFFFFF].tolist()
            joins = [a + b for a, b in zip(left, right, strict=True)]
            hit[hit] = _better_joined(joins, left, right, list(query.tokens), query.abjad).any(
                axis=1
            )
        per_pair = np.zeros(valid.shape, dtype=bool)
        per_pair[valid] = hit[inverse]
        flags[longer_listed] = per_pair.any(axis=1)
    return flags


def _reference_scores(
    index: CandidateIndex, query: NormalisedName, name_ids: np.ndarray, kinds: np.ndarray
) -> NameScores:
    evidence = [one_name(index, query, int(n)) for n in name_ids.tolist()]
    return NameScores(
        np.asarray([e.score for e in evidence], dtype=np.float64),
        np.asarray([e.parts for e in evidence], dtype=np.int64),
        np.asarray([e.bits for e in evidence], dtype=np.float64),
        kinds,
        np.asarray([e.coverage for e in evidence], dtype=np.float64),
        np.asarray([e.full_name for e in evidence], dtype=bool),
        np.asarray([e.subset_name for e in evidence], dtype=bool),
    )
