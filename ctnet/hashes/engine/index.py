"""Matching index: PDQ by Hamming range search with exact recall, MD5/SHA-256 by equality.

PDQ design: multi-index hashing (Norouzi et al., "Fast search in Hamming space with multi-index
hashing"). 253 of the 256 bits are cut into 11 substrings of 23 bits, each the key of a table.
If two hashes are within distance ``d`` and table ``t`` is searched for every key within ``r_t``
bits of the query's substring, a match is found as long as the ``r_t + 1`` add up to more than
``d``: otherwise every substring would differ by more than its radius and the distance would be
at least that sum (``probe_radii``). At 31: radius 2 in 10 tables and 1 in one (3 x 10 + 2 = 32).
Every row within those radii is a candidate, verified against the full 256 bits. No true match
can be missed, so recall is 1.0 by construction; the tests check it against brute force. A row
found in several tables is reported from the first one only (``kernels.search``).

Why 11 x 23 bits: the search is bound by random memory reads, about one per candidate and one
or two per bucket. At 10 million hashes and distance 31, 16 tables of 16 bits (the previous
design) visit 272 buckets but 41,500 candidates per query (expected for uniform hashes); 12 of
21 bits, 1,944 buckets and 9,300 candidates; 11 of 23 bits, 1,930 groups and 3,300 candidates.
A table of 2**23 buckets would need 32 MB of offsets, so each table has 2**19 groups (its
substring's high 19 bits) and each entry carries the other 4 bits beside its row number, checked
before the row is read.

Memory (docs/hashes.md measures it): the (n, 32) hashes as given, 11 tables of uint32 entries
(28 bits of row number, so at most 2**28 rows) and 11 x 2**19 uint32 group offsets (23 MB): at
10 million, 320 + 440 + 23 MB. The build allocates nothing else of that size (a counting sort,
``kernels.build_tables``), and the index keeps the caller's hash array rather than a copy, so the
build peak is the index itself. Ids cost nothing when they are the row numbers (the
``MatchIndex`` case) and 4 or 8 bytes each otherwise.

The saved file (``save``/``load``) is the arrays raw at aligned offsets behind a JSON header with
a CRC-32 of each: ``load`` checks it and maps the file read-only, so loading costs a read of the
file rather than a rebuild, and processes that load the same file share its pages.
"""

from __future__ import annotations

import functools
import itertools
import json
import mmap
import os
import zlib
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from ctnet.hashes.engine import kernels
from ctnet.hashes.engine.errors import IndexFormatError, InvalidSignal
from ctnet.hashes.engine.signals import (
    PDQ_DEFAULT_MAX_DISTANCE,
    PDQ_HASH_BITS,
    PDQ_MAX_SUPPORTED_DISTANCE,
    PdqSignal,
    get_signal_type,
)

HASH_BYTES = PDQ_HASH_BITS // 8
N_TABLES = kernels.N_TABLES
SUBSTRING_BITS = kernels.SUBSTRING_BITS
N_GROUPS = kernels.N_GROUPS
#: Bumped whenever the saved layout changes, so that an old file is refused, not misread.
#: 2: raw arrays behind a JSON header (mapped), row-major hashes, 11 tables of 23 bits whose
#: entries are row | 4-bit suffix << 28.
INDEX_FORMAT_VERSION = 2
_MAGIC = b"CTNETPDQ"
_ALIGN = 64
_CHUNK = 1 << 20  # checksum reads: small, so that verifying adds nothing to the peak
#: A batch is cut into pieces of at least this many queries, searched by ``threads`` threads.
_MIN_QUERIES_PER_TASK = 64

SignalId = int | str


def default_threads() -> int:
    """The cores this process may run on (its affinity mask, not the machine's count)."""
    return max(1, len(os.sched_getaffinity(0)))


@functools.cache
def _flip_masks(radius: int) -> tuple[np.ndarray, np.ndarray]:
    """XOR masks of the group bits of a substring with at most ``radius`` bits set, by number
    of bits (0 first), and how many masks have at most 0, 1, ... ``radius`` bits. The suffix
    bits are compared entry by entry (``kernels.search``)."""
    masks = [0]
    counts = [1]
    for r in range(1, radius + 1):
        for bits in itertools.combinations(range(kernels.GROUP_BITS), r):
            masks.append(sum(1 << b for b in bits))
        counts.append(len(masks))
    return np.asarray(masks, dtype=np.int64), np.asarray(counts, dtype=np.int64)


def probe_radii(max_distance: int) -> np.ndarray:
    """Per table, the radius to probe so that no row within ``max_distance`` is missed.

    The ``radius + 1`` must add up to at least ``max_distance + 1`` (module docstring): spread
    evenly, the remainder one more in the first tables. -1: the table is not probed at all
    (below distance 10, fewer than 11 tables are needed).
    """
    per_table, extra = divmod(max_distance + 1, N_TABLES)
    return np.asarray(
        [per_table - 1 + (1 if t < extra else 0) for t in range(N_TABLES)], dtype=np.int64
    )


def _as_hash_matrix(hashes: np.ndarray, what: str) -> np.ndarray:
    array = np.ascontiguousarray(hashes)
    if array.dtype != np.uint8 or array.ndim != 2 or array.shape[1] != HASH_BYTES:
        raise ValueError(
            f"{what} must be a uint8 array of shape (n, {HASH_BYTES}), got "
            f"{array.dtype} {array.shape}"
        )
    return array


def _words(hashes: np.ndarray) -> np.ndarray:
    """(n, 32) uint8 -> (n, 4) uint64 view (no copy)."""
    return hashes.view(np.uint64)


class PdqIndex:
    """Exact Hamming range search over PDQ hashes. Build once, query many times; immutable."""

    def __init__(
        self,
        hashes: np.ndarray,
        ids: np.ndarray | None,
        tables: np.ndarray,
        offsets: np.ndarray,
        checkpoint: int = 0,
    ) -> None:
        # Use build() or load(); this constructor trusts its arrays.
        self._hashes = hashes
        self._ids = ids
        self._tables = tables
        self._offsets = offsets
        self.checkpoint = checkpoint

    def __len__(self) -> int:
        return int(self._hashes.shape[0])

    @property
    def nbytes(self) -> int:
        ids = 0 if self._ids is None else self._ids.nbytes
        return self._hashes.nbytes + ids + self._tables.nbytes + self._offsets.nbytes

    @classmethod
    def build(cls, ids: np.ndarray | None, hashes: np.ndarray, checkpoint: int = 0) -> PdqIndex:
        """Index ``hashes`` (uint8, shape (n, 32)) under ``ids`` (int64, shape (n,); None: the
        row numbers, which costs no memory).

        The index keeps ``hashes`` itself when it is a contiguous uint8 array (a copy would
        double their memory at the build peak): do not modify it afterwards. ``checkpoint`` is
        the bank version the index was built from, saved with it so that a process can tell
        whether the index it holds is the current one.
        """
        hashes = _as_hash_matrix(hashes, "hashes")
        n = hashes.shape[0]
        ids = None if ids is None else np.asarray(ids, dtype=np.int64)
        if ids is not None and ids.shape != (n,):
            raise ValueError(f"ids must have shape ({n},), got {ids.shape}")
        if n > kernels.MAX_ROWS:
            raise ValueError(f"an index holds at most {kernels.MAX_ROWS:,} hashes; shard the bank")
        tables, offsets = kernels.build_tables(hashes)
        return cls(hashes, _compact_ids(ids), tables, offsets, checkpoint)

    def hashes(self) -> np.ndarray:
        """The indexed hashes as a (n, 32) uint8 array, in build order (read-only view)."""
        view = self._hashes.view()
        view.flags.writeable = False
        return view

    def query(
        self, hashes: np.ndarray, max_distance: int = PDQ_DEFAULT_MAX_DISTANCE
    ) -> list[tuple[int, int, int]]:
        """Every (query_idx, id, distance) with distance <= max_distance, sorted by query_idx,
        then distance, then id."""
        qidx, ids, dist = self.query_arrays(hashes, max_distance)
        return list(zip(qidx.tolist(), ids.tolist(), dist.tolist(), strict=True))

    def query_arrays(
        self,
        hashes: np.ndarray,
        max_distance: int = PDQ_DEFAULT_MAX_DISTANCE,
        *,
        threads: int | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Like ``query`` but as three arrays (query_idx, id, distance): no Python objects.

        A batch is searched by ``threads`` threads (default: the cores this process may use);
        the search releases the GIL, so they run at once.
        """
        queries = _as_hash_matrix(hashes, "queries")
        if not 0 <= max_distance <= PDQ_MAX_SUPPORTED_DISTANCE:
            raise ValueError(
                f"max_distance must be between 0 and {PDQ_MAX_SUPPORTED_DISTANCE}, "
                f"got {max_distance}"
            )
        radii = probe_radii(max_distance)
        masks = (*_flip_masks(int(radii.max())), radii)
        m = queries.shape[0]
        workers = max(1, min(threads or default_threads(), m // _MIN_QUERIES_PER_TASK))
        if len(self) == 0 or m == 0:
            parts = []
        elif workers == 1:
            parts = [self._search(queries, masks, max_distance)]
        else:
            bounds = np.linspace(0, m, 4 * workers + 1).astype(np.int64)
            with ThreadPoolExecutor(max_workers=workers) as pool:
                parts = list(
                    pool.map(
                        lambda a, b: self._search(queries[a:b], masks, max_distance, first=a),
                        bounds[:-1].tolist(),
                        bounds[1:].tolist(),
                    )
                )
        empty = np.zeros(0, np.int64)
        qidx = np.concatenate([p[0] for p in parts]) if parts else empty
        rows = np.concatenate([p[1] for p in parts]) if parts else empty
        dist = np.concatenate([p[2] for p in parts]) if parts else empty
        ids = rows if self._ids is None else self._ids[rows].astype(np.int64)
        order = np.lexsort((ids, dist, qidx))
        return qidx[order], ids[order], dist[order]

    def _search(
        self,
        queries: np.ndarray,
        masks: tuple[np.ndarray, np.ndarray, np.ndarray],
        max_distance: int,
        first: int = 0,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        flips, counts, radii = masks
        qidx, rows, dist = kernels.search(
            _words(self._hashes),
            self._tables,
            self._offsets,
            _words(np.ascontiguousarray(queries)),
            flips,
            counts,
            radii,
            max_distance,
        )
        return qidx + first, rows, dist

    def _arrays(self) -> dict[str, np.ndarray]:
        ids = np.zeros(0, np.int64) if self._ids is None else self._ids
        return {
            "hashes": self._hashes,
            "ids": ids,
            "tables": self._tables,
            "offsets": self._offsets,
        }

    def save(self, path: str | Path) -> None:
        """Write the built index (atomically: a reader never sees a half-written file)."""
        save_index_file(path, self)

    @staticmethod
    def saved_checkpoint(path: str | Path) -> int | None:
        """The checkpoint a saved index was built at, from its header (None: not an index)."""
        try:
            with open(path, "rb") as fp:
                header, _start = _read_header(fp, Path(path))
            return int(header["checkpoint"])
        except (OSError, IndexFormatError, KeyError, TypeError, ValueError):
            return None

    @classmethod
    def load(cls, path: str | Path, *, verify: bool = True) -> PdqIndex:
        """Map a saved index read-only. Raises ``IndexFormatError`` for a file of another format
        version, a damaged one (size, layout or, with ``verify``, any checksum) or not an index;
        ``FileNotFoundError`` when there is none."""
        return load_index_file(path, verify=verify)[0]

    @classmethod
    def _from_file(
        cls, path: Path, header: dict[str, Any], arrays: dict[str, np.ndarray]
    ) -> PdqIndex:
        try:
            hashes, tables, offsets = arrays["hashes"], arrays["tables"], arrays["offsets"]
            ids_array = arrays["ids"]
        except KeyError as exc:
            raise IndexFormatError(f"{path}: damaged layout (no array {exc})") from None
        n = hashes.shape[0]
        if (
            hashes.shape != (n, HASH_BYTES)
            or hashes.dtype != np.uint8
            or tables.shape != (N_TABLES, n)
            or tables.dtype != np.uint32
            or offsets.shape != (N_TABLES, N_GROUPS + 1)
            or offsets.dtype != np.uint32
        ):
            raise IndexFormatError(f"{path}: inconsistent array shapes")
        # The search trusts the bucket bounds: they must rise from 0 to n in every table (one
        # table at a time: a comparison of all of them at once would cost 25 MB of booleans).
        for bounds in offsets:
            if n and (bounds[0] != 0 or bounds[-1] != n or np.any(bounds[1:] < bounds[:-1])):
                raise IndexFormatError(f"{path}: inconsistent bucket offsets")
        ids = None if header.get("ids_are_rows") else ids_array
        if ids is not None and ids.shape != (n,):
            raise IndexFormatError(f"{path}: inconsistent array shapes")
        return cls(hashes, ids, tables, offsets, int(header.get("checkpoint", 0)))


def save_index_file(
    path: str | Path,
    index: PdqIndex,
    *,
    extra: dict[str, np.ndarray] | None = None,
    meta: dict[str, Any] | None = None,
) -> None:
    """Write ``index`` with ``extra`` arrays and ``meta`` (JSON) of the caller's beside it, in
    one file: what a whole bank needs besides its PDQ index (``bankfile``) is checked and
    mapped with it, and cannot drift from it."""
    arrays = index._arrays()
    clash = set(arrays) & set(extra or {})
    if clash:
        raise ValueError(f"extra arrays may not be named {sorted(clash)}")
    header = {
        "checkpoint": int(index.checkpoint),
        "ids_are_rows": index._ids is None,
        "meta": meta or {},
    }
    _write_file(Path(path), {**arrays, **(extra or {})}, header)


def load_index_file(
    path: str | Path, *, verify: bool = True
) -> tuple[PdqIndex, dict[str, np.ndarray], dict[str, Any]]:
    """(index, the extra arrays, meta) of a file ``save_index_file`` wrote; the arrays are
    mapped read-only. Raises as ``PdqIndex.load`` does."""
    path = Path(path)
    header, arrays = _read_file(path, verify)
    index = PdqIndex._from_file(path, header, arrays)
    extra = {k: v for k, v in arrays.items() if k not in ("hashes", "ids", "tables", "offsets")}
    meta = header.get("meta", {})
    if not isinstance(meta, dict):
        raise IndexFormatError(f"{path}: damaged header (meta)")
    return index, extra, meta


# --- The saved file --------------------------------------------------------------------------
# MAGIC (8 bytes) | header length (8 bytes, little-endian) | header (JSON) | arrays, each raw at
# a 64-byte aligned offset. numpy's .npz cannot be mapped (np.load reads its members whatever
# mmap_mode says), hence this small container.


def _bytes_of(array: np.ndarray) -> memoryview:
    return np.ascontiguousarray(array).reshape(-1).view(np.uint8).data


def _padded(nbytes: int) -> int:
    return -(-nbytes // _ALIGN) * _ALIGN


def _write_file(path: Path, arrays: dict[str, np.ndarray], header: dict[str, Any]) -> None:
    layout, offset = {}, 0
    for name, array in arrays.items():
        layout[name] = {
            "dtype": array.dtype.str,
            "shape": list(array.shape),
            "offset": offset,
            "nbytes": int(array.nbytes),
            "crc32": zlib.crc32(_bytes_of(array)),
        }
        offset += _padded(int(array.nbytes))
    full = {**header, "format_version": INDEX_FORMAT_VERSION, "arrays": layout, "size": offset}
    head = json.dumps(full, separators=(",", ":")).encode()
    start = _padded(len(_MAGIC) + 8 + len(head))
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as fp:
            fp.write(_MAGIC + len(head).to_bytes(8, "little") + head)
            fp.write(b"\0" * (start - fp.tell()))
            for array in arrays.values():
                data = _bytes_of(array)
                fp.write(data)
                fp.write(b"\0" * (_padded(len(data)) - len(data)))
            fp.flush()
            os.fsync(fp.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _read_header(fp: BinaryIO, path: Path) -> tuple[dict[str, Any], int]:
    first = fp.read(len(_MAGIC) + 8)
    if len(first) < len(_MAGIC) + 8 or first[: len(_MAGIC)] != _MAGIC:
        raise IndexFormatError(f"{path}: not a saved PDQ index")
    size = int.from_bytes(first[len(_MAGIC) :], "little")
    try:
        header = json.loads(fp.read(min(size, 1 << 20)))
    except (ValueError, UnicodeDecodeError):
        header = None
    if not isinstance(header, dict) or size > 1 << 20:
        raise IndexFormatError(f"{path}: not a saved PDQ index (damaged header)")
    version = header.get("format_version")
    if version != INDEX_FORMAT_VERSION:
        raise IndexFormatError(
            f"{path}: index format {version}, this engine reads {INDEX_FORMAT_VERSION}"
        )
    return header, _padded(len(_MAGIC) + 8 + size)


def _read_file(path: Path, verify: bool) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    with open(path, "rb") as fp:
        header, start = _read_header(fp, path)
        layout = header.get("arrays")
        size = os.fstat(fp.fileno()).st_size
        if not isinstance(layout, dict) or size != start + header.get("size", -1):
            raise IndexFormatError(f"{path}: damaged (size {size} is not the size it states)")
        if verify:
            _verify(fp, start, layout, path)
        mapped = mmap.mmap(fp.fileno(), 0, access=mmap.ACCESS_READ)
    arrays: dict[str, np.ndarray] = {}
    try:
        for name, spec in layout.items():
            dtype = np.dtype(spec["dtype"])
            count = int(np.prod(spec["shape"], dtype=np.int64))
            if count * dtype.itemsize != spec["nbytes"]:
                raise IndexFormatError(f"{path}: array {name}: shape and size disagree")
            arrays[name] = np.frombuffer(
                mapped, dtype=dtype, count=count, offset=start + spec["offset"]
            ).reshape(spec["shape"])
    except (TypeError, KeyError, ValueError) as exc:
        raise IndexFormatError(f"{path}: damaged layout ({exc})") from None
    return header, arrays


def _verify(fp: BinaryIO, start: int, layout: dict[str, Any], path: Path) -> None:
    """CRC-32 of every array, read through the file so that the pages are not mapped here."""
    for name, spec in layout.items():
        fp.seek(start + spec["offset"])
        remaining, crc = int(spec["nbytes"]), 0
        while remaining:
            chunk = fp.read(min(_CHUNK, remaining))
            if not chunk:
                raise IndexFormatError(f"{path}: damaged (array {name} is truncated)")
            crc = zlib.crc32(chunk, crc)
            remaining -= len(chunk)
        if crc != spec["crc32"]:
            raise IndexFormatError(f"{path}: damaged (array {name} fails its checksum)")


def _compact_ids(ids: np.ndarray | None) -> np.ndarray | None:
    """None when ids are the row numbers; uint32 when they fit (half the memory of int64)."""
    if ids is None or _are_row_numbers(ids):
        return None
    if ids.min() >= 0 and ids.max() < 1 << 32:
        return ids.astype(np.uint32)
    return ids


def _are_row_numbers(ids: np.ndarray) -> bool:
    # In slices: comparing with one whole arange would add 8 bytes per hash to the build peak.
    step = 1 << 20
    for start in range(0, ids.size, step):
        chunk = ids[start : start + step]
        if not np.array_equal(chunk, np.arange(start, start + chunk.size, dtype=np.int64)):
            return False
    return True


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
            index._pdq = PdqIndex.build(None, PdqSignal.to_bytes(pdq_values), checkpoint)
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
