"""`ctnet screen --watchlist FILE --travellers FILE --out FILE [--threshold T]`.

Writes one CSV row per possible match (traveller_id,entry_id,score,reasons) and a summary on
stderr. Exit 0 on success, 2 on bad input. Nothing is decided here: the output is a work list
for officials.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

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
    """UN XML or CSV, decided by the content (through the engine's front door, ``formats``)."""
    return read_watchlist(_read(path), str(path)).entries


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
    parser.add_argument("--watchlist", required=True, help="UN SC Consolidated List XML or CSV")
    parser.add_argument(
        "--travellers", required=True, help="CSV id,name,dob,nationality,document, or PAXLST"
    )
    parser.add_argument("--out", required=True, help="output CSV of possible matches")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
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
        entries = load_watchlist(args.watchlist)
        passengers = load_passengers(args.travellers)
        travellers, bad_rows = passengers.travellers, passengers.bad
    except WatchlistFormatError as exc:
        print(f"ctnet screen: bad input: {exc}", file=sys.stderr)
        return 2
    index = CandidateIndex(entries)
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
                    writer.writerow(
                        [traveller.traveller_id, m.entry_id, f"{m.score:.3f}", ";".join(m.reasons)]
                    )
                    matches += 1
    except OSError as exc:
        print(f"ctnet screen: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    print(f"watchlist entries: {len(entries)}", file=sys.stderr)
    print(f"travellers read: {len(travellers)}; bad rows: {len(bad_rows)}", file=sys.stderr)
    for bad in bad_rows:
        print(f"  {args.travellers}:{bad.line}: {bad.message}", file=sys.stderr)
    print(f"possible matches (score >= {args.threshold}): {matches}", file=sys.stderr)
    print(f"time: {elapsed:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
