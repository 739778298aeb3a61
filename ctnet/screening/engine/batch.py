"""`ctnet screen --watchlist FILE --travellers FILE --out FILE [--threshold T] [--index FILE]`.

Writes one CSV row per possible match (traveller_id,entry_id,score,reasons) and a summary on
stderr. Exit 0 on success, 2 on bad input. Nothing is decided here: the output is a work list
for officials. Cells a spreadsheet would run as a formula are escaped (``ctnet.lib.csvsafe``):
traveller ids come from the airline's or the user's file.

``--index FILE`` saves the candidate index built from the watchlist and maps it on the next
run against the same list (told by the list file's SHA-256), so a batch does not rebuild it. A
file built from another list is refused (exit 2: the user named the wrong file); a damaged file
or one written by another engine version is rebuilt and replaced, never used.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import multiprocessing
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from ctnet.lib.csvsafe import safe_row
from ctnet.screening.engine import savedindex
from ctnet.screening.engine.formats import PassengerFile, read_passengers, read_watchlist
from ctnet.screening.engine.index import CandidateIndex
from ctnet.screening.engine.model import Traveller, WatchlistEntry, WatchlistFormatError
from ctnet.screening.engine.normalise import NormalisedName, normalise_name
from ctnet.screening.engine.score import DEFAULT_THRESHOLD, Match, screen_query

OUT_HEADER = ["traveller_id", "entry_id", "score", "reasons"]
# Below this many travellers a worker pool costs more to start than it saves.
MIN_TRAVELLERS_PER_WORKER = 2_000

_WORKER_INDEX: CandidateIndex | None = None


def _read(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise WatchlistFormatError(path, None, f"cannot open: {exc.strerror}") from exc


def load_watchlist(path: str | Path) -> list[WatchlistEntry]:
    """UN XML or CSV, plain or gzipped, decided by the content (the engine's front door,
    ``formats``)."""
    return read_watchlist(_read(path), str(path)).entries


class IndexMismatch(Exception):
    """``--index`` names a saved index built from another watchlist."""


def index_for_list(watchlist: str | Path, saved: str | Path | None) -> tuple[CandidateIndex, str]:
    """(index, how it was had: "built", "loaded", "rebuilt: <why>") for the watchlist file.

    With ``saved``, an index saved there from the same list (SHA-256 of the file) is mapped
    instead of built; a missing, damaged or stale one is built and saved. Raises
    ``IndexMismatch`` for a file saved from another list, ``WatchlistFormatError`` for a bad
    watchlist.
    """
    data = _read(watchlist)
    if saved is None:
        return CandidateIndex(read_watchlist(data, str(watchlist)).entries), "built"
    checksum = hashlib.sha256(data).hexdigest()
    how = "built"
    if Path(saved).exists():
        try:
            other = savedindex.read_header(saved).get("meta", {}).get("list_sha256")
        except savedindex.IndexFileError:
            other = None
        if other is not None and other != checksum:
            raise IndexMismatch(
                f"{saved} was built from another watchlist (SHA-256 {other[:12]}..., this one "
                f"{checksum[:12]}...); give another --index file or delete this one"
            )
        try:
            return CandidateIndex.load(saved, {"list_sha256": checksum}), "loaded"
        except savedindex.IndexFileError as exc:
            how = f"rebuilt: {exc.reason}"
    index = CandidateIndex(read_watchlist(data, str(watchlist)).entries)
    index.save(saved, {"list_sha256": checksum, "list": Path(watchlist).name})
    return index, how


def load_passengers(path: str | Path) -> PassengerFile:
    """CSV or PAXLST, decided by the content, as the platform's uploads are."""
    return read_passengers(_read(path), str(path))


def screen_many(
    index: CandidateIndex,
    travellers: Sequence[Traveller],
    threshold: float = DEFAULT_THRESHOLD,
    *,
    include_entities: bool = False,
) -> list[list[Match]]:
    """`score.screen` for each traveller, in one process, normalising each distinct name once
    (a manifest repeats names: families, and the frequent names of a population)."""
    normalised: dict[str, NormalisedName] = {}
    out = []
    for t in travellers:
        query = normalised.get(t.name)
        if query is None:
            query = normalised[t.name] = normalise_name(t.name)
        out.append(screen_query(index, t, query, threshold, include_entities=include_entities))
    return out


def _screen_chunk(args: tuple[list[Traveller], float, bool]) -> list[list[Match]]:
    travellers, threshold, entities = args
    assert _WORKER_INDEX is not None
    return screen_many(_WORKER_INDEX, travellers, threshold, include_entities=entities)


def screen_batch(
    index: CandidateIndex,
    travellers: Sequence[Traveller],
    threshold: float = DEFAULT_THRESHOLD,
    workers: int | None = None,
    *,
    include_entities: bool = False,
) -> list[list[Match]]:
    """Matches per traveller, in input order; uses a forked pool on large batches.

    Fork shares the built index copy-on-write, so the workers need no copy of it. Where fork is
    unavailable (macOS/Windows default spawn) the batch runs in this process.
    """
    global _WORKER_INDEX
    workers = workers or os.cpu_count() or 1
    workers = min(workers, max(1, len(travellers) // MIN_TRAVELLERS_PER_WORKER))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return screen_many(index, travellers, threshold, include_entities=include_entities)
    _WORKER_INDEX = index
    size = max(1, len(travellers) // (workers * 8))
    chunks = [
        (list(travellers[i : i + size]), threshold, include_entities)
        for i in range(0, len(travellers), size)
    ]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_screen_chunk, chunks)
    finally:
        _WORKER_INDEX = None
    return [matches for chunk in results for matches in chunk]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ctnet screen",
        description="Screen travellers against a watchlist; outputs possible matches only.",
    )
    parser.add_argument(
        "--watchlist", required=True, help="UN SC Consolidated List XML or CSV (or gzipped)"
    )
    parser.add_argument(
        "--travellers", required=True, help="CSV id,name,dob,nationality,document, or PAXLST"
    )
    parser.add_argument("--out", required=True, help="output CSV of possible matches")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
    parser.add_argument(
        "--index",
        default=None,
        metavar="FILE",
        help="save the candidate index here, and reuse it on the next run against the same list",
    )
    parser.add_argument(
        "--include-entities",
        action="store_true",
        help="also screen against listed entities (organisations); default: individuals only",
    )
    return parser


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage message
        return 0 if exc.code == 0 else 2
    if not 0.0 <= args.threshold <= 1.0:
        print("ctnet screen: --threshold must be between 0 and 1", file=sys.stderr)
        return 2
    try:
        passengers = load_passengers(args.travellers)
        travellers, bad_rows = passengers.travellers, passengers.bad
        index_started = time.perf_counter()
        index, how = index_for_list(args.watchlist, args.index)
        index_seconds = time.perf_counter() - index_started
    except WatchlistFormatError as exc:
        print(f"ctnet screen: bad input: {exc}", file=sys.stderr)
        return 2
    except IndexMismatch as exc:
        print(f"ctnet screen: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"ctnet screen: cannot write {args.index}: {exc.strerror}", file=sys.stderr)
        return 2
    results = screen_batch(
        index, travellers, args.threshold, args.workers, include_entities=args.include_entities
    )
    try:
        with open(args.out, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(OUT_HEADER)
            matches = 0
            for traveller, found in zip(travellers, results, strict=True):
                for m in found:
                    row = [
                        traveller.traveller_id,
                        m.entry_id,
                        f"{m.score:.3f}",
                        ";".join(m.reasons),
                    ]
                    writer.writerow(safe_row(row))
                    matches += 1
    except OSError as exc:
        print(f"ctnet screen: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    print(f"watchlist entries: {len(index.entries)}", file=sys.stderr)
    where = f" ({args.index})" if args.index else ""
    print(f"index {how}{where}: {index_seconds:.2f} s", file=sys.stderr)
    print(f"travellers read: {len(travellers)}; bad rows: {len(bad_rows)}", file=sys.stderr)
    for bad in bad_rows:
        print(f"  {args.travellers}:{bad.line}: {bad.message}", file=sys.stderr)
    print(f"possible matches (score >= {args.threshold}): {matches}", file=sys.stderr)
    print(f"time: {elapsed:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
