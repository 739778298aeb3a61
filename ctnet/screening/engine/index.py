"""Candidate index: find the few watchlist names worth scoring, without a full scan.

Blocking key = an unordered *pair* of token skeletons from the same name (a one-token name is
indexed under the pair (t, t)). Two shared name parts are far more selective than one ("Mohammed"
alone is in a large share of some lists; "Mohammed"+"Kawari" is not), and pairs are
order-free, so swapped and dropped name parts still meet. Typos are reached by expanding each
traveller skeleton to the watchlist skeletons at edit distance 1 (a deletion-neighbourhood
dictionary over the skeleton vocabulary, as in SymSpell); at most one side of a pair may be
such an approximation, which keeps the number of looked-up keys small.

Postings are two numpy arrays (sorted uint64 keys, int32 name ids) instead of a dict of lists:
about 12 bytes per posting, so 1M entries with aliases fit in a few hundred MB, and a batch of
travellers is looked up with a single vectorised searchsorted.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from ctnet.screening.engine.model import NameKind, WatchlistEntry
from ctnet.screening.engine.normalise import (
    NormalisedName,
    normalise_document,
    normalise_name,
    skeleton,
)

# At most this many names are scored per traveller: the ones sharing the most (rarest) pairs.
MAX_CANDIDATE_NAMES = 64
# A pair key with more postings than this is too common to generate candidates on its own
# (e.g. "Mohammed Ahmed" in a list of millions); the traveller's other pairs still do.
MAX_POSTINGS_PER_KEY = 20_000
# Names with more distinct tokens than this contribute pairs of their first tokens only;
# entity names such as "Propaganda and Agitation Department of the ..." would otherwise add
# quadratically many keys.
MAX_TOKENS_PAIRED = 6
# Skeletons shorter than this are not expanded to edit-distance-1 neighbours: "l" (Ali) or
# "mr" (Omar) have dozens of neighbours and would flood the candidate set.
MIN_SKELETON_TO_EXPAND = 3
# Latin forms shorter than this are not expanded either ("ali", "omar" have many neighbours).
MIN_LATIN_TO_EXPAND = 3
# Candidate ranking: names whose entry's birth years agree with the traveller's (+-1 year) count
# DOB_RANK_AGREE times more, conflicting ones DOB_RANK_CONFLICT times, so that among many
# homonyms ("Mohammed al-Masri") the cut at MAX_CANDIDATE_NAMES keeps the plausible ones.
DOB_RANK_AGREE = 4.0
DOB_RANK_CONFLICT = 0.25
# Notional number of other names in the world, added to the list size when turning a name part's
# frequency into bits of evidence: without it, every part of a 1,000-entry list looks unique.
PRIOR_NAMES = 100_000
_KIND_CODES = {k: i for i, k in enumerate(NameKind)}
KINDS = list(NameKind)


@dataclass(slots=True)
class QueryStats:
    keys: int = 0
    skipped_common_keys: int = 0


def _deletions(s: str) -> set[str]:
    return {s[:i] + s[i + 1 :] for i in range(len(s))}


class CandidateIndex:
    """Immutable once built; build offline and swap in (like a threatexchange index)."""

    def __init__(self, entries: list[WatchlistEntry]) -> None:
        self.entries = entries
        self.name_entry = array("i")  # name id -> entry position
        self.name_kind = array("b")
        self.name_norm: list[NormalisedName] = []
        self.entry_first_name = array("i")
        self.skel_ids: dict[str, int] = {}
        skel_df: Counter[int] = Counter()
        keys = array("Q")
        postings = array("i")
        interned: dict[str, str] = {}
        for pos, entry in enumerate(entries):
            self.entry_first_name.append(len(self.name_norm))
            for variant in entry.names:
                norm = normalise_name(variant.text)
                if not norm:
                    continue
                # Interning: 1M entries repeat the same few thousand name parts.
                norm = NormalisedName(
                    tuple(interned.setdefault(t, t) for t in norm.tokens),
                    tuple(interned.setdefault(s, s) for s in norm.skeletons),
                )
                name_id = len(self.name_norm)
                self.name_norm.append(norm)
                self.name_entry.append(pos)
                self.name_kind.append(_KIND_CODES[variant.kind])
                ids = sorted({self._skel_id(s) for s in norm.skeletons})
                skel_df.update(ids)
                for key in self._name_keys(ids):
                    keys.append(key)
                    postings.append(name_id)
        self.entry_first_name.append(len(self.name_norm))
        order_keys = np.frombuffer(keys, dtype=np.uint64)
        order = np.argsort(order_keys, kind="stable")
        self.keys = order_keys[order]
        self.postings = np.frombuffer(postings, dtype=np.int32)[order]
        self.name_count = len(self.name_norm)
        self.skel_weight = self._weights(skel_df)
        self.skel_neighbours, self.latin_neighbours = self._neighbourhood()
        self._entry_years()
        self.documents = self._document_index()

    def _skel_id(self, s: str) -> int:
        sid = self.skel_ids.get(s)
        if sid is None:
            sid = self.skel_ids[s] = len(self.skel_ids)
        return sid

    @staticmethod
    def _name_keys(ids: list[int]) -> list[int]:
        if len(ids) == 1:
            return [(ids[0] << 32) | ids[0]]
        return [(a << 32) | b for a, b in combinations(ids[:MAX_TOKENS_PAIRED], 2)]

    def _weights(self, df: Counter[int]) -> dict[int, float]:
        # Inverse document frequency in bits, smoothed with a notional population of
        # PRIOR_NAMES so that in a small list (the UN list has ~3,000 names) a part seen once is
        # not treated as unique in the world. See score.py for how the bits are used.
        total = self.name_count + PRIOR_NAMES
        return {sid: math.log2(total / (count + 1)) for sid, count in df.items()}

    def _neighbourhood(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        """Deletion neighbourhoods (SymSpell) of the skeleton and of the Latin-form vocabularies.

        Skeletons catch transliteration variants with one more or one different consonant; the
        Latin forms catch typos that break a digraph ("Bashir" -> "Bahsir": skeletons b$r/bhsr).
        """
        skel_neigh: dict[str, list[int]] = defaultdict(list)
        for s, sid in self.skel_ids.items():
            if len(s) >= 2:
                skel_neigh[s].append(sid)
            if len(s) >= MIN_SKELETON_TO_EXPAND:
                for d in _deletions(s):
                    skel_neigh[d].append(sid)
        latin_neigh: dict[str, list[int]] = defaultdict(list)
        for token in {t for name in self.name_norm for t in name.tokens}:
            if len(token) >= MIN_LATIN_TO_EXPAND:
                sid = self.skel_ids[skeleton(token)]
                for d in (token, *_deletions(token)):
                    latin_neigh[d].append(sid)
        return dict(skel_neigh), dict(latin_neigh)

    def _document_index(self) -> dict[str, list[int]]:
        docs: dict[str, list[int]] = defaultdict(list)
        for pos, entry in enumerate(self.entries):
            for doc in entry.documents:
                number = normalise_document(doc.number)
                if len(number) >= 5:  # shorter "numbers" are fragments, not identifiers
                    docs[number].append(pos)
        return dict(docs)

    def token_weight(self, skel: str) -> float:
        """Rarity (bits) of a skeleton; unknown parts count as rare as a part seen once."""
        sid = self.skel_ids.get(skel)
        if sid is None:
            return math.log2(self.name_count + PRIOR_NAMES)
        return self.skel_weight[sid]

    def _alternatives(self, token: str, skel: str) -> list[tuple[int, bool]]:
        """(skeleton id, exact?) for a traveller part and its edit-distance-1 neighbours."""
        exact = self.skel_ids.get(skel)
        alts: dict[int, bool] = {}
        if exact is not None:
            alts[exact] = True
        if len(skel) >= 2:
            for key in (skel, *_deletions(skel)):
                for sid in self.skel_neighbours.get(key, ()):
                    alts.setdefault(sid, False)
        if len(token) >= MIN_LATIN_TO_EXPAND:
            for key in (token, *_deletions(token)):
                for sid in self.latin_neighbours.get(key, ()):
                    alts.setdefault(sid, False)
        return list(alts.items())

    def _entry_years(self) -> None:
        lo = np.zeros(len(self.entries), dtype=np.int16)
        hi = np.zeros(len(self.entries), dtype=np.int16)
        for pos, entry in enumerate(self.entries):
            years = [(d.year_from, d.year_to) for d in entry.dobs if d.year_from and d.year_to]
            if years:
                lo[pos] = min(y[0] for y in years) - (
                    2 if any(d.approximate for d in entry.dobs) else 1
                )
                hi[pos] = max(y[1] for y in years) + (
                    2 if any(d.approximate for d in entry.dobs) else 1
                )
        self.entry_year_lo, self.entry_year_hi = lo, hi
        self.name_entry_np = np.frombuffer(self.name_entry, dtype=np.int32)

    def query_keys(self, norm: NormalisedName) -> list[int]:
        """Pair keys for a traveller name, including joins of adjacent parts ("Rahmat Allah")."""
        slots: list[tuple[frozenset[int], list[tuple[int, bool]]]] = []
        toks = norm.tokens
        for i, s in enumerate(norm.skeletons):
            slots.append((frozenset({i}), self._alternatives(toks[i], s)))
        for i in range(len(toks) - 1):
            joined = skeleton(toks[i] + toks[i + 1])
            if joined in self.skel_ids:
                slots.append((frozenset({i, i + 1}), [(self.skel_ids[joined], True)]))
        keys: set[int] = set()
        for (pos_a, alts_a), (pos_b, alts_b) in combinations(slots, 2):
            if pos_a & pos_b:
                continue
            for a, exact_a in alts_a:
                for b, exact_b in alts_b:
                    if (exact_a or exact_b) and a != b:
                        keys.add((min(a, b) << 32) | max(a, b))
        # One-part names on either side: look up (t, t) so mononyms are reachable.
        for _, alts in slots:
            for a, exact in alts:
                if exact:
                    keys.add((a << 32) | a)
        return list(keys)

    def candidates(
        self, norm: NormalisedName, birth_year: int | None = None, stats: QueryStats | None = None
    ) -> np.ndarray:
        """Name ids worth scoring for one traveller name (at most MAX_CANDIDATE_NAMES)."""
        keys = np.fromiter(self.query_keys(norm), dtype=np.uint64)
        if keys.size == 0:
            return np.empty(0, dtype=np.int32)
        lo = np.searchsorted(self.keys, keys, side="left")
        hi = np.searchsorted(self.keys, keys, side="right")
        sizes = hi - lo
        keep = (sizes > 0) & (sizes <= MAX_POSTINGS_PER_KEY)
        if stats is not None:
            stats.keys += int(keys.size)
            stats.skipped_common_keys += int(np.count_nonzero(sizes > MAX_POSTINGS_PER_KEY))
        if not keep.any():
            return np.empty(0, dtype=np.int32)
        lo, hi, sizes = lo[keep], hi[keep], sizes[keep]
        # Gather all postings of the kept keys in one vectorised step.
        idx = np.repeat(lo - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
        hits = self.postings[idx]
        # A rare pair is better evidence than a common one: weight each hit by 1/log(postings).
        weights = np.repeat(1.0 / np.log2(sizes + 1.0), sizes)
        names, inverse = np.unique(hits, return_inverse=True)
        if names.size <= MAX_CANDIDATE_NAMES:
            return names
        totals = np.bincount(inverse, weights=weights)
        if birth_year is not None:
            pos = self.name_entry_np[names]
            y_lo, y_hi = self.entry_year_lo[pos], self.entry_year_hi[pos]
            known = y_lo > 0
            agree = known & (y_lo <= birth_year) & (birth_year <= y_hi)
            totals *= np.where(agree, DOB_RANK_AGREE, np.where(known, DOB_RANK_CONFLICT, 1.0))
        top = np.argpartition(-totals, MAX_CANDIDATE_NAMES)[:MAX_CANDIDATE_NAMES]
        return names[top]

    def candidate_entries(
        self,
        norm: NormalisedName,
        document: str | None = None,
        birth_year: int | None = None,
        stats: QueryStats | None = None,
    ) -> dict[int, list[int]]:
        """Entry position -> candidate name ids (document matches bring all the entry's names)."""
        out: dict[int, list[int]] = defaultdict(list)
        for name_id in self.candidates(norm, birth_year, stats).tolist():
            out[self.name_entry[name_id]].append(name_id)
        if document:
            for pos in self.documents.get(normalise_document(document), ()):
                if pos not in out:
                    out[pos] = list(
                        range(self.entry_first_name[pos], self.entry_first_name[pos + 1])
                    )
        return dict(out)

    def name_kind_of(self, name_id: int) -> NameKind:
        return KINDS[self.name_kind[name_id]]
