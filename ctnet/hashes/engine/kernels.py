"""Compiled loops of the PDQ index (numba): table build by counting sort, and search.

Why compiled code: the search is memory-bound (one random read of a candidate's 32 bytes each),
and a numpy version materialises every candidate in several temporary arrays on top of that; a
loop that reads a candidate and keeps it or not does the same reads with no temporaries, and
without the GIL, so two threads search two halves of a batch. numba is used rather than a C
extension because it needs no compiler on the machine that installs ctnet and the loops stay
readable Python; the cache (``cache=True``) keeps the one-off compilation out of every process
start after the first.

Layout the functions share (see ``index.py``): ``words`` is the (n, 4) uint64 view of the
(n, 32) hashes, read as one 256-bit little-endian integer per row; substring ``t`` is its bits
``SUBSTRING_BITS * t`` to ``SUBSTRING_BITS * (t + 1)``, split into a group (high bits) and a
suffix (low ``SUFFIX_BITS``). ``tables`` is (N_TABLES, n) uint32: entries ``row | suffix <<
ROW_BITS`` sorted by group. ``offsets`` is (N_TABLES, N_GROUPS + 1) uint32: group ``g`` of table
``t`` spans ``offsets[t, g]:offsets[t, g + 1]``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

N_TABLES = 11
SUBSTRING_BITS = 23
#: A substring's high bits choose its bucket ("group"); its low SUFFIX_BITS are kept in the
#: entry beside the row number (row | suffix << ROW_BITS), so 2**19 offsets per table suffice
#: where 2**23 would cost 369 MB at 11 tables.
SUFFIX_BITS = 4
GROUP_BITS = SUBSTRING_BITS - SUFFIX_BITS
N_GROUPS = 1 << GROUP_BITS
ROW_BITS = 32 - SUFFIX_BITS
MAX_ROWS = 1 << ROW_BITS
_KEY_MASK = np.uint64((1 << SUBSTRING_BITS) - 1)
_SUFFIX_MASK = (1 << SUFFIX_BITS) - 1
_ROW_MASK = np.uint32(MAX_ROWS - 1)


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
def _substring(w0: Any, w1: Any, w2: Any, w3: Any, t: int) -> Any:
    """Bits ``23t .. 23t + 22`` of the 256-bit integer (w0 lowest), as an int64 key."""
    start = SUBSTRING_BITS * t
    word = start // 64
    shift = start % 64
    low = w0 if word == 0 else w1 if word == 1 else w2 if word == 2 else w3
    x = low >> np.uint64(shift)
    if shift + SUBSTRING_BITS > 64:
        high = w1 if word == 0 else w2 if word == 1 else w3
        x |= high << np.uint64(64 - shift)
    return np.int64(x & _KEY_MASK)


def build_tables(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(tables, offsets) of (n, 32) uint8 ``hashes``.

    The arrays are allocated here, by numpy, not inside the compiled loop: numpy asks the kernel
    for huge pages on large arrays (madvise), numba's allocator does not, and a search over
    tables on 4 KiB pages was 1.35-1.39x slower at 10,000,000 hashes (docs/hashes.md), every
    read being a TLB miss as well as a cache miss. A saved index mapped from its file gets huge
    pages from the page cache already.
    """
    tables = np.empty((N_TABLES, hashes.shape[0]), dtype=np.uint32)
    offsets = np.zeros((N_TABLES, N_GROUPS + 1), dtype=np.uint32)
    _fill_tables(hashes, tables, offsets)
    return tables, offsets


@njit(nogil=True, cache=True)
def _fill_tables(hashes: np.ndarray, tables: np.ndarray, offsets: np.ndarray) -> None:
    """Fill ``tables`` and the zeroed ``offsets`` from ``hashes``, one table at a time.

    A counting sort by group: one pass counts each group into ``offsets``, one pass writes each
    entry at its group's start, moving the start up; the starts then sit one group late and are
    shifted back. Rows stay in ascending order within a group, and nothing is allocated beyond
    the result (``argsort`` would add an int64 permutation per table).
    """
    n = hashes.shape[0]
    words = hashes.view(np.uint64)
    for t in range(N_TABLES):
        starts = offsets[t]
        for row in range(n):
            key = _substring(words[row, 0], words[row, 1], words[row, 2], words[row, 3], t)
            starts[(key >> SUFFIX_BITS) + 1] += 1
        for group in range(N_GROUPS):
            starts[group + 1] += starts[group]
        for row in range(n):
            key = _substring(words[row, 0], words[row, 1], words[row, 2], words[row, 3], t)
            group = key >> SUFFIX_BITS
            tables[t, starts[group]] = row | ((key & _SUFFIX_MASK) << ROW_BITS)
            starts[group] += 1
        for group in range(N_GROUPS, 0, -1):
            starts[group] = starts[group - 1]
        starts[0] = 0


@njit(nogil=True, cache=True, inline="always")
def _found_earlier(x0: Any, x1: Any, x2: Any, x3: Any, t: int, radii: np.ndarray) -> bool:
    """Whether the candidate was within its radius in a table before ``t`` (so already kept)."""
    for earlier in range(t):
        if (
            radii[earlier] >= 0
            and np.int64(_popcount(np.uint64(_substring(x0, x1, x2, x3, earlier))))
            <= radii[earlier]
        ):
            return True
    return False


@njit(nogil=True, cache=True)
def search(
    words: np.ndarray,
    tables: np.ndarray,
    offsets: np.ndarray,
    query_words: np.ndarray,
    masks: np.ndarray,
    mask_counts: np.ndarray,
    radii: np.ndarray,
    max_distance: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(query_idx, row, distance) of every row within ``max_distance`` of every query, each once.

    Table ``t`` is searched for every key within ``radii[t]`` bits of the query's substring:
    for each XOR mask of the group bits with at most ``radii[t]`` bits (the first
    ``mask_counts[radii[t]]`` of ``masks``, ordered by their number of bits), the entries of
    that group whose suffix is within the remaining bits. A table of radius -1 is not searched.
    ``index.py`` chooses radii so that every row within ``max_distance`` is within its radius in
    at least one table; a row is reported from the first such table only.
    """
    capacity = 1024
    out_q = np.empty(capacity, dtype=np.int64)
    out_r = np.empty(capacity, dtype=np.int64)
    out_d = np.empty(capacity, dtype=np.int64)
    count = 0
    for q in range(query_words.shape[0]):
        q0, q1, q2, q3 = query_words[q, 0], query_words[q, 1], query_words[q, 2], query_words[q, 3]
        for t in range(N_TABLES):
            radius = radii[t]
            if radius < 0:
                continue
            table = tables[t]
            own = _substring(q0, q1, q2, q3, t)
            own_group, own_suffix = own >> SUFFIX_BITS, np.uint32(own & _SUFFIX_MASK)
            for m in range(mask_counts[radius]):
                left = radius - np.int64(_popcount(np.uint64(masks[m])))
                group = own_group ^ masks[m]
                for position in range(np.int64(offsets[t, group]), np.int64(offsets[t, group + 1])):
                    entry = table[position]
                    suffix = np.uint64((entry >> np.uint32(ROW_BITS)) ^ own_suffix)
                    if np.int64(_popcount(suffix)) > left:
                        continue
                    row = np.int64(entry & _ROW_MASK)
                    x0, x1 = words[row, 0] ^ q0, words[row, 1] ^ q1
                    x2, x3 = words[row, 2] ^ q2, words[row, 3] ^ q3
                    distance = np.int64(
                        _popcount(x0) + _popcount(x1) + _popcount(x2) + _popcount(x3)
                    )
                    if distance > max_distance or _found_earlier(x0, x1, x2, x3, t, radii):
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
