"""Candidate index: find the few watchlist names worth scoring, without a full scan.

Blocking key = an unordered *pair* of token skeletons from the same name (a one-token name is
indexed under the pair (t, t)). Two shared name parts are far more selective than one ("Mohammed"
alone is in a large share of some lists; "Mohammed"+"Kawari" is not), and pairs are
order-free, so swapped and dropped name parts still meet. Typos are reached by expanding each
traveller skeleton to the watchlist skeletons at edit distance 1 (a deletion-neighbourhood
dictionary over the skeleton vocabulary, as in SymSpell); at most one side of a pair may be
such an approximation, which keeps the number of looked-up keys small. Names reached are ranked
by pair evidence, then the best RERANK_POOL by how closely their parts spell the traveller's,
before the cut at MAX_CANDIDATE_NAMES.

Postings are two numpy arrays (sorted uint64 keys, int32 name ids) instead of a dict of lists:
about 12 bytes per posting, so 1M entries with aliases fit in a few hundred MB, and the few
hundred pair keys of a traveller are looked up with one vectorised searchsorted.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any, overload

import numpy as np
from rapidfuzz import fuzz, process

from ctnet.screening.engine import savedindex
from ctnet.screening.engine.model import NameKind, WatchlistEntry
from ctnet.screening.engine.normalise import (
    JOIN_HEADS,
    NormalisedName,
    forget_names,
    normalise_document,
    normalise_name,
    skeleton,
)
from ctnet.screening.engine.savedindex import (
    EntryTable,
    IndexFileError,
    StringMultimap,
    pack_entries,
    pack_strings,
    unpack_strings,
)

# At most this many names are scored per traveller. Ranking is in two stages: the RERANK_POOL
# names with the most (rarest) shared pairs, weighted by birth-date and nationality agreement,
# then, among those, the ones whose parts best *spell* the traveller's (`_closeness`). Pair
# evidence alone cannot tell a misspelt rare part's true name from the hundreds of names that
# share a common part with one of its edit-distance-1 neighbours ("Mohammed al-Kahwari":
# al-Kawari, al-Kahiri, al-Kawali...); the spelling can. With the second stage the cap went
# from 512 back to 384 (tuning seed 2, 1M entries: typo candidate recall 0.9914 at 512, 0.9909
# at 384, others equal within 0.0005), which pays for part of the stage.
MAX_CANDIDATE_NAMES = 384
# The pool of the second stage. At 1M entries (tuning seed 2, 20,000 listed travellers, cap
# 512): no second stage 0.9747 typo / 0.9921 exact; pool 1,000: 0.9836 / 0.9949; 2,000: 0.9861 /
# 0.9969; 4,000: 0.9863 / 0.9974 for 20 % more candidate time than 2,000.
RERANK_POOL = 2_000
# Agreement factors (see DOB_RANK_*) enter the second stage at this power: milder, since the
# spelling is now the main evidence (1.0 and 0.25 were within 0.001 of 0.5 on the tuning seed).
RERANK_AGREEMENT_POWER = 0.5
# Part similarities below this (rapidfuzz ratio) count as 0; an equal skeleton counts as
# RERANK_SKELETON_SIMILARITY (transliterations: "Yusuf"/"Yousef").
RERANK_MIN_SIMILARITY = 0.6
RERANK_SKELETON_SIMILARITY = 0.9
# A traveller part whose skeleton is listed in at most this many names also reaches those names
# on its own, weighted as RARE_PART_FACTOR times the rarity of its postings: when the
# traveller's other parts are misspelt beyond the pair keys' reach ("Aldulaziz Radouj"), no
# pair reaches the entry. Tuning seed: +0.0013 typo recall for ~5 % candidate time; 100
# instead of 30 added nothing.
RARE_PART_POSTINGS = 30
RARE_PART_FACTOR = 0.5
# Postings are sorted by (pair, birth-year bucket). A pair with more postings than this
# ("Mohammed Ahmed") is read only in the traveller's birth-year window (+-YEAR_WINDOW) and for
# entries without a date of birth: entries whose listed year conflicts cannot reach the
# threshold on a common name anyway, and the traveller's rarer pairs still reach them.
COMMON_KEY_POSTINGS = 2_000
# The same for a pair reached through an approximate part, which is weaker evidence and far more
# numerous (dozens of neighbours per part): reading all of their postings was most of the work
# per traveller. At 1M entries (tuning seed 2), 2,000 -> 50 halved the postings read per
# traveller (~4,400 -> ~2,300) and held or raised candidate recall: the out-of-window
# near-homonyms it drops only crowded the cap. With the second ranking stage they no longer
# crowd it, and 50 -> 300 brings back travellers whose birth year conflicts with the listed one
# and whose typo is in the common part (tuning seed: typo 0.9874 -> 0.9901, for ~15 % of the
# candidate time).
APPROX_COMMON_KEY_POSTINGS = 300
YEAR_WINDOW = 2
# Even restricted, a key with more postings than this does not generate candidates on its own.
MAX_POSTINGS_PER_KEY = 20_000
# Year buckets: 0 = no date of birth; else year - YEAR_BASE (12 bits). A listed range of years is
# posted under each year, up to MAX_RANGE_YEARS.
YEAR_BASE = 1800
YEAR_BITS = 12
MAX_RANGE_YEARS = 12
# Most pair keys a traveller generates (a part's approximate neighbours paired with the other
# parts) are in no listed name. A bitmap over hashed pairs answers "absent" with one memory read
# per key, against ~22 for the binary search over the postings. It has about 64 bits per listed
# pair (so about 1 % of absent keys pass as false positives, and are then simply not found),
# at most 2**PAIR_FILTER_BITS (32 MB, reached at ~4 million pairs: a 1,000,000-entry list), at
# least 2**MIN_PAIR_FILTER_BITS: a web process holding the UN list keeps 32 KB, not 32 MB.
PAIR_FILTER_BITS = 28
MIN_PAIR_FILTER_BITS = 16
PAIR_FILTER_BITS_PER_PAIR = 64
_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing
# Traveller name parts whose expansions are memoised (per process).
ALTERNATIVES_CACHE = 100_000
# Tokens per name kept in the vectorised token matrix; longer (entity) names fall back to the
# pure-Python scorer.
MAX_NAME_TOKENS = 8
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
# homonyms ("Mohammed al-Masri") the cut at MAX_CANDIDATE_NAMES keeps the plausible ones. The
# factors are mild on purpose: listed dates are sometimes wrong, and a traveller sharing three
# name parts with an entry must not lose to one sharing a single pair and a birth year.
DOB_RANK_AGREE = 1.3
DOB_RANK_CONFLICT = 0.8
# An exact birth date shared with the entry is far stronger than a shared year (about one
# unrelated person in 20,000 shares a full date, one in 50 a year): among a cluster of homonyms
# it is what finds the listed one.
DOB_RANK_EXACT = 3.0
# Nationality agreement is weaker evidence (a culture shares a few nationalities).
NATIONALITY_RANK_AGREE = 1.1
_RANK_MIN = min(1.0, DOB_RANK_CONFLICT)
_RANK_MAX = max(1.0, DOB_RANK_AGREE, DOB_RANK_EXACT) * max(1.0, NATIONALITY_RANK_AGREE)
# A pair reached through an edit-distance-1 neighbour counts half as much as an exact pair.
APPROX_PAIR_FACTOR = 0.5
# Notional number of other names in the world, added to the list size when turning a name part's
# frequency into bits of evidence: without it, every part of a 1,000-entry list looks unique.
PRIOR_NAMES = 100_000
_KIND_CODES = {k: i for i, k in enumerate(NameKind)}
KINDS = list(NameKind)
_NO_IDS = np.empty(0, dtype=np.uint64)
# What a NormalisedName holds besides its parts (flags such as the script's), kept per name.
_NAME_FLAGS = tuple(
    f.name for f in dataclasses.fields(NormalisedName) if f.name not in ("tokens", "skeletons")
)
# The numpy attributes saved as they are (the dicts of the build are saved as multimaps).
_PLAIN_ARRAYS = (
    "keys", "postings", "pair_filter", "skel_weight", "skel_df", "rare_part_skels",
    "rare_part_names", "name_tokens", "name_len", "token_len", "token_skel", "token_weight_arr",
    "token_skel_len", "entry_year_lo", "entry_year_hi", "entry_nats", "entry_is_entity",
    "name_entry_np", "name_profile", "name_dates", "name_is_entity", "name_kind_np",
    "entry_group", "group_labels",
)  # fmt: skip


@dataclass(slots=True)
class QueryStats:
    keys: int = 0
    skipped_common_keys: int = 0


def _deletions(s: str) -> set[str]:
    return {s[:i] + s[i + 1 :] for i in range(len(s))}


def _collapsing_deletions(s: str) -> set[str]:
    """Deletions that leave two equal letters side by side, collapsed as normalisation does:
    "qadbdas" -> "qadas". Names are compared with doubled letters collapsed, so a typo between
    two equal letters ("Qaddas" typed "Qadbdas") is two edits away from the listed form."""
    return {s[:i] + s[i + 2 :] for i in range(1, len(s) - 1) if s[i - 1] == s[i + 1]}


def _year_buckets(entry: WatchlistEntry) -> list[int]:
    years: set[int] = set()
    for d in entry.dobs:
        if d.year_from and d.year_to:
            years.update(range(d.year_from, min(d.year_to, d.year_from + MAX_RANGE_YEARS) + 1))
    return sorted(y - YEAR_BASE for y in years if 0 < y - YEAR_BASE < (1 << YEAR_BITS)) or [0]


def _joins(toks: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Skeletons of joined parts: adjacent pairs ("Rahmat Allah"), and a head left alone by a
    change of order ("Wibowo Abdul" for "Abdul Wibowo", listed as one part "abdwibowo")."""
    out = [(i, i + 1, skeleton(toks[i] + toks[i + 1])) for i in range(len(toks) - 1)]
    for i, tok in enumerate(toks):
        head = JOIN_HEADS.get(tok)
        if head:
            out += [(i, j, skeleton(head + t)) for j, t in enumerate(toks) if j != i]
    return out


class CandidateIndex:
    """Immutable once built; build offline and swap in (like a threatexchange index).

    ``groups`` gives each entry its list (the platform's watchlist id; one list when omitted):
    the candidate cap applies per list, so one large list's near-homonyms cannot crowd another
    list's entry out, and ``restricted_to`` screens against some lists only. ``save`` writes
    the index to one file that ``load`` maps read-only (``savedindex``); a built and a loaded
    index hold the same arrays and answer alike.
    """

    entries: Sequence[WatchlistEntry]
    name_norm: Sequence[NormalisedName]

    def __init__(
        self, entries: Sequence[WatchlistEntry], groups: Sequence[int] | None = None
    ) -> None:
        self.entries = entries
        self._name_entry = array("i")  # name id -> entry position
        self._name_kind = array("b")
        name_norm: list[NormalisedName] = []
        self.name_norm = name_norm
        self._entry_first_name = array("i")
        self.skel_ids: dict[str, int] = {}
        self._build_token_ids: dict[str, int] = {}
        name_token_flat, name_token_offsets = array("i"), array("q", [0])
        skel_df: Counter[int] = Counter()
        keys = array("Q")
        postings = array("i")
        name_tokens = array("i")
        part_skels, part_names = array("i"), array("i")
        interned: dict[str, str] = {}
        for pos, entry in enumerate(entries):
            self._entry_first_name.append(len(name_norm))
            buckets = _year_buckets(entry)
            for variant in entry.names:
                norm = normalise_name(variant.text)
                if not norm:
                    continue
                # Interning: 1M entries repeat the same name parts many times.
                norm = dataclasses.replace(
                    norm,
                    tokens=tuple(interned.setdefault(t, t) for t in norm.tokens),
                    skeletons=tuple(interned.setdefault(s, s) for s in norm.skeletons),
                )
                name_id = len(name_norm)
                name_norm.append(norm)
                self._name_entry.append(pos)
                self._name_kind.append(_KIND_CODES[variant.kind])
                all_tokens = [self._token_id(t) for t in norm.tokens]
                name_token_flat.extend(all_tokens)
                name_token_offsets.append(len(name_token_flat))
                row = all_tokens[:MAX_NAME_TOKENS]
                name_tokens.extend(row + [-1] * (MAX_NAME_TOKENS - len(row)))
                ids = sorted({self._skel_id(s) for s in norm.skeletons})
                skel_df.update(ids)
                part_skels.extend(ids)
                part_names.extend([name_id] * len(ids))
                for key in self._name_keys(ids):
                    for bucket in buckets:
                        keys.append((key << YEAR_BITS) | bucket)
                        postings.append(name_id)
        self._entry_first_name.append(len(name_norm))
        order_keys = np.frombuffer(keys, dtype=np.uint64)
        order = np.argsort(order_keys, kind="stable")
        self.keys = order_keys[order]
        self.postings = np.frombuffer(postings, dtype=np.int32)[order]
        self.name_count = len(name_norm)
        self.pair_filter = self._pair_filter()
        self.skel_weight = self._weights(skel_df)
        self._rare_parts(skel_df, part_skels, part_names)
        self._token_arrays(np.frombuffer(name_tokens, dtype=np.int32))
        skel_neighbours, latin_neighbours = self._neighbourhood()
        self._entry_arrays()
        self._group_arrays(groups)
        documents = self._document_index()
        # From here on the index is arrays only, as a loaded one is: the dicts of the build
        # become hashed multimaps, and the names are read back from the token arrays.
        arrays: dict[str, np.ndarray] = {
            "entry_first_name": np.frombuffer(self._entry_first_name, dtype=np.int32),
            "name_token_offsets": np.frombuffer(name_token_offsets, dtype=np.int64),
            "name_token_flat": np.frombuffer(name_token_flat, dtype=np.int32),
            **StringMultimap.build(self._neighbour_table(skel_neighbours, latin_neighbours)).arrays(
                "neighbours"
            ),
            **StringMultimap.build(documents).arrays("documents"),
        }
        for name in _PLAIN_ARRAYS:
            arrays[name] = getattr(self, name)
        for flag in _NAME_FLAGS:
            arrays[f"name_flag.{flag}"] = np.fromiter(
                (bool(getattr(n, flag)) for n in name_norm), dtype=bool, count=len(name_norm)
            )
        strings = {"skel": list(self.skel_ids), "token": self.token_strings}
        for kind, values in strings.items():
            arrays[f"{kind}_blob"], arrays[f"{kind}_offsets"] = pack_strings(values)
        scalars = {
            "pair_filter_bits": self.pair_filter_bits,
            "name_count": self.name_count,
            "has_entities": self.has_entities,
            "nationality_codes": list(self.nationality_codes),
        }
        del self._name_entry, self._name_kind, self._entry_first_name, self._build_token_ids
        del self._build_collapsed
        self._attach(arrays, scalars, entries)

    def _attach(
        self,
        arrays: Mapping[str, np.ndarray],
        scalars: Mapping[str, Any],
        entries: Sequence[WatchlistEntry],
    ) -> None:
        """Set every attribute from the arrays (of a build, or mapped from a saved file)."""
        self._arrays = dict(arrays)
        self._scalars = dict(scalars)
        self.entries = entries
        for name in _PLAIN_ARRAYS:
            setattr(self, name, arrays[name])
        self.entry_first_name = arrays["entry_first_name"]
        self.pair_filter_bits = int(scalars["pair_filter_bits"])
        self.name_count = int(scalars["name_count"])
        self.has_entities = bool(scalars["has_entities"])
        self.nationality_codes = {c: i for i, c in enumerate(scalars["nationality_codes"])}
        skels = unpack_strings(arrays["skel_blob"], arrays["skel_offsets"])
        self.skel_ids = {s: i for i, s in enumerate(skels)}
        self.skel_strings = skels
        self.token_strings = unpack_strings(arrays["token_blob"], arrays["token_offsets"])
        self.token_strings_np = np.asarray(self.token_strings, dtype=object)
        self.neighbours = StringMultimap.from_arrays(arrays, "neighbours")
        self.documents = StringMultimap.from_arrays(arrays, "documents")
        self.name_norm = _NameTable(
            self, arrays["name_token_offsets"], arrays["name_token_flat"],
            {flag: arrays[f"name_flag.{flag}"] for flag in _NAME_FLAGS},
        )  # fmt: skip
        self._allowed_groups: np.ndarray | None = None
        self._alt_cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def save(self, path: str | Path, meta: Mapping[str, Any] | None = None) -> None:
        """Write the index, its entries and ``meta`` (what it was built from: the platform's
        epoch and checkpoint, the command line's list checksum) to one file, atomically."""
        blob, offsets = pack_entries(self.entries)
        arrays = {**self._arrays, "entries_blob": blob, "entries_offsets": offsets}
        savedindex.write(path, arrays, {"meta": dict(meta or {}), "scalars": self._scalars})

    @classmethod
    def load(
        cls, path: str | Path, expect: Mapping[str, Any] | None = None, *, verify: bool = True
    ) -> CandidateIndex:
        """The index saved at ``path``, its arrays mapped read-only (pages shared between the
        processes that map the same file). Raises ``IndexFileError`` for a file that is
        missing, damaged, written by another engine version, or whose ``meta`` differs from
        ``expect``: the caller rebuilds; such a file is never used."""
        header, arrays = savedindex.read(path, expect=expect, verify=verify)
        try:
            index = cls.__new__(cls)
            entries = EntryTable(arrays.pop("entries_blob"), arrays.pop("entries_offsets"))
            index._attach(arrays, header["scalars"], entries)
        except (KeyError, TypeError, ValueError, UnicodeDecodeError) as exc:
            raise IndexFileError(path, f"damaged content: {exc!r}") from None
        if len(entries) != index.entry_first_name.size - 1:
            raise IndexFileError(path, "damaged content: entries and names disagree")
        return index

    def restricted_to(self, groups: Iterable[int]) -> CandidateIndex:
        """The same index (no copy of its arrays) screening only the entries of ``groups``:
        the lists a caller may screen against, applied before the candidate cap."""
        view = copy.copy(self)
        view._allowed_groups = np.isin(self.group_labels, np.fromiter(groups, dtype=np.int64))
        return view

    def _rare_parts(self, df: Counter[int], skels: array, names: array) -> None:
        """Postings of the rare name parts on their own (skeleton -> names), for travellers whose
        other parts are all misspelt beyond the pair keys' reach."""
        self.skel_df = np.zeros(len(self.skel_ids), dtype=np.int32)
        for sid, count in df.items():
            self.skel_df[sid] = count
        sk = np.frombuffer(skels, dtype=np.int32)
        nm = np.frombuffer(names, dtype=np.int32)
        rare = self.skel_df[sk] <= RARE_PART_POSTINGS
        order = np.argsort(sk[rare], kind="stable")
        self.rare_part_skels = sk[rare][order]
        self.rare_part_names = nm[rare][order]

    def _skel_id(self, s: str) -> int:
        sid = self.skel_ids.get(s)
        if sid is None:
            sid = self.skel_ids[s] = len(self.skel_ids)
        return sid

    def _token_id(self, t: str) -> int:
        tid = self._build_token_ids.get(t)
        if tid is None:
            tid = self._build_token_ids[t] = len(self._build_token_ids)
        return tid

    def _token_arrays(self, flat: np.ndarray) -> None:
        """Arrays for the vectorised scorer: token ids per name; skeleton and weight per token."""
        self.name_tokens = flat.reshape(-1, MAX_NAME_TOKENS)
        self.name_len = np.fromiter(
            (len(n.tokens) for n in self.name_norm), dtype=np.int16, count=self.name_count
        )
        self.token_strings = list(self._build_token_ids)
        self.token_len = np.asarray([len(t) for t in self.token_strings], dtype=np.int32)
        tok_skel = [self.skel_ids[skeleton(t)] for t in self.token_strings]
        self.token_skel = np.asarray(tok_skel, dtype=np.int32)
        self.token_weight_arr = np.asarray(
            [self.skel_weight[s] for s in tok_skel], dtype=np.float64
        )
        # Skeleton length decides how much an equal skeleton is worth (score.SKELETON_SIMILARITY).
        skel_len = {sid: len(s) for s, sid in self.skel_ids.items()}
        self.token_skel_len = np.asarray(
            [0 if self.token_strings[i] and skeleton(self.token_strings[i]).startswith("#")
             else skel_len[s] for i, s in enumerate(tok_skel)], dtype=np.int16,
        )  # fmt: skip

    def _pair_hash(self, pairs: np.ndarray) -> np.ndarray:
        return (pairs * _HASH_MULTIPLIER) >> np.uint64(64 - self.pair_filter_bits)

    def _pair_filter(self) -> np.ndarray:
        pairs = np.unique(self.keys >> np.uint64(YEAR_BITS))
        wanted = max(1, len(pairs) * PAIR_FILTER_BITS_PER_PAIR).bit_length()
        self.pair_filter_bits = min(PAIR_FILTER_BITS, max(MIN_PAIR_FILTER_BITS, wanted))
        bits = np.zeros(1 << (self.pair_filter_bits - 3), dtype=np.uint8)
        h = self._pair_hash(pairs)
        np.bitwise_or.at(
            bits, h >> np.uint64(3), np.left_shift(1, h & np.uint64(7)).astype(np.uint8)
        )
        return bits

    def _maybe_listed(self, pairs: np.ndarray) -> np.ndarray:
        h = self._pair_hash(pairs)
        return (
            (self.pair_filter[h >> np.uint64(3)] >> (h & np.uint64(7)).astype(np.uint8)) & 1
        ).astype(bool)

    @staticmethod
    def _name_keys(ids: list[int]) -> list[int]:
        if len(ids) == 1:
            return [(ids[0] << 24) | ids[0]]
        return [(a << 24) | b for a, b in combinations(ids[:MAX_TOKENS_PAIRED], 2)]

    def _weights(self, df: Counter[int]) -> np.ndarray:
        # Inverse document frequency in bits, smoothed with a notional population of
        # PRIOR_NAMES so that in a small list (the UN list has ~3,000 names) a part seen once is
        # not treated as unique in the world. See score.py for how the bits are used.
        total = self.name_count + PRIOR_NAMES
        weights = np.zeros(len(self.skel_ids), dtype=np.float64)
        for sid, count in df.items():
            weights[sid] = math.log2(total / (count + 1))
        return weights

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
        collapsed: dict[str, list[int]] = defaultdict(list)
        for token in {t for name in self.name_norm for t in name.tokens}:
            if len(token) >= MIN_LATIN_TO_EXPAND:
                sid = self.skel_ids[skeleton(token)]
                for d in (token, *_deletions(token)):
                    latin_neigh[d].append(sid)
                for d in _collapsing_deletions(token):
                    collapsed[d].append(sid)
        # A listed token with a letter between two equal ones ("Harhartra"), typed without it
        # ("Harharra", normalised "harhara"): looked up with the traveller's exact Latin form.
        self._build_collapsed = dict(collapsed)
        return dict(skel_neigh), dict(latin_neigh)

    def _group_arrays(self, groups: Sequence[int] | None) -> None:
        """Each entry's list as a small code (``entry_group``) into ``group_labels``."""
        if groups is None:
            self.group_labels = np.zeros(1, dtype=np.int64)
            self.entry_group = np.zeros(len(self.entries), dtype=np.int32)
            return
        if len(groups) != len(self.entries):
            raise ValueError(f"{len(groups)} groups for {len(self.entries)} entries")
        labels, codes = np.unique(np.asarray(groups, dtype=np.int64), return_inverse=True)
        self.group_labels = labels if labels.size else np.zeros(1, dtype=np.int64)
        self.entry_group = codes.astype(np.int32)

    def _neighbour_table(
        self, skel_neighbours: dict[str, list[int]], latin_neighbours: dict[str, list[int]]
    ) -> dict[str, list[int]]:
        """The neighbourhoods in one table, each under its own key prefix, so that a traveller
        part's expansions are one look-up (one hashing pass, one binary search): "s" skeleton
        deletions, "l" Latin-form deletions, "c" listed tokens' collapsing deletions, "t" a
        listed token -> its skeleton."""
        table: dict[str, list[int]] = {}
        for prefix, mapping in (("s", skel_neighbours), ("l", latin_neighbours),
                                ("c", self._build_collapsed)):  # fmt: skip
            table.update((prefix + k, v) for k, v in mapping.items())
        for token in self._build_token_ids:
            table["t" + token] = [self.skel_ids[skeleton(token)]]
        return table

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
        return float(self.skel_weight[sid])

    def _alternatives(self, token: str, skel: str) -> tuple[np.ndarray, np.ndarray]:
        """(skeleton ids, exact?) for a traveller part and its edit-distance-1 neighbours."""
        keys = ["s" + k for k in (skel, *_deletions(skel))] if len(skel) >= 2 else []
        if len(token) >= MIN_LATIN_TO_EXPAND:
            keys += ["l" + k for k in (token, *_deletions(token))]
            # Doubled letters are collapsed on both sides, so a letter typed between two equal
            # ones ("Qadbdas" for "Qaddas") or dropped from between them ("Harharra" for
            # "Harhartra") is two edits from the listed form: looked up exactly, not expanded.
            keys.append("c" + token)
            keys += ["t" + k for k in _collapsing_deletions(token)]
        found = [self.neighbours.lookup(keys)]
        exact = self.skel_ids.get(skel)
        if exact is not None:
            found.append(np.asarray([exact], dtype=np.int32))
        ids = np.unique(np.concatenate(found).astype(np.uint64)) if found else _NO_IDS
        if exact is None:
            return ids, np.zeros(ids.size, dtype=bool)
        return ids, ids == np.uint64(exact)

    def forget_queries(self) -> None:
        """Forget the names this index was asked about; the index itself is unchanged.

        Screening memoises, for speed, the expansions of each queried name part (here) and the
        skeletons of name parts (``normalise.skeleton``). A process that must not keep the
        names of travellers who matched nothing (the platform, after every run) calls this; a
        batch (``ctnet screen``) does not, for its throughput. The next query starts cold.
        """
        self._alt_cache.clear()
        forget_names()

    def _alternative_arrays(self, token: str, skel: str) -> tuple[np.ndarray, np.ndarray]:
        """`_alternatives`, memoised: travellers' name parts repeat a lot (Zipf)."""
        cached = self._alt_cache.get(token)
        if cached is None:
            if len(self._alt_cache) >= ALTERNATIVES_CACHE:
                self._alt_cache.clear()  # crude bound; the frequent parts come back at once
            cached = self._alt_cache[token] = self._alternatives(token, skel)
        return cached

    def _entry_arrays(self) -> None:
        """Per-entry arrays for ranking candidates: birth-year span, nationalities, entity flag."""
        n = len(self.entries)
        lo = np.zeros(n, dtype=np.int16)
        hi = np.zeros(n, dtype=np.int16)
        self.nationality_codes = {}
        nats = np.full((n, 2), -1, dtype=np.int16)
        entity = np.zeros(n, dtype=bool)
        dates = np.zeros((n, 2), dtype=np.int32)  # proleptic ordinals of exact dates, 0 = none
        for pos, entry in enumerate(self.entries):
            exact = [d.date.toordinal() for d in entry.dobs if d.date is not None]
            dates[pos, : len(exact[:2])] = exact[:2]
            years = [(d.year_from, d.year_to) for d in entry.dobs if d.year_from and d.year_to]
            if years:
                slack = 2 if any(d.approximate for d in entry.dobs) else 1
                lo[pos] = min(y[0] for y in years) - slack
                hi[pos] = max(y[1] for y in years) + slack
            for k, nat in enumerate(entry.nationalities[:2]):
                nats[pos, k] = self.nationality_codes.setdefault(nat, len(self.nationality_codes))
            entity[pos] = entry.entity_type == "entity"
        self.entry_year_lo, self.entry_year_hi = lo, hi
        self.entry_nats, self.entry_is_entity = nats, entity
        self.name_entry_np = np.frombuffer(self._name_entry, dtype=np.int32)
        # The same facts per *name*, packed into two int64 (birth-year span and nationalities;
        # exact dates): ranking gathers them for thousands of names per traveller, and the cost
        # is the random memory reads (one per array), not the bit arithmetic.
        owner = self.name_entry_np
        year_bits = (lo.astype(np.int64) << 48) | (hi.astype(np.int64) << 32)
        nat_bits = (nats.astype(np.int64) + 1) & 0xFFFF
        packed = year_bits | (nat_bits[:, 0] << 16) | nat_bits[:, 1]
        self.name_profile = packed[owner]
        self.name_dates = ((dates[:, 0].astype(np.int64) << 32) | dates[:, 1])[owner]
        self.name_is_entity = entity[owner]
        self.name_kind_np = np.frombuffer(self._name_kind, dtype=np.int8)
        self.has_entities = bool(entity.any())

    def query_keys(self, norm: NormalisedName) -> tuple[np.ndarray, np.ndarray]:
        """Pair keys for a traveller name, including joins of adjacent parts ("Rahmat Allah"),
        and whether each key is exact on both sides (else one side is an approximation)."""
        slots: list[tuple[frozenset[int], np.ndarray, np.ndarray]] = []
        toks = norm.tokens
        for i, s in enumerate(norm.skeletons):
            slots.append((frozenset({i}), *self._alternative_arrays(toks[i], s)))
        for i, j, joined in _joins(toks):
            if joined in self.skel_ids:
                one = np.asarray([self.skel_ids[joined]], dtype=np.uint64)
                slots.append((frozenset({i, j}), one, np.ones(1, dtype=bool)))
        exact_keys, approx_keys = [], []
        shift = np.uint64(24)
        for (pos_a, ids_a, ex_a), (pos_b, ids_b, ex_b) in combinations(slots, 2):
            if pos_a & pos_b or ids_a.size == 0 or ids_b.size == 0:
                continue
            # At most one side may be an approximation; broadcast all alternative pairs at once.
            distinct = ids_a[:, None] != ids_b[None, :]
            both = ex_a[:, None] & ex_b[None, :] & distinct
            one = (ex_a[:, None] ^ ex_b[None, :]) & distinct
            lo = np.minimum(ids_a[:, None], ids_b[None, :])
            hi = np.maximum(ids_a[:, None], ids_b[None, :])
            exact_keys.append((lo[both] << shift) | hi[both])
            approx_keys.append((lo[one] << shift) | hi[one])
        # One-part names on either side: look up (t, t) so mononyms are reachable; a one-part
        # traveller name may also be an approximation of a listed mononym ("Eko" / "Eeo").
        for _, ids, exact in slots:
            exact_keys.append((ids[exact] << shift) | ids[exact])
            if len(toks) == 1:
                approx_keys.append((ids[~exact] << shift) | ids[~exact])
        if not exact_keys:
            return np.empty(0, np.uint64), np.empty(0, bool)
        exact_u = np.unique(np.concatenate(exact_keys))
        approx_u = np.concatenate(approx_keys) if approx_keys else np.empty(0, np.uint64)
        approx_u = np.setdiff1d(approx_u, exact_u)
        keys = np.concatenate([exact_u, approx_u])
        return keys, np.arange(keys.size) < exact_u.size

    def _posting_ranges(
        self, pairs: np.ndarray, exact: np.ndarray, birth_year: int | None, stats: QueryStats | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(lo, hi, evidence weight per hit) of the postings to read for each traveller pair key.

        A hit weighs the pair's rarity in bits, log2(postings in the index / postings of the
        pair): a rare pair is better evidence than a common one; a pair reached through an
        approximate part weighs APPROX_PAIR_FACTOR of that.
        """
        present = self._maybe_listed(pairs)
        pairs, exact = pairs[present], exact[present]
        base = pairs << np.uint64(YEAR_BITS)
        # One searchsorted per step, not per bound: the look-up is a few hundred keys.
        lo, hi = np.searchsorted(self.keys, np.r_[base, base + np.uint64(1 << YEAR_BITS)]).reshape(
            2, -1
        )
        rarity = np.log2((self.keys.size + 1.0) / np.maximum(hi - lo, 1))
        weight = np.where(exact, 1.0, APPROX_PAIR_FACTOR) * rarity
        common = (hi - lo) > np.where(exact, COMMON_KEY_POSTINGS, APPROX_COMMON_KEY_POSTINGS)
        if birth_year is not None and common.any():
            # Common pair: the no-DOB bucket plus the traveller's birth-year window only.
            cb = base[common]
            first = max(1, birth_year - YEAR_WINDOW - YEAR_BASE)
            last = max(1, birth_year + YEAR_WINDOW - YEAR_BASE + 1)
            bounds = cb[None, :] + np.asarray([1, first, last], dtype=np.uint64)[:, None]
            no_dob_hi, w_lo, w_hi = np.searchsorted(self.keys, bounds.ravel()).reshape(3, -1)
            keep = ~common
            lo = np.concatenate([lo[keep], lo[common], w_lo])
            hi = np.concatenate([hi[keep], no_dob_hi, w_hi])
            weight = np.concatenate([weight[keep], weight[common], weight[common]])
        sizes = hi - lo
        usable = (sizes > 0) & (sizes <= MAX_POSTINGS_PER_KEY)
        if stats is not None:
            stats.keys += int(pairs.size)
            stats.skipped_common_keys += int(np.count_nonzero(sizes > MAX_POSTINGS_PER_KEY))
        return lo[usable], hi[usable], weight[usable]

    def candidates(
        self,
        norm: NormalisedName,
        birth_year: int | None = None,
        stats: QueryStats | None = None,
        nationality: str | None = None,
        include_entities: bool = True,
        *,
        birth_date: int | None = None,
    ) -> np.ndarray:
        """Name ids worth scoring for one traveller name (at most MAX_CANDIDATE_NAMES), sorted."""
        pairs, exact = self.query_keys(norm)
        lo, hi, weight = self._posting_ranges(pairs, exact, birth_year, stats)
        sizes = hi - lo
        # Gather all postings of the kept keys in one vectorised step.
        idx = np.repeat(lo - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
        hits = self.postings[idx]
        weights = np.repeat(weight, sizes)
        if RARE_PART_POSTINGS:
            hits, weights = self._rare_part_hits(norm, hits, weights)
        if hits.size == 0:
            return np.empty(0, dtype=np.int32)
        names, inverse = np.unique(hits, return_inverse=True)
        keep = self._screened(names, include_entities)
        several = self.group_labels.size > 1
        if not several and (
            names.size <= MAX_CANDIDATE_NAMES
            or (keep is not None and np.count_nonzero(keep) <= MAX_CANDIDATE_NAMES)
        ):
            return names if keep is None else names[keep]
        totals: np.ndarray = np.bincount(inverse, weights=weights)
        if keep is not None:
            names, totals = names[keep], totals[keep]
        if several:
            # The cap applies per list: a large list's near-homonyms must not crowd another
            # list's entry out of the candidates.
            group = self.entry_group[self.name_entry_np[names]]
            codes = np.unique(group)
            if codes.size > 1:
                chosen = [
                    self._best_names(norm, names[group == g], totals[group == g],
                                     birth_year, nationality, birth_date)
                    for g in codes.tolist()
                ]  # fmt: skip
                return np.sort(np.concatenate(chosen))
        return self._best_names(norm, names, totals, birth_year, nationality, birth_date)

    def _screened(self, names: np.ndarray, include_entities: bool) -> np.ndarray | None:
        """Which of ``names`` may be candidates (None: all): persons only unless entities are
        asked for, and only the lists of ``restricted_to``. Filtered on distinct names, not on
        hits (fewer gathers), and before the cap."""
        keep = None
        if not include_entities and self.has_entities:
            keep = ~self.name_is_entity[names]
        if self._allowed_groups is not None:
            allowed = self._allowed_groups[self.entry_group[self.name_entry_np[names]]]
            keep = allowed if keep is None else keep & allowed
        return None if keep is None or keep.all() else keep

    def _best_names(
        self,
        norm: NormalisedName,
        names: np.ndarray,
        totals: np.ndarray,
        birth_year: int | None,
        nationality: str | None,
        birth_date: int | None,
    ) -> np.ndarray:
        """The best MAX_CANDIDATE_NAMES of ``names`` (sorted ids) given their pair evidence."""
        if names.size <= MAX_CANDIDATE_NAMES:
            return names
        # Pair evidence first; birth year and nationality break ties among homonyms (and nearly
        # tied names) before the cut, without overriding clearly stronger name evidence.
        # The agreement factors lie in [_RANK_MIN, _RANK_MAX]: a name whose evidence times the
        # largest factor stays below the smallest factor times the cap-th best evidence cannot
        # make the cut, so the (memory-bound) gathers of dates and nationalities skip it.
        pool = max(MAX_CANDIDATE_NAMES, RERANK_POOL)
        if names.size > pool:
            kth = -np.partition(-totals, pool - 1)[pool - 1]
            alive = totals * _RANK_MAX >= kth * _RANK_MIN
            names, totals = names[alive], totals[alive]
            if names.size <= MAX_CANDIDATE_NAMES:
                return names
        agreement = self._agreement(names, birth_year, nationality, birth_date)
        totals = totals * agreement
        if names.size > pool:
            top = np.argpartition(-totals, pool)[:pool]
            names, totals, agreement = names[top], totals[top], agreement[top]
        if names.size <= MAX_CANDIDATE_NAMES:
            return np.sort(names)
        if RERANK_POOL > MAX_CANDIDATE_NAMES:
            # Second stage: spelling closeness decides among the pool (pair evidence cannot tell
            # a misspelt rare part's neighbours from one another), agreement still breaks ties.
            totals = self._closeness(norm, names) * agreement**RERANK_AGREEMENT_POWER
        top = np.argpartition(-totals, MAX_CANDIDATE_NAMES)[:MAX_CANDIDATE_NAMES]
        # Sorted: among equally scored names of one entry the first listed (primary) is reported.
        return np.sort(names[top])

    def _rare_part_hits(
        self, norm: NormalisedName, hits: np.ndarray, weights: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        sids = [self.skel_ids.get(s, -1) for s in norm.skeletons]
        rare = [sid for sid in set(sids) if sid >= 0 and self.skel_df[sid] <= RARE_PART_POSTINGS]
        if not rare:
            return hits, weights
        lo, hi = np.searchsorted(self.rare_part_skels, np.r_[rare, np.add(rare, 1)]).reshape(2, -1)
        sizes = hi - lo
        idx = np.repeat(lo - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
        rarity = np.log2((self.keys.size + 1.0) / np.maximum(sizes, 1)) * RARE_PART_FACTOR
        return (
            np.concatenate([hits, self.rare_part_names[idx]]),
            np.concatenate([weights, np.repeat(rarity, sizes)]),
        )

    def _closeness(self, norm: NormalisedName, names: np.ndarray) -> np.ndarray:
        """Cheap name similarity for ranking: each traveller part's best spelling similarity with
        a part of the listed name (rapidfuzz ratio, or RERANK_SKELETON_SIMILARITY for an equal
        skeleton), weighted by the traveller part's rarity. No alignment, no penalties: it only
        orders names that already share parts with the traveller."""
        toks = self.name_tokens[names]
        # Columns (parts) that some name fills: most names have 2-4 parts of the 8.
        toks = toks[:, : int(np.count_nonzero((toks >= 0).any(axis=0)))]
        uniq, inverse = np.unique(toks, return_inverse=True)  # -1 (padding) first if present
        sims = process.cdist(
            norm.tokens, self.token_strings_np[uniq].tolist(), scorer=fuzz.ratio,
            score_cutoff=int(100 * RERANK_MIN_SIMILARITY), dtype=np.uint8,
        )  # fmt: skip
        q_skel = np.asarray([self.skel_ids.get(s, -1) for s in norm.skeletons], dtype=np.int32)
        same = q_skel[:, None] == self.token_skel[uniq][None, :]
        np.maximum(sims, same * np.uint8(100 * RERANK_SKELETON_SIMILARITY), out=sims)
        if uniq[0] < 0:
            sims[:, 0] = 0
        # (traveller parts, listed part slots, names): the max over the middle axis is a
        # row-wise maximum, much faster in numpy than a reduction over a short last axis.
        best = sims[:, inverse.reshape(toks.shape).T].max(axis=1)
        weights = np.asarray([self.token_weight(s) for s in norm.skeletons])
        return np.asarray(weights @ best)

    def _agreement(
        self,
        names: np.ndarray,
        birth_year: int | None,
        nationality: str | None,
        birth_date: int | None = None,
    ) -> np.ndarray:
        factor = np.ones(names.size)
        profile = self.name_profile[names]
        if birth_year is not None:
            y_lo, y_hi = profile >> 48, (profile >> 32) & 0xFFFF
            known = y_lo > 0
            agree = known & (y_lo <= birth_year) & (birth_year <= y_hi)
            factor[agree] = DOB_RANK_AGREE
            factor[known & ~agree] = DOB_RANK_CONFLICT
        if birth_date is not None:
            dates = self.name_dates[names]
            same = ((dates >> 32) == birth_date) | ((dates & 0xFFFFFFFF) == birth_date)
            factor[same] = DOB_RANK_EXACT
        code = self.nationality_codes.get(nationality or "")
        if code is not None:
            same = ((profile >> 16) & 0xFFFF == code + 1) | (profile & 0xFFFF == code + 1)
            factor[same] *= NATIONALITY_RANK_AGREE
        return factor

    def candidate_arrays(
        self,
        norm: NormalisedName,
        document: str | None = None,
        birth_year: int | None = None,
        stats: QueryStats | None = None,
        nationality: str | None = None,
        include_entities: bool = True,
        *,
        birth_date: int | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(candidate name ids, their entry positions), parallel int32 arrays.

        Document matches bring all the names of their entry. Arrays rather than a dict: the
        scorer groups names by entry with numpy, without a Python object per candidate.
        """
        names = self.candidates(
            norm, birth_year, stats, nationality, include_entities, birth_date=birth_date
        )
        positions = self.name_entry_np[names]
        if document:
            found = self.documents.get(normalise_document(document), ())
            allowed = self._allowed_groups
            extra = [
                p for p in found
                if (include_entities or not self.entry_is_entity[p]) and p not in positions
                and (allowed is None or allowed[self.entry_group[p]])
            ]  # fmt: skip
            if extra:
                more = np.concatenate(
                    [
                        np.arange(self.entry_first_name[p], self.entry_first_name[p + 1])
                        for p in extra
                    ]
                ).astype(np.int32)
                names = np.concatenate([names, more])
                positions = np.concatenate([positions, self.name_entry_np[more]])
        return names, positions

    def candidate_entries(
        self,
        norm: NormalisedName,
        document: str | None = None,
        birth_year: int | None = None,
        stats: QueryStats | None = None,
        nationality: str | None = None,
        include_entities: bool = True,
        *,
        birth_date: int | None = None,
    ) -> dict[int, list[int]]:
        """Entry position -> candidate name ids (document matches bring all the entry's names)."""
        names, positions = self.candidate_arrays(
            norm, document, birth_year, stats, nationality, include_entities, birth_date=birth_date
        )
        out: dict[int, list[int]] = defaultdict(list)
        for name_id, pos in zip(names.tolist(), positions.tolist(), strict=True):
            out[pos].append(name_id)
        return dict(out)

    def name_kind_of(self, name_id: int) -> NameKind:
        return KINDS[self.name_kind_np[name_id]]


class _NameTable(Sequence[NormalisedName]):
    """The normalised names of an index, read back from its token arrays on demand: 1.4M
    ``NormalisedName`` objects would be hundreds of MB per process."""

    def __init__(
        self,
        index: CandidateIndex,
        offsets: np.ndarray,
        flat: np.ndarray,
        flags: Mapping[str, np.ndarray],
    ) -> None:
        self._index, self._offsets, self._flat, self._flags = index, offsets, flat, flags

    def __len__(self) -> int:
        return int(self._offsets.size) - 1

    @overload
    def __getitem__(self, i: int) -> NormalisedName: ...
    @overload
    def __getitem__(self, i: slice) -> list[NormalisedName]: ...
    def __getitem__(self, i: int | slice) -> NormalisedName | list[NormalisedName]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        ids = self._flat[int(self._offsets[i]) : int(self._offsets[i + 1])].tolist()
        index = self._index
        skels = index.skel_strings
        return NormalisedName(
            tuple(index.token_strings[t] for t in ids),
            tuple(skels[index.token_skel[t]] for t in ids),
            **{flag: bool(values[i]) for flag, values in self._flags.items()},
        )

    def __iter__(self) -> Iterator[NormalisedName]:
        for i in range(len(self)):
            yield self[i]
