"""Matching index: PDQ by Hamming range search with exact recall, MD5/SHA-256 by equality.

PDQ design: multi-index hashing (Norouzi et al., "Fast search in Hamming space with multi-index
hashing"). The 256 bits are cut into 16 substrings of 16 bits. If two hashes are within distance
``d``, by the pigeonhole principle at least one of the 16 substrings differs in at most
``d // 16`` bits: at 31, one substring is equal or one bit away. So each query looks up, in each of
16 tables, its own substring and its 16 one-bit neighbours (17 buckets); every row in those buckets
is a candidate, and candidates are verified against the full 256 bits. No true match can be missed,
so recall is 1.0 by construction; the tests check it against brute force.

Each table is a CSR layout: ``perm[t]`` lists row numbers sorted by substring ``t`` and
``offsets[t][key]`` is where bucket ``key`` starts. With uint32 row numbers a 10-million-hash index
takes 320 MB of hashes + 640 MB of tables; ids cost nothing when they are the row numbers (the
``MatchIndex`` case) and 4 or 8 bytes each otherwise.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ctnet.hashes.engine.errors import IndexFormatError, InvalidSignal
from ctnet.hashes.engine.signals import (
    PDQ_DEFAULT_MAX_DISTANCE,
    PDQ_HASH_BITS,
    PDQ_MAX_SUPPORTED_DISTANCE,
    PdqSignal,
    get_signal_type,
)

HASH_BYTES = PDQ_HASH_BITS // 8
N_TABLES = 16
SUBSTRING_BITS = PDQ_HASH_BITS // N_TABLES
N_BUCKETS = 1 << SUBSTRING_BITS
#: Bumped whenever the saved layout changes, so that an old file is refused, not misread.
INDEX_FORMAT_VERSION = 1
#: Candidates verified per batch: bounds the temporary memory of a query batch (~100 MB).
_CANDIDATE_BUDGET = 2_000_000

SignalId = int | str


def _flip_masks(radius: int) -> np.ndarray:
    """XOR masks of every 16-bit value with at most ``radius`` bits set (0 first)."""
    masks = [0]
    for r in range(1, radius + 1):
        for bits in itertools.combinations(range(SUBSTRING_BITS), r):
            masks.append(sum(1 << b for b in bits))
    return np.asarray(masks, dtype=np.int64)


def _as_hash_matrix(hashes: np.ndarray, what: str) -> np.ndarray:
    array = np.ascontiguousarray(hashes)
    if array.dtype != np.uint8 or array.ndim != 2 or array.shape[1] != HASH_BYTES:
        raise ValueError(
            f"{what} must be a uint8 array of shape (n, {HASH_BYTES}), got "
            f"{array.dtype} {array.shape}"
        )
    return array


def _substrings(hashes: np.ndarray) -> np.ndarray:
    """(n, 32) uint8 -> (n, 16) int64 keys, substring t = bytes 2t and 2t+1, big-endian."""
    return hashes.view(">u2").astype(np.int64)


def _columns(hashes: np.ndarray) -> np.ndarray:
    """(n, 32) uint8 -> (4, n) uint64, each row one 64-bit word of every hash."""
    return np.ascontiguousarray(np.ascontiguousarray(hashes).view(np.uint64).T)


def _expand_ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenate ``arange(s, s + l)`` for every (s, l) without a Python loop."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    shift = np.repeat(starts - (ends - lengths), lengths)
    return np.arange(total, dtype=np.int64) + shift


class PdqIndex:
    """Exact Hamming range search over PDQ hashes. Build once, query many times; immutable."""

    def __init__(
        self,
        columns: np.ndarray,
        ids: np.ndarray | None,
        perm: np.ndarray,
        offsets: np.ndarray,
        checkpoint: int = 0,
    ) -> None:
        # Use build() or load(); this constructor trusts its arrays.
        # (4, n) uint64: word w of every hash, contiguous, for fast one-dimensional gathers.
        self._columns = columns
        self._ids = ids
        self._perm = perm
        self._offsets = offsets
        self.checkpoint = checkpoint

    def __len__(self) -> int:
        return int(self._columns.shape[1])

    @property
    def nbytes(self) -> int:
        ids = 0 if self._ids is None else self._ids.nbytes
        return self._columns.nbytes + ids + self._perm.nbytes + self._offsets.nbytes

    @classmethod
    def build(cls, ids: np.ndarray, hashes: np.ndarray, checkpoint: int = 0) -> PdqIndex:
        """Index ``hashes`` (uint8, shape (n, 32)) under ``ids`` (int64, shape (n,)).

        ``checkpoint`` is the bank version the index was built from, saved with it so that a
        process can tell whether the index it holds is the current one.
        """
        hashes = _as_hash_matrix(hashes, "hashes")
        ids = np.asarray(ids, dtype=np.int64)
        n = hashes.shape[0]
        if ids.shape != (n,):
            raise ValueError(f"ids must have shape ({n},), got {ids.shape}")
        if n >= 1 << 32:
            raise ValueError("an index holds at most 2**32 - 1 hashes; shard the bank")
        # One table at a time, as uint16: converting all keys to int64 at once would briefly
        # cost 128 bytes per hash (1.3 GB at 10 million).
        keys = hashes.view(">u2")
        perm = np.empty((N_TABLES, n), dtype=np.uint32)
        offsets = np.zeros((N_TABLES, N_BUCKETS + 1), dtype=np.int64)
        for t in range(N_TABLES):
            column = keys[:, t].astype(np.uint16)
            perm[t] = np.argsort(column, kind="stable")  # radix sort for 16-bit keys
            np.cumsum(np.bincount(column, minlength=N_BUCKETS), out=offsets[t, 1:])
        return cls(_columns(hashes), _compact_ids(ids), perm, offsets, checkpoint)

    def hashes(self) -> np.ndarray:
        """The indexed hashes as a (n, 32) uint8 array, in build order."""
        return np.ascontiguousarray(self._columns.T).view(np.uint8).reshape(len(self), HASH_BYTES)

    def query(
        self, hashes: np.ndarray, max_distance: int = PDQ_DEFAULT_MAX_DISTANCE
    ) -> list[tuple[int, int, int]]:
        """Every (query_idx, id, distance) with distance <= max_distance, sorted by query_idx,
        then distance, then id."""
        qidx, ids, dist = self.query_arrays(hashes, max_distance)
        return list(zip(qidx.tolist(), ids.tolist(), dist.tolist(), strict=True))

    def query_arrays(
        self, hashes: np.ndarray, max_distance: int = PDQ_DEFAULT_MAX_DISTANCE
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Like ``query`` but as three arrays (query_idx, id, distance): no Python objects."""
        queries = _as_hash_matrix(hashes, "queries")
        if not 0 <= max_distance <= PDQ_MAX_SUPPORTED_DISTANCE:
            raise ValueError(
                f"max_distance must be between 0 and {PDQ_MAX_SUPPORTED_DISTANCE}, "
                f"got {max_distance}"
            )
        masks = _flip_masks(max_distance // N_TABLES)
        expected = max(1.0, N_TABLES * len(masks) * len(self) / N_BUCKETS)
        batch = max(1, int(_CANDIDATE_BUDGET // expected))
        parts = [
            self._query_batch(queries[start : start + batch], start, masks, max_distance)
            for start in range(0, queries.shape[0], batch)
        ]
        qidx = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
        rows = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
        dist = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, np.int64)
        ids = rows if self._ids is None else self._ids[rows].astype(np.int64)
        order = np.lexsort((ids, dist, qidx))
        return qidx[order], ids[order], dist[order]

    def _query_batch(
        self, queries: np.ndarray, first: int, masks: np.ndarray, max_distance: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = len(self)
        m = queries.shape[0]
        # probes[q, t, f]: the bucket of table t that query q visits for flip mask f.
        probes = _substrings(queries)[:, :, None] ^ masks[None, None, :]
        tables = np.arange(N_TABLES)[None, :, None]
        starts = self._offsets[tables, probes]
        lengths = (self._offsets[tables, probes + 1] - starts).ravel()
        # Position in the flattened (16 * n) perm array.
        positions = _expand_ranges((starts + tables * n).ravel(), lengths)
        rows = self._perm.reshape(-1).take(positions).astype(np.int64)
        qidx = np.repeat(np.repeat(np.arange(m, dtype=np.int64), probes[0].size), lengths)
        rows, qidx, dist = self._verify(rows, qidx, _columns(queries), max_distance)
        # A near-duplicate shares many substrings, so it was found in several tables: dedupe.
        _, first_seen = np.unique(qidx * max(n, 1) + rows, return_index=True)
        return qidx[first_seen] + first, rows[first_seen], dist[first_seen].astype(np.int64)

    def _verify(
        self, rows: np.ndarray, qidx: np.ndarray, query_columns: np.ndarray, max_distance: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Keep the candidates within ``max_distance``, one 64-bit word at a time.

        Most candidates are unrelated hashes ~128 bits away, so after two words almost none are
        left: the last two words are fetched for the true matches only. One-dimensional ``take``
        on a column layout is several times faster than fancy-indexing (n, 32) rows.
        """
        dist = np.zeros(rows.shape[0], dtype=np.uint16)
        for word, (column, query_column) in enumerate(
            zip(self._columns, query_columns, strict=True)
        ):
            if word:
                keep = dist <= max_distance
                rows, qidx, dist = rows[keep], qidx[keep], dist[keep]
            dist += np.bitwise_count(column.take(rows) ^ query_column.take(qidx))
        keep = dist <= max_distance
        return rows[keep], qidx[keep], dist[keep]

    def save(self, path: str | Path) -> None:
        """Write the built index (atomically: a reader never sees a half-written file)."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fp:
            np.savez(
                fp,
                format_version=np.int64(INDEX_FORMAT_VERSION),
                checkpoint=np.int64(self.checkpoint),
                columns=self._columns,
                ids=np.zeros(0, np.int64) if self._ids is None else self._ids,
                ids_are_rows=np.bool_(self._ids is None),
                perm=self._perm,
                offsets=self._offsets,
            )
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: str | Path) -> PdqIndex:
        try:
            with np.load(path, allow_pickle=False) as data:
                version = int(data["format_version"])
                if version != INDEX_FORMAT_VERSION:
                    raise IndexFormatError(
                        f"{path}: index format {version}, this engine reads {INDEX_FORMAT_VERSION}"
                    )
                arrays = {k: data[k] for k in ("columns", "ids", "perm", "offsets")}
                ids_are_rows = bool(data["ids_are_rows"])
                checkpoint = int(data["checkpoint"])
        except (KeyError, ValueError, OSError) as exc:
            if isinstance(exc, FileNotFoundError):
                raise
            raise IndexFormatError(f"{path}: not a saved PDQ index ({exc})") from exc
        n = arrays["columns"].shape[1]
        if (
            arrays["columns"].shape != (HASH_BYTES // 8, n)
            or arrays["perm"].shape != (N_TABLES, n)
            or arrays["offsets"].shape
            != (
                N_TABLES,
                N_BUCKETS + 1,
            )
        ):
            raise IndexFormatError(f"{path}: inconsistent array shapes")
        ids = None if ids_are_rows else arrays["ids"]
        return cls(arrays["columns"], ids, arrays["perm"], arrays["offsets"], checkpoint)


def _compact_ids(ids: np.ndarray) -> np.ndarray | None:
    """None when ids are the row numbers; uint32 when they fit (half the memory of int64)."""
    if ids.size and np.array_equal(ids, np.arange(ids.size, dtype=np.int64)):
        return None
    if ids.size == 0:
        return None
    if ids.min() >= 0 and ids.max() < 1 << 32:
        return ids.astype(np.uint32)
    return ids


@dataclass(frozen=True, slots=True)
class Match:
    """A possible match: a person reviews it before anything is done (no automated decision)."""

    query_value: str
    signal_id: SignalId
    distance: int


class MatchIndex:
    """One index over every signal type of a bank: PDQ by distance, digests by equality."""

    def __init__(self, checkpoint: int = 0) -> None:
        self.checkpoint = checkpoint
        self._exact: dict[str, dict[str, list[SignalId]]] = {}
        self._pdq_ids: list[SignalId] = []
        self._pdq: PdqIndex | None = None

    @classmethod
    def build(cls, entries: Iterable[tuple[SignalId, str, str]], checkpoint: int = 0) -> MatchIndex:
        """Index ``(signal_id, signal_type, value)`` entries. Raises ``UnknownSignalType`` or
        ``InvalidSignal`` on the first bad entry."""
        index = cls(checkpoint)
        pdq_values: list[str] = []
        for signal_id, type_name, value in entries:
            signal_type = get_signal_type(type_name)
            normalised = signal_type.validate(value)
            if signal_type is PdqSignal:
                pdq_values.append(normalised)
                index._pdq_ids.append(signal_id)
            else:
                bucket = index._exact.setdefault(signal_type.name, {})
                bucket.setdefault(normalised, []).append(signal_id)
        if pdq_values:
            rows = np.arange(len(pdq_values), dtype=np.int64)
            index._pdq = PdqIndex.build(rows, PdqSignal.to_bytes(pdq_values), checkpoint)
        return index

    def match(
        self, signal_type: str, values: Sequence[str], max_distance: int | None = None
    ) -> list[Match]:
        """Matches of every value, in the order of ``values`` then by distance."""
        kind = get_signal_type(signal_type)
        normalised = [kind.validate(v) for v in values]
        if kind.exact:
            if max_distance not in (None, 0):
                raise InvalidSignal(f"{kind.name} only matches exactly; max_distance must be 0")
            table = self._exact.get(kind.name, {})
            return [Match(v, sid, 0) for v in normalised for sid in table.get(v, ())]
        if self._pdq is None or not normalised:
            return []
        limit = kind.default_max_distance if max_distance is None else max_distance
        qidx, rows, dist = self._pdq.query_arrays(PdqSignal.to_bytes(normalised), limit)
        return [
            Match(normalised[q], self._pdq_ids[r], d)
            for q, r, d in zip(qidx.tolist(), rows.tolist(), dist.tolist(), strict=True)
        ]
