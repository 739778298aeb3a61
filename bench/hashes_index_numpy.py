"""The PDQ index as it was before the compiled kernel (format 1, commit dfb187f): numpy only.

Kept verbatim (search part only, trimmed of saving and loading) as the baseline that
bench_hashes.py measures the compiled kernel against, in the same process on the same corpus.
"""

from __future__ import annotations

import itertools

import numpy as np

HASH_BYTES = 32
N_TABLES = 16
SUBSTRING_BITS = 16
N_BUCKETS = 1 << SUBSTRING_BITS
_CANDIDATE_BUDGET = 2_000_000
PDQ_DEFAULT_MAX_DISTANCE = 31
PDQ_MAX_SUPPORTED_DISTANCE = 63


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


class NumpyPdqIndex:
    """Exact Hamming range search over PDQ hashes, verified with numpy (the former engine)."""

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
    def build(cls, ids: None, hashes: np.ndarray, checkpoint: int = 0) -> NumpyPdqIndex:
        """Index ``hashes`` (uint8, shape (n, 32)) under ``ids`` (int64, shape (n,)).

        ``checkpoint`` is the bank version the index was built from, saved with it so that a
        process can tell whether the index it holds is the current one.
        """
        hashes = _as_hash_matrix(hashes, "hashes")
        # The benchmark indexes row numbers only (ids=None), as our index does there.
        n = hashes.shape[0]
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
        return cls(_columns(hashes), None, perm, offsets, checkpoint)

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
