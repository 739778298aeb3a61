"""Compiled loops of the PDQ index (numba): table build by counting sort, and search.

Why compiled code: the numpy search materialises every candidate (about 40,000 per query at
10 million hashes) in several temporary arrays and makes a pass over them per 64-bit word; a loop
that reads a candidate's 32 bytes (one cache line) and keeps it or not does the same work with
no temporaries, and without the GIL, so two threads search two halves of a batch. numba is used
rather than a C extension because it needs no compiler on the machine that installs ctnet and
the loops stay readable Python; the cache (``cache=True``) keeps the one-off compilation (about
2 s) out of every process start after the first.

Layout the functions share (see ``index.py``): ``words`` is the (n, 4) uint64 view of the
(n, 32) hashes; ``tables`` is (16, n * row_bytes) uint8, the row numbers of table ``t`` sorted by
substring ``t`` (bytes ``2t`` and ``2t + 1``, big-endian), ``row_bytes`` little-endian bytes each;
``offsets`` is (16, 65537) int64, bucket ``key`` of table ``t`` spanning
``offsets[t, key]:offsets[t, key + 1]``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

N_TABLES = 16
N_BUCKETS = 1 << 16
_LOW16 = np.uint64(0xFFFF)


@intrinsic
def _ctpop(typingctx: Any, x: Any) -> Any:
    """Hardware popcount of a uint64 (LLVM's ctpop; numba exposes no popcount of its own)."""
    sig = types.uint64(types.uint64)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.ctpop(args[0])

    return sig, codegen


# Seen by numba as the intrinsic itself; typed for mypy as what compiled code calls.
_popcount = cast("Callable[[Any], Any]", _ctpop)


@njit(nogil=True, cache=True, inline="always")
def _key(hashes: np.ndarray, row: int, t: int) -> Any:
    return (np.int64(hashes[row, 2 * t]) << 8) | np.int64(hashes[row, 2 * t + 1])


@njit(nogil=True, cache=True)
def build_tables(hashes: np.ndarray, row_bytes: int) -> tuple[np.ndarray, np.ndarray]:
    """(tables, offsets) of (n, 32) uint8 ``hashes``, one table at a time.

    A counting sort: one pass counts each bucket, one pass writes each row number at its
    bucket's cursor. Rows stay in ascending order within a bucket and nothing but the result and
    a 65,536-entry cursor is allocated (``argsort`` would add an int64 permutation per table).
    """
    n = hashes.shape[0]
    tables = np.empty((N_TABLES, n * row_bytes), dtype=np.uint8)
    offsets = np.zeros((N_TABLES, N_BUCKETS + 1), dtype=np.int64)
    cursor = np.empty(N_BUCKETS, dtype=np.int64)
    for t in range(N_TABLES):
        for row in range(n):
            offsets[t, _key(hashes, row, t) + 1] += 1
        for key in range(N_BUCKETS):
            offsets[t, key + 1] += offsets[t, key]
            cursor[key] = offsets[t, key]
        for row in range(n):
            key = _key(hashes, row, t)
            at = cursor[key] * row_bytes
            cursor[key] += 1
            for b in range(row_bytes):
                tables[t, at + b] = (row >> (8 * b)) & 0xFF
    return tables, offsets


@njit(nogil=True, cache=True, inline="always")
def _row_at(table: np.ndarray, position: int, row_bytes: int) -> Any:
    at = position * row_bytes
    if row_bytes == 3:
        return (
            np.int64(table[at]) | (np.int64(table[at + 1]) << 8) | (np.int64(table[at + 2]) << 16)
        )
    row: Any = 0
    for b in range(row_bytes):
        row |= np.int64(table[at + b]) << (8 * b)
    return row


@njit(nogil=True, cache=True, inline="always")
def _found_earlier(x0: Any, x1: Any, x2: Any, x3: Any, t: int, radius: int) -> bool:
    """Whether the candidate was within ``radius`` in a table before ``t`` (so already kept)."""
    for earlier in range(t):
        word = earlier // 4
        x = x0 if word == 0 else x1 if word == 1 else x2 if word == 2 else x3
        if np.int64(_popcount((x >> np.uint64(16 * (earlier % 4))) & _LOW16)) <= radius:
            return True
    return False


@njit(nogil=True, cache=True)
def search(
    words: np.ndarray,
    tables: np.ndarray,
    offsets: np.ndarray,
    row_bytes: int,
    queries: np.ndarray,
    query_words: np.ndarray,
    masks: np.ndarray,
    max_distance: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(query_idx, row, distance) of every row within ``max_distance`` of every query, each once.

    ``masks`` are the XOR masks of every 16-bit value with at most ``radius`` bits set; a row is
    reported from the first table whose substring is within ``radius`` of the query's, which by
    the pigeonhole principle exists for every row within ``max_distance`` (see ``index.py``).
    """
    radius = max_distance // N_TABLES
    capacity = 1024
    out_q = np.empty(capacity, dtype=np.int64)
    out_r = np.empty(capacity, dtype=np.int64)
    out_d = np.empty(capacity, dtype=np.int64)
    count = 0
    for q in range(queries.shape[0]):
        q0, q1, q2, q3 = query_words[q, 0], query_words[q, 1], query_words[q, 2], query_words[q, 3]
        for t in range(N_TABLES):
            table = tables[t]
            own = _key(queries, q, t)
            for mask in masks:
                key = own ^ mask
                for position in range(offsets[t, key], offsets[t, key + 1]):
                    row = _row_at(table, position, row_bytes)
                    x0, x1 = words[row, 0] ^ q0, words[row, 1] ^ q1
                    x2, x3 = words[row, 2] ^ q2, words[row, 3] ^ q3
                    distance = np.int64(
                        _popcount(x0) + _popcount(x1) + _popcount(x2) + _popcount(x3)
                    )
                    if distance > max_distance or _found_earlier(x0, x1, x2, x3, t, radius):
                        continue
                    if count == capacity:
                        capacity *= 2
                        out_q = _grown(out_q, capacity)
                        out_r = _grown(out_r, capacity)
                        out_d = _grown(out_d, capacity)
                    out_q[count], out_r[count], out_d[count] = q, row, distance
                    count += 1
    return out_q[:count], out_r[:count], out_d[:count]


@njit(nogil=True, cache=True)
def _grown(array: np.ndarray, capacity: int) -> np.ndarray:
    bigger = np.empty(capacity, dtype=array.dtype)
    bigger[: array.shape[0]] = array
    return bigger
