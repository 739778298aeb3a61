"""Batch entry points behind ``ctnet hash`` and ``ctnet hashes match`` (no Django needed).

Both return an exit status instead of calling ``sys.exit``, so that ``ctnet.cli`` and the tests
can call them directly: 0 success, 2 bad input (the message says which file and line).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ctnet.hashes.engine.errors import HashEngineError
from ctnet.hashes.engine.hashing import FileHashes, hash_file
from ctnet.hashes.engine.index import MatchIndex
from ctnet.hashes.engine.signals import PDQ_MAX_SUPPORTED_DISTANCE, VpdqSignal, get_signal_type
from ctnet.hashes.engine.video import VideoHashes, hash_video_file, is_video_path
from ctnet.hashes.engine.video_index import VideoIndex
from ctnet.lib import csvsafe

EXIT_BAD_INPUT = 2
CSV_HEADER = ["id", "signal_type", "value"]
OUT_HEADER = ["query_id", "bank_id", "signal_type", "distance"]


# --- ctnet hash ------------------------------------------------------------------------------


def hash_main(argv: list[str]) -> int:
    """``ctnet hash FILE... [--json]``: PDQ (vPDQ for a video), MD5 and SHA-256 of each file."""
    parser = argparse.ArgumentParser(
        prog="ctnet hash",
        description="PDQ (vPDQ for a video), MD5 and SHA-256 of each file. A video's vPDQ is "
        "python-threatexchange's text form (a JSON list of pdq_hex,quality,seconds).",
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args(argv)
    status = 0
    results: list[FileHashes | VideoHashes] = []
    for name in args.files:
        try:
            # A local file of the operator's: no upload limits; every core hashes.
            result = hash_video_file(name, threads=0) if is_video_path(name) else hash_file(name)
        except (HashEngineError, OSError) as exc:
            # Carry on with the other files: one corrupt upload must not stop a batch.
            print(f"ctnet hash: {_describe(name, exc)}", file=sys.stderr)
            status = EXIT_BAD_INPUT
            continue
        if args.json:
            print(json.dumps(result.as_json(), ensure_ascii=False), flush=True)
        else:
            results.append(result)
    if results:
        _print_table(results, sys.stdout)
    return status


def _describe(name: str, exc: Exception) -> str:
    if isinstance(exc, OSError) and not isinstance(exc, HashEngineError):
        return f"{name}: cannot read file: {exc.strerror or exc}"
    return str(exc)


def _print_table(results: list[FileHashes | VideoHashes], out: TextIO) -> None:
    rows = [("PATH", "PDQ", "Q", "MD5", "SHA256")]
    for r in results:
        if isinstance(r, VideoHashes):
            summary = f"vpdq: {len(r.frames)} frames, {r.duration:.1f} s (--json for the hash)"
            rows.append((r.path, summary, "-", r.md5, r.sha256))
            continue
        quality = "-" if r.quality is None else str(r.quality)
        rows.append((r.path, r.pdq or "-", quality, r.md5, r.sha256))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip(), file=out
        )


# --- ctnet hashes match ----------------------------------------------------------------------


class InputError(Exception):
    """Bad input file; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    signal_type: str
    value: str


def match_main(argv: list[str]) -> int:
    """``ctnet hashes match --bank FILE --queries FILE --out FILE [--max-distance 31]``."""
    parser = argparse.ArgumentParser(
        prog="ctnet hashes match",
        description="Match query hashes against a bank. CSV in: id,signal_type,value. "
        "CSV out: query_id,bank_id,signal_type,distance.",
    )
    parser.add_argument("--bank", required=True, type=Path)
    parser.add_argument("--queries", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument(
        "--max-distance",
        type=int,
        default=None,
        help="PDQ Hamming threshold (default 31); MD5 and SHA-256 always match exactly",
    )
    args = parser.parse_args(argv)
    try:
        if args.max_distance is not None and not (
            0 <= args.max_distance <= PDQ_MAX_SUPPORTED_DISTANCE
        ):
            raise InputError(
                f"--max-distance must be between 0 and {PDQ_MAX_SUPPORTED_DISTANCE}, "
                f"got {args.max_distance}"
            )
        bank = read_signals_csv(args.bank)
        queries = read_signals_csv(args.queries)
    except InputError as exc:
        print(f"ctnet hashes match: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    # Videos are matched frame by frame in their own index; the rest in the engine's.
    index = MatchIndex.build(
        (row.id, row.signal_type, row.value) for row in bank if row.signal_type != VpdqSignal.name
    )
    videos = [row for row in bank if row.signal_type == VpdqSignal.name]
    video_index = VideoIndex.build(
        (number, VpdqSignal.parse(row.value)) for number, row in enumerate(videos)
    )
    plain = [q for q in queries if q.signal_type != VpdqSignal.name]
    rows = _match_rows(index, plain, args.max_distance)
    video_rows = _match_video_rows(video_index, videos, queries, args.max_distance)
    _write_matches(args.out, itertools.chain(rows, video_rows))
    return 0


def _match_video_rows(
    index: VideoIndex, videos: list[Row], queries: list[Row], max_distance: int | None
) -> Iterator[tuple[str, str, str, int]]:
    """vPDQ queries: distance is 100 minus the query match percent (``VpdqSignal.distance``)."""
    limit = VpdqSignal.default_max_distance if max_distance is None else max_distance
    for row in queries:
        if row.signal_type != VpdqSignal.name:
            continue
        for hit in index.query(VpdqSignal.parse(row.value), frame_distance=limit):
            yield row.id, videos[hit.signal_id].id, row.signal_type, hit.distance


def read_signals_csv(path: Path) -> list[Row]:
    """Read and validate a whole ``id,signal_type,value`` file, or raise ``InputError``."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fp:
            return list(_parse_rows(path, fp))
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise InputError(f"{path}: malformed CSV: {exc}") from exc


def _parse_rows(path: Path, fp: TextIO) -> Iterator[Row]:
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


def _match_rows(
    index: MatchIndex, queries: list[Row], max_distance: int | None
) -> Iterator[tuple[str, str, str, int]]:
    """Output rows in query-file order; each distinct value is matched once."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for row in queries:
        by_type[row.signal_type].append(row.value)
    found: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for type_name, values in by_type.items():
        limit = max_distance if not get_signal_type(type_name).exact else None
        for match in index.match(type_name, list(dict.fromkeys(values)), limit):
            found[(type_name, match.query_value)].append((str(match.signal_id), match.distance))
    for row in queries:
        for bank_id, distance in found.get((row.signal_type, row.value), ()):
            yield row.id, bank_id, row.signal_type, distance


def _write_matches(path: Path, rows: Iterator[tuple[str, str, str, int]]) -> None:
    # Written beside the target and renamed: a reader never sees half a file.
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fp:
        writer = csv.writer(fp)
        writer.writerow(OUT_HEADER)
        # Ids come from the input files, which another party may have written: a cell a
        # spreadsheet would run is escaped like every other CSV the platform writes.
        writer.writerows(csvsafe.safe_row(row) for row in rows)
    os.replace(tmp, path)
