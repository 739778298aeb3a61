"""The candidate index as one saved file that every process maps (DESIGN.md, Serving).

A 1,000,000-entry index takes ~40 s and ~2.5 GB to build; a process that maps a saved one
shares its pages with every other process that maps it, and only touches what its queries read.
numpy's ``.npz`` cannot be mapped (``np.load`` reads its members into memory whatever
``mmap_mode`` says), so the file is a small container of its own:

    MAGIC (8 bytes) | header length (8 bytes, little-endian) | header (JSON) | arrays

Each array is raw, at a 64-byte aligned offset, and mapped read-only with ``np.frombuffer``.
The header holds the format version, the engine fingerprint (a change of the normaliser or the
index code changes what an index contains: such a file is stale), the caller's ``meta`` (the
platform's epoch and checkpoint, the command line's list checksum), the file's size and a
CRC-32 of each array. A file whose size, magic, version, fingerprint or any checksum is wrong
raises ``IndexFileError``: the caller rebuilds, it never uses a damaged or foreign file.

Files are written to a temporary name beside the target and renamed over it, so a reader sees
the old file or the new one, never half of one; a process that has the old file mapped keeps
reading it (the name moved, its pages did not).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import mmap
import os
import zlib
from collections.abc import Iterator, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, overload

import numpy as np

from ctnet.screening.engine.model import (
    DateOfBirth,
    DobKind,
    Document,
    NameKind,
    NameVariant,
    PlaceOfBirth,
    WatchlistEntry,
)

MAGIC = b"CTNETCI\x00"
# Raise when the layout or the meaning of an array changes.
FORMAT_VERSION = 1
ALIGN = 64
# The engine modules whose code decides what an index holds, and the libraries that
# transliterate names: a saved index built by other versions of them is stale.
_FINGERPRINT_MODULES = ("index.py", "normalise.py", "savedindex.py", "model.py")
_FINGERPRINT_PACKAGES = ("rigour", "PyICU")
_CHUNK = 16 << 20


class IndexFileError(Exception):
    """A saved index that must not be used (missing, damaged, stale or built for other data)."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def engine_fingerprint() -> str:
    """Hash of the code and library versions that decide an index's content."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in _FINGERPRINT_MODULES:
        digest.update((here / name).read_bytes())
    for package in _FINGERPRINT_PACKAGES:
        try:
            digest.update(metadata.version(package).encode())
        except metadata.PackageNotFoundError:
            digest.update(b"-")
    return digest.hexdigest()[:32]


def write(path: str | Path, arrays: Mapping[str, np.ndarray], header: Mapping[str, Any]) -> None:
    """Write ``arrays`` and ``header`` (JSON-able) atomically to ``path``."""
    path = Path(path)
    layout: dict[str, dict[str, Any]] = {}
    offset = 0
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        layout[name] = {
            "dtype": array.dtype.str,
            "shape": list(array.shape),
            "offset": offset,
            "nbytes": int(array.nbytes),
            "crc32": zlib.crc32(_bytes_of(array)),
        }
        offset += -(-int(array.nbytes) // ALIGN) * ALIGN
    full = {
        **header,
        "format": FORMAT_VERSION,
        "engine": engine_fingerprint(),
        "arrays": layout,
        "data_size": offset,
    }
    head = json.dumps(full, separators=(",", ":")).encode()
    start = -(-(len(MAGIC) + 8 + len(head)) // ALIGN) * ALIGN
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(tmp, "wb") as handle:
            handle.write(MAGIC + len(head).to_bytes(8, "little") + head)
            handle.write(b"\0" * (start - handle.tell()))
            for name, array in arrays.items():
                data = _bytes_of(array)
                handle.write(data)
                handle.write(b"\0" * (-len(data) % ALIGN))
                assert (
                    handle.tell()
                    == start + layout[name]["offset"] + -(-layout[name]["nbytes"] // ALIGN) * ALIGN
                )
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _bytes_of(array: np.ndarray) -> memoryview:
    return np.ascontiguousarray(array).reshape(-1).view(np.uint8).data


def _read_head(handle: Any, path: Path) -> tuple[dict[str, Any], int]:
    first = handle.read(len(MAGIC) + 8)
    if len(first) < len(MAGIC) + 8 or first[: len(MAGIC)] != MAGIC:
        raise IndexFileError(path, "not a saved candidate index")
    size = int.from_bytes(first[len(MAGIC) :], "little")
    if size > 64 << 20:
        raise IndexFileError(path, "damaged header")
    try:
        header = json.loads(handle.read(size))
    except (ValueError, UnicodeDecodeError):
        raise IndexFileError(path, "damaged header") from None
    if not isinstance(header, dict):
        raise IndexFileError(path, "damaged header")
    start = -(-(len(MAGIC) + 8 + size) // ALIGN) * ALIGN
    return header, start


def read_header(path: str | Path) -> dict[str, Any]:
    """The header alone (cheap: the arrays are not read); raises IndexFileError."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            header, _start = _read_head(handle, path)
    except OSError as exc:
        raise IndexFileError(path, f"cannot open: {exc.strerror}") from None
    return header


def read(
    path: str | Path, *, expect: Mapping[str, Any] | None = None, verify: bool = True
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """(header, arrays mapped read-only). Everything is checked before anything is returned:
    magic, format version, engine fingerprint, the header's ``meta`` against ``expect``, the
    file's size and (``verify``) every array's CRC-32, read through the file, not the map, so
    the check does not make the pages resident in this process."""
    path = Path(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed below; the map outlives it)
    except OSError as exc:
        raise IndexFileError(path, f"cannot open: {exc.strerror}") from None
    with handle:
        header, start = _read_head(handle, path)
        if header.get("format") != FORMAT_VERSION:
            raise IndexFileError(path, f"format {header.get('format')}, not {FORMAT_VERSION}")
        if header.get("engine") != engine_fingerprint():
            raise IndexFileError(path, "built by another version of the engine")
        meta = header.get("meta", {})
        for key, value in (expect or {}).items():
            if meta.get(key) != value:
                raise IndexFileError(path, f"built for {key}={meta.get(key)!r}, not {value!r}")
        size = os.fstat(handle.fileno()).st_size
        layout = header.get("arrays")
        if not isinstance(layout, dict) or size != start + header.get("data_size", -1):
            raise IndexFileError(path, f"size {size} is not the size the header states")
        if verify:
            _verify(handle, start, layout, path)
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else None
    arrays: dict[str, np.ndarray] = {}
    try:
        for name, spec in layout.items():
            dtype = np.dtype(spec["dtype"])
            count = int(np.prod(spec["shape"], dtype=np.int64))
            if count * dtype.itemsize != spec["nbytes"]:
                raise IndexFileError(path, f"array {name}: shape and size disagree")
            if count == 0 or mapped is None:
                arrays[name] = np.zeros(spec["shape"], dtype=dtype)
                continue
            flat = np.frombuffer(mapped, dtype=dtype, count=count, offset=start + spec["offset"])
            arrays[name] = flat.reshape(spec["shape"])
    except (TypeError, KeyError, ValueError) as exc:
        raise IndexFileError(path, f"damaged layout: {exc}") from None
    return header, arrays


def _verify(handle: Any, start: int, layout: dict[str, Any], path: Path) -> None:
    for name, spec in sorted(layout.items(), key=lambda item: item[1]["offset"]):
        handle.seek(start + spec["offset"])
        remaining, crc = int(spec["nbytes"]), 0
        while remaining:
            chunk = handle.read(min(_CHUNK, remaining))
            if not chunk:
                raise IndexFileError(path, f"array {name} is truncated")
            crc = zlib.crc32(chunk, crc)
            remaining -= len(chunk)
        if crc != spec["crc32"]:
            raise IndexFileError(path, f"array {name} is damaged (checksum)")


# --- Strings as arrays --------------------------------------------------------------------------


def pack_strings(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(UTF-8 bytes, offsets) of a list of strings: one blob, no Python object per string."""
    encoded = [s.encode() for s in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(), offsets


def unpack_strings(blob: np.ndarray, offsets: np.ndarray) -> list[str]:
    raw = blob.tobytes()
    data = raw.decode()
    bounds = offsets.tolist()
    if len(data) == len(raw):  # ASCII: byte offsets are character offsets
        return [data[a:b] for a, b in itertools.pairwise(bounds)]
    return [raw[a:b].decode() for a, b in itertools.pairwise(bounds)]


def string_hash(text: str) -> int:
    """Stable 64-bit hash (Python's own ``hash`` changes with every process)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


_EMPTY = np.empty(0, dtype=np.int32)


class StringMultimap:
    """str -> int32 values as three arrays (sorted key hashes, offsets, values).

    Replaces a dict of lists that would be hundreds of MB of Python objects at 1M entries and
    could not be shared between processes. Keys are 64-bit hashes: a collision (about one in
    10**12 per look-up at this size) adds unrelated values, which the callers treat as one more
    candidate to score, never as a match; no value is ever lost.
    """

    def __init__(self, keys: np.ndarray, offsets: np.ndarray, values: np.ndarray) -> None:
        self.keys, self.offsets, self.values = keys, offsets, values

    @classmethod
    def build(cls, mapping: Mapping[str, Sequence[int]]) -> StringMultimap:
        hashes = np.fromiter((string_hash(k) for k in mapping), np.uint64, count=len(mapping))
        lengths = np.fromiter((len(v) for v in mapping.values()), np.int64, count=len(mapping))
        flat = np.fromiter(
            (x for v in mapping.values() for x in v), np.int32, count=int(lengths.sum())
        )
        order = np.argsort(hashes, kind="stable")
        starts = np.zeros(len(mapping) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        sorted_lengths = lengths[order]
        offsets = np.zeros(len(mapping) + 1, dtype=np.int64)
        np.cumsum(sorted_lengths, out=offsets[1:])
        idx = np.repeat(starts[:-1][order] - offsets[:-1], sorted_lengths) + np.arange(
            int(offsets[-1])
        )
        return cls(hashes[order], offsets, flat[idx] if flat.size else _EMPTY)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}.keys": self.keys, f"{prefix}.offsets": self.offsets,
                f"{prefix}.values": self.values}  # fmt: skip

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> StringMultimap:
        return cls(arrays[f"{prefix}.keys"], arrays[f"{prefix}.offsets"],
                   arrays[f"{prefix}.values"])  # fmt: skip

    def __len__(self) -> int:
        return int(self.keys.size)

    def lookup(self, keys: Sequence[str]) -> np.ndarray:
        """The values of all ``keys`` together (int32; absent keys add nothing)."""
        if not keys or self.keys.size == 0:
            return _EMPTY
        h = np.fromiter((string_hash(k) for k in keys), np.uint64, count=len(keys))
        at = np.minimum(np.searchsorted(self.keys, h), self.keys.size - 1)
        at = at[self.keys[at] == h]
        lo, hi = self.offsets[at], self.offsets[at + 1]
        sizes = hi - lo
        idx = np.repeat(lo - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
        return self.values[idx]

    @overload
    def get(self, key: str) -> list[int] | None: ...
    @overload
    def get(self, key: str, default: Any) -> Any: ...
    def get(self, key: str, default: Any = None) -> Any:
        found = self.lookup([key])
        return found.tolist() if found.size else default


# --- Entries as JSON in one blob ----------------------------------------------------------------


def entry_to_json(e: WatchlistEntry) -> list[Any]:
    return [
        e.entry_id, [[n.text, str(n.kind)] for n in e.names], e.entity_type, e.data_id,
        [[str(d.kind), d.date.isoformat() if d.date else None, d.year_from, d.year_to,
          d.approximate] for d in e.dobs],
        [[p.city, p.state_province, p.country] for p in e.places_of_birth],
        e.nationalities, [[d.number, d.type, d.country] for d in e.documents], e.gender,
        e.listed_on.isoformat() if e.listed_on else None, e.reason, e.un_list_type, e.titles,
    ]  # fmt: skip


def entry_from_json(data: list[Any]) -> WatchlistEntry:
    (entry_id, names, entity_type, data_id, dobs, places, nats, docs, gender, listed_on,
     reason, un_list_type, titles) = data  # fmt: skip
    return WatchlistEntry(
        entry_id=entry_id,
        names=[NameVariant(text, NameKind(kind)) for text, kind in names],
        entity_type=entity_type,
        data_id=data_id,
        dobs=[
            DateOfBirth(DobKind(k), dt.date.fromisoformat(d) if d else None, yf, yt, approx)
            for k, d, yf, yt, approx in dobs
        ],
        places_of_birth=[PlaceOfBirth(*p) for p in places],
        nationalities=list(nats),
        documents=[Document(*d) for d in docs],
        gender=gender,
        listed_on=dt.date.fromisoformat(listed_on) if listed_on else None,
        reason=reason,
        un_list_type=un_list_type,
        titles=list(titles),
    )


def pack_entries(entries: Sequence[WatchlistEntry]) -> tuple[np.ndarray, np.ndarray]:
    return pack_strings(
        [json.dumps(entry_to_json(e), separators=(",", ":"), ensure_ascii=False)
         for e in entries]
    )  # fmt: skip


class EntryTable(Sequence[WatchlistEntry]):
    """The entries of a loaded index, decoded one at a time from the mapped blob: scoring reads
    a few entries per traveller, never all of them."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self.blob, self.offsets = blob, offsets

    def __len__(self) -> int:
        return int(self.offsets.size) - 1

    @overload
    def __getitem__(self, i: int) -> WatchlistEntry: ...
    @overload
    def __getitem__(self, i: slice) -> list[WatchlistEntry]: ...
    def __getitem__(self, i: int | slice) -> WatchlistEntry | list[WatchlistEntry]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        lo, hi = int(self.offsets[i]), int(self.offsets[i + 1])
        return entry_from_json(json.loads(self.blob[lo:hi].tobytes()))

    def __iter__(self) -> Iterator[WatchlistEntry]:
        for i in range(len(self)):
            yield self[i]
