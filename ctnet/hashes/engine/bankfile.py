"""A bank file of ``ctnet hashes match``: reading it, indexing it, and the saved index of it.

A bank is a CSV of ``id,signal_type,value``. Read as Python rows, a bank of 10,000,000 PDQ
hashes costs minutes and gigabytes (a row object and an id string per hash), most of the
command's time; so ``BankIndex.build`` streams the file once into compact arrays: the PDQ
hashes (``PdqIndex``, row numbers as ids), the bank's ids as one UTF-8 blob with offsets, and
the few other rows (MD5, SHA-256, vPDQ) as text.

``--index FILE`` saves all of it in one of the engine's index files (``save_index_file``) with
the SHA-256 of the bank file it was built from, and the next run maps it instead of reading the
bank: a file saved from another bank (or from this one before it changed) is refused, since the
operator named the wrong file; a damaged one, or one of an older format, is rebuilt, never used.
"""

from __future__ import annotations

import csv
import hashlib
import io
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np

from ctnet.hashes.engine.errors import HashEngineError, IndexFormatError
from ctnet.hashes.engine.index import PdqIndex, load_index_file, save_index_file
from ctnet.hashes.engine.signals import PdqSignal, VpdqSignal, get_signal_type
from ctnet.hashes.engine.video_index import VideoIndex

CSV_HEADER = ["id", "signal_type", "value"]
#: What a saved bank index says it is, so that a plain PDQ index is not taken for one.
BANK_INDEX_KIND = "ctnet-bank"
_READ_CHUNK = 1 << 20


class InputError(Exception):
    """Bad input file; the message names the file and line."""


class BankMismatch(InputError):
    """``--index`` names a bank index saved from another bank file."""


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    signal_type: str
    value: str


def read_signals_csv(path: Path) -> list[Row]:
    """Read and validate a whole ``id,signal_type,value`` file, or raise ``InputError``."""
    with _opened(path) as fp:
        return list(_guarded(path, parse_rows(path, fp)))


def parse_rows(path: Path, fp: TextIO) -> Iterator[Row]:
    reader = csv.reader(fp)
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != CSV_HEADER:
        raise InputError(
            f"{path}:1: header must be {','.join(CSV_HEADER)!r}, got {','.join(header or [])!r}"
        )
    for fields in reader:
        where = f"{path}:{reader.line_num}"
        if not fields or fields == [""]:
            continue  # blank line
        if len(fields) != len(CSV_HEADER):
            raise InputError(
                f"{where}: expected 3 fields (id,signal_type,value), got {len(fields)}"
            )
        row_id, type_name, value = (f.strip() for f in fields)
        if not row_id:
            raise InputError(f"{where}: empty id")
        try:
            signal_type = get_signal_type(type_name)
            normalised = signal_type.validate(value)
        except HashEngineError as exc:
            raise InputError(f"{where}: {exc}") from None
        yield Row(row_id, signal_type.name, normalised)


def _opened(path: Path) -> TextIO:
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def _guarded(path: Path, rows: Iterator[Row]) -> Iterator[Row]:
    """``rows``, with a read or decoding failure half-way as an ``InputError`` naming the file."""
    try:
        yield from rows
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise InputError(f"{path}: malformed CSV: {exc}") from exc


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fp:
            while chunk := fp.read(_READ_CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return digest.hexdigest()


class BankIndex:
    """Every row of a bank, indexed: PDQ by distance, digests by equality, videos by frames."""

    def __init__(
        self, pdq: PdqIndex, id_blob: np.ndarray, id_offsets: np.ndarray, other_text: str
    ) -> None:
        self._pdq = pdq
        self._id_blob = id_blob
        self._id_offsets = id_offsets
        self._other_text = other_text
        self._exact: dict[str, dict[str, list[str]]] = {}
        self.videos: list[Row] = []
        for row in parse_rows(Path("<saved bank index>"), io.StringIO(other_text)):
            if row.signal_type == VpdqSignal.name:
                self.videos.append(row)
            else:
                self._exact.setdefault(row.signal_type, {}).setdefault(row.value, []).append(row.id)
        self.video_index = VideoIndex.build(
            (number, VpdqSignal.parse(row.value)) for number, row in enumerate(self.videos)
        )

    @classmethod
    def build(cls, path: Path) -> BankIndex:
        """Read and index the bank file at ``path`` in one pass, or raise ``InputError``."""
        hashes = bytearray()
        blob = bytearray()
        offsets = array("q", [0])
        other = io.StringIO()
        writer = csv.writer(other, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        with _opened(path) as fp:
            for row in _guarded(path, parse_rows(path, fp)):
                if row.signal_type == PdqSignal.name:
                    hashes += bytes.fromhex(row.value)
                    blob += row.id.encode()
                    offsets.append(len(blob))
                else:
                    writer.writerow([row.id, row.signal_type, row.value])
        # Views of the buffers just filled, not copies: at 10,000,000 hashes a copy is 320 MB
        # more at the peak. Nothing writes to them afterwards.
        return cls(
            PdqIndex.build(None, np.frombuffer(hashes, dtype=np.uint8).reshape(-1, 32)),
            np.frombuffer(blob, dtype=np.uint8),
            np.frombuffer(offsets, dtype=np.int64),
            other.getvalue(),
        )

    def pdq_id(self, row: int) -> str:
        start, end = int(self._id_offsets[row]), int(self._id_offsets[row + 1])
        return bytes(self._id_blob[start:end]).decode()

    def match(
        self, signal_type: str, values: Sequence[str], max_distance: int | None = None
    ) -> Iterator[tuple[str, str, int]]:
        """(query value, bank id, distance) of every match of normalised ``values``."""
        kind = get_signal_type(signal_type)
        if kind.exact:
            table = self._exact.get(kind.name, {})
            for value in values:
                for bank_id in table.get(value, ()):
                    yield value, bank_id, 0
            return
        if not values or len(self._pdq) == 0:
            return
        limit = kind.default_max_distance if max_distance is None else max_distance
        qidx, rows, dist = self._pdq.query_arrays(PdqSignal.to_bytes(list(values)), limit)
        for q, r, d in zip(qidx.tolist(), rows.tolist(), dist.tolist(), strict=True):
            yield values[q], self.pdq_id(r), d

    def save(self, path: Path, bank_sha256: str, bank_name: str) -> None:
        extra = {
            "bank_id_blob": self._id_blob,
            "bank_id_offsets": self._id_offsets,
            "bank_other_rows": np.frombuffer(self._other_text.encode(), dtype=np.uint8),
        }
        meta = {"kind": BANK_INDEX_KIND, "bank_sha256": bank_sha256, "bank": bank_name}
        save_index_file(path, self._pdq, extra=extra, meta=meta)

    @classmethod
    def load(cls, path: Path, bank_sha256: str) -> BankIndex:
        """Map a saved bank index. Raises ``BankMismatch`` if it was saved from another bank,
        ``IndexFormatError`` if it is damaged or not a bank index."""
        pdq, extra, meta = load_index_file(path)
        if meta.get("kind") != BANK_INDEX_KIND:
            raise IndexFormatError(f"{path}: not a saved bank index")
        if meta.get("bank_sha256") != bank_sha256:
            raise BankMismatch(
                f"{path} was saved from another bank ({meta.get('bank')!r}, SHA-256 "
                f"{str(meta.get('bank_sha256'))[:12]}..., this one {bank_sha256[:12]}...); "
                "give another --index file or delete this one"
            )
        try:
            blob, offsets = extra["bank_id_blob"], extra["bank_id_offsets"]
            other = bytes(extra["bank_other_rows"]).decode()
        except (KeyError, UnicodeDecodeError) as exc:
            raise IndexFormatError(f"{path}: damaged bank index ({exc})") from None
        if offsets.dtype != np.int64 or offsets.shape != (len(pdq) + 1,):
            raise IndexFormatError(f"{path}: damaged bank index (id offsets)")
        try:
            return cls(pdq, blob, offsets, other)
        except InputError as exc:
            raise IndexFormatError(f"{path}: damaged bank index ({exc})") from None


def bank_index(path: Path, saved: Path | None) -> tuple[BankIndex, str]:
    """(index, how it was had: "built", "loaded", "rebuilt: <why>") for the bank at ``path``.

    With ``saved``, an index saved there from the same bank file (its SHA-256) is mapped instead
    of reading the bank; a missing or damaged one, or one of an older format, is built and
    saved. Raises ``InputError`` for a bad bank and ``BankMismatch`` for a file saved from
    another bank.
    """
    if saved is None:
        return BankIndex.build(path), "built"
    checksum = file_sha256(path)
    how = "built"
    if saved.exists():
        try:
            return BankIndex.load(saved, checksum), "loaded"
        except IndexFormatError as exc:
            how = f"rebuilt: {exc}"
    index = BankIndex.build(path)
    index.save(saved, checksum, path.name)
    return index, how
