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
from pathlib import Path
from typing import TextIO

from ctnet.hashes.engine.bankfile import BankIndex, InputError, Row, bank_index, read_signals_csv
from ctnet.hashes.engine.errors import HashEngineError
from ctnet.hashes.engine.hashing import FileHashes, hash_file
from ctnet.hashes.engine.signals import PDQ_MAX_SUPPORTED_DISTANCE, VpdqSignal, get_signal_type
from ctnet.hashes.engine.video import VideoHashes, hash_video_file, is_video_path
from ctnet.lib import csvsafe

EXIT_BAD_INPUT = 2
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


def match_main(argv: list[str]) -> int:
    """``ctnet hashes match --bank FILE --queries FILE --out FILE [--max-distance 31]
    [--index FILE]``."""
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
    parser.add_argument(
        "--index",
        type=Path,
        default=None,
        help="saved index of the bank: mapped when it was saved from this bank file, "
        "else built and saved there (the next run does not read the bank)",
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
        queries = read_signals_csv(args.queries)
        index, how = bank_index(args.bank, args.index)
    except InputError as exc:
        print(f"ctnet hashes match: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if how.startswith("rebuilt"):
        print(f"ctnet hashes match: index {how}", file=sys.stderr)
    plain = [q for q in queries if q.signal_type != VpdqSignal.name]
    rows = _match_rows(index, plain, args.max_distance)
    video_rows = _match_video_rows(index, queries, args.max_distance)
    _write_matches(args.out, itertools.chain(rows, video_rows))
    return 0


def _match_video_rows(
    index: BankIndex, queries: list[Row], max_distance: int | None
) -> Iterator[tuple[str, str, str, int]]:
    """vPDQ queries, matched frame by frame in the videos' own index: distance is 100 minus the
    query match percent (``VpdqSignal.distance``)."""
    limit = VpdqSignal.default_max_distance if max_distance is None else max_distance
    for row in queries:
        if row.signal_type != VpdqSignal.name:
            continue
        for hit in index.video_index.query(VpdqSignal.parse(row.value), frame_distance=limit):
            yield row.id, index.videos[hit.signal_id].id, row.signal_type, hit.distance


def _match_rows(
    index: BankIndex, queries: list[Row], max_distance: int | None
) -> Iterator[tuple[str, str, str, int]]:
    """Output rows in query-file order; each distinct value is matched once."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for row in queries:
        by_type[row.signal_type].append(row.value)
    found: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for type_name, values in by_type.items():
        limit = max_distance if not get_signal_type(type_name).exact else None
        for value, bank_id, distance in index.match(type_name, list(dict.fromkeys(values)), limit):
            found[(type_name, value)].append((bank_id, distance))
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
