"""Benchmark of the hash engine: PDQ index against faiss brute force, and PDQ hashing.

    .venv/bin/python bench/bench_hashes.py                 # 10,000,000 hashes
    .venv/bin/python bench/bench_hashes.py --quick         # 1,000,000 hashes, fewer images

Single thread throughout (faiss.omp_set_num_threads(1)): figures are per core. Recall is checked
against faiss IndexBinaryFlat range search on a sample of the queries; any miss is printed and
makes the exit status 1. Results and the command are recorded in docs/hashes.md.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

import faiss
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hashes_corpus import make_corpus
from hashes_images import image_benchmark

from ctnet.hashes.engine.index import PdqIndex

MAX_DISTANCE = 31


def _status(field: str) -> int:
    """A VmRSS/VmHWM figure from /proc, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> None:
    # Writing 5 to clear_refs resets VmHWM (Linux >= 4.0), so the peak of one phase is measured.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _measure_build(build: Callable[[], object]) -> tuple[object, float, int, int]:
    """(index, seconds, retained RSS delta, peak RSS delta during the build)."""
    before = _status("VmRSS")
    _reset_peak()
    start = time.perf_counter()
    index = build()
    seconds = time.perf_counter() - start
    return index, seconds, _status("VmRSS") - before, _status("VmHWM") - before


def _flat_answer(flat: faiss.IndexBinaryFlat, queries: np.ndarray) -> set[tuple[int, int, int]]:
    lims, dist, rows = flat.range_search(queries, MAX_DISTANCE + 1)  # faiss radius is exclusive
    return {
        (q, int(rows[j]), int(dist[j]))
        for q in range(len(queries))
        for j in range(lims[q], lims[q + 1])
    }


def _mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB"


def index_benchmark(size: int, n_queries: int, n_check: int, seed: int) -> bool:
    print(f"== PDQ index: {size:,} hashes, {n_queries:,} queries, distance <= {MAX_DISTANCE}")
    start = time.perf_counter()
    corpus = make_corpus(size, n_queries, seed)
    print(f"corpus generated in {time.perf_counter() - start:.1f} s (30% clustered, Pareto sizes)")
    ids = np.arange(size, dtype=np.int64)
    built, build_s, rss, peak = _measure_build(lambda: PdqIndex.build(ids, corpus.hashes))
    index = built if isinstance(built, PdqIndex) else None
    assert index is not None
    print(
        f"MIH build: {build_s:.1f} s; arrays {_mb(index.nbytes)}; "
        f"RSS +{_mb(rss)} (peak during build +{_mb(peak)})"
    )
    start = time.perf_counter()
    qidx, rows, dist = index.query_arrays(corpus.queries, MAX_DISTANCE)
    mih_s = time.perf_counter() - start
    mih_qps = n_queries / mih_s
    print(f"MIH query: {mih_qps:,.0f} queries/s single thread ({len(qidx):,} matches)")
    planted = corpus.planted_rows >= 0
    found = set(zip(qidx.tolist(), rows.tolist(), strict=True))
    missed_planted = sum(
        (q, int(r)) not in found for q, r in enumerate(corpus.planted_rows) if planted[q]
    )
    print(f"planted near-duplicates (distance 0-31) missed: {missed_planted} of {planted.sum()}")

    flat_built, flat_build_s, flat_rss, _ = _measure_build(lambda: _flat(corpus.hashes))
    flat = flat_built if isinstance(flat_built, faiss.IndexBinaryFlat) else None
    assert flat is not None
    sample = np.random.default_rng(seed).choice(n_queries, size=n_check, replace=False)
    sample.sort()
    start = time.perf_counter()
    expected = _flat_answer(flat, corpus.queries[sample])
    flat_qps = n_check / (time.perf_counter() - start)
    print(
        f"faiss IndexBinaryFlat: add {flat_build_s:.1f} s; RSS +{_mb(flat_rss)}; "
        f"range_search {flat_qps:,.1f} queries/s single thread"
    )
    position = {int(q): i for i, q in enumerate(sample)}
    got = {
        (position[q], r, d)
        for q, r, d in zip(qidx.tolist(), rows.tolist(), dist.tolist(), strict=True)
        if q in position
    }
    recall = len(got & expected) / max(1, len(expected))
    exact = got == expected
    print(
        f"recall vs brute force on {n_check} queries: {recall:.4f} "
        f"({len(expected)} true matches, identical result sets: {exact})"
    )
    print(f"speed-up MIH / IndexBinaryFlat: {mih_qps / flat_qps:.1f}x")
    return exact and missed_planted == 0


def _flat(hashes: np.ndarray) -> faiss.IndexBinaryFlat:
    flat = faiss.IndexBinaryFlat(256)
    flat.add(hashes)
    return flat


def multihash_benchmark(size: int, n_queries: int, seed: int) -> None:
    """faiss IndexBinaryMultiHash with 16 tables of 16 bits and nflip=1: the same pigeonhole
    guarantee as ours (exact at 31), measured for comparison."""
    print(f"== faiss IndexBinaryMultiHash(nhash=16, b=16, nflip=1): {size:,} hashes")
    corpus = make_corpus(size, n_queries, seed)

    def build() -> faiss.IndexBinaryMultiHash:
        index = faiss.IndexBinaryMultiHash(256, 16, 16)
        index.nflip = 1
        index.add(corpus.hashes)
        return index

    built, build_s, rss, _ = _measure_build(build)
    assert isinstance(built, faiss.IndexBinaryMultiHash)
    start = time.perf_counter()
    lims, _, _ = built.range_search(corpus.queries, MAX_DISTANCE + 1)
    qps = n_queries / (time.perf_counter() - start)
    ours = PdqIndex.build(np.arange(size), corpus.hashes).query_arrays(corpus.queries)[0]
    print(
        f"build {build_s:.1f} s; RSS +{_mb(rss)}; {qps:,.0f} queries/s; "
        f"{int(lims[-1])} matches (ours: {len(ours)})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=10_000_000)
    parser.add_argument("--quick", action="store_true", help="1,000,000 hashes, fewer images")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--check", type=int, default=200, help="queries checked by brute force")
    parser.add_argument("--multihash", action="store_true", help="also time faiss MultiHash")
    parser.add_argument("--skip-images", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    size = 1_000_000 if args.quick else args.size
    faiss.omp_set_num_threads(1)
    ok = index_benchmark(size, args.queries, min(args.check, args.queries), args.seed)
    if args.multihash:
        multihash_benchmark(min(size, 1_000_000), args.queries, args.seed)
    if not args.skip_images:
        image_benchmark(n_images=4 if args.quick else 10, seed=args.seed)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
