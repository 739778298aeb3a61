"""Benchmark of PDQ matching at HMA's scale: the index against faiss and the former numpy engine.

    nice -n 10 timeout 3600 .venv/bin/python bench/bench_hashes.py            # 10,000,000 hashes
    nice -n 10 timeout 900 .venv/bin/python bench/bench_hashes.py --quick     # 1,000,000
    nice -n 10 timeout 900 .venv/bin/python bench/bench_hashes.py --images    # + image hashing

Every engine gets the same cores (``--threads``, default 2): the process is pinned to that many
CPUs, faiss runs ``omp_set_num_threads(threads)``, our index searches a batch with that many
threads; the numpy engine is single-threaded by nature (numpy runs these loops on one core).

Our index is built and queried in child processes so that their peak memory (``ru_maxrss``) is
the index's alone: ``build`` reads the bank, builds, saves the index file; ``serve`` loads that
file (mapped, checksums verified) and answers the queries one at a time (latency) and as one
batch (lookups per second). The parent compares with faiss ``IndexBinaryFlat`` (brute force,
the recall reference, on a sample of queries), faiss ``IndexBinaryMultiHash`` (the same
pigeonhole scheme: 16 tables of 16 bits, one bit flipped) and the numpy engine, on the same corpus.
Any difference in the result sets is printed and makes the exit status 1. Results and the
command are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import faiss
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hashes_corpus import make_corpus
from hashes_index_numpy import NumpyPdqIndex

from ctnet.hashes.engine.index import PdqIndex

MAX_DISTANCE = 31
LATENCY_QUERIES = 500

Result = tuple[np.ndarray, np.ndarray, np.ndarray]


# Megabytes are 10**6 bytes throughout (the target is "under 1 GB").
def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6  # KiB on Linux


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / 1e6
    return 0.0


def _warm_up(work: Path, threads: int) -> None:
    """Load the compiled kernels (from numba's cache) before any figure is taken, for built
    (writable) and loaded (read-only, a separate compilation) arrays alike."""
    tiny = PdqIndex.build(None, np.zeros((200, 32), np.uint8))
    tiny.save(work / "tiny.bin")
    for index in (tiny, PdqIndex.load(work / "tiny.bin")):
        index.query_arrays(np.zeros((200, 32), np.uint8), MAX_DISTANCE, threads=threads)


def phase_build(work: Path, threads: int) -> dict[str, Any]:
    _warm_up(work, threads)
    baseline = _rss_mb()
    start = time.perf_counter()
    bank = np.load(work / "bank.npy")
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    index = PdqIndex.build(None, bank)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    index.save(work / "index.bin")
    save_s = time.perf_counter() - start
    return {
        "baseline_mb": baseline,
        "peak_mb": _peak_mb(),
        "index_mb": index.nbytes / 1e6,
        "read_s": read_s,
        "build_s": build_s,
        "save_s": save_s,
    }


def phase_serve(work: Path, threads: int) -> dict[str, Any]:
    _warm_up(work, threads)
    baseline = _rss_mb()
    queries = np.load(work / "queries.npy")
    start = time.perf_counter()
    index = PdqIndex.load(work / "index.bin")
    load_s = time.perf_counter() - start
    latencies = []
    for i in range(min(LATENCY_QUERIES, len(queries))):
        start = time.perf_counter()
        index.query_arrays(queries[i : i + 1], MAX_DISTANCE, threads=1)
        latencies.append(time.perf_counter() - start)
    start = time.perf_counter()
    qidx, ids, dist = index.query_arrays(queries, MAX_DISTANCE, threads=threads)
    batch_s = time.perf_counter() - start
    np.savez(work / "ours.npz", qidx=qidx, ids=ids, dist=dist)
    ms = np.asarray(latencies) * 1000
    return {
        "baseline_mb": baseline,
        "peak_mb": _peak_mb(),
        "load_s": load_s,
        "latency_median_ms": float(np.median(ms)),
        "latency_p99_ms": float(np.percentile(ms, 99)),
        "batch_qps": len(queries) / batch_s,
        "matches": len(qidx),
    }


def _child(phase: str, work: Path, threads: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", phase, "--work", str(work)]
    command += ["--threads", str(threads)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{phase} failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _as_set(result: Result, keep: np.ndarray | None = None) -> set[tuple[int, int, int]]:
    qidx, ids, dist = result
    rows = zip(qidx.tolist(), ids.tolist(), dist.tolist(), strict=True)
    if keep is None:
        return set(rows)
    position = {int(q): i for i, q in enumerate(keep)}
    return {(position[q], r, d) for q, r, d in rows if q in position}


def _faiss_result(lims: np.ndarray, dist: np.ndarray, rows: np.ndarray) -> Result:
    counts = np.diff(lims.astype(np.int64))
    qidx = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    return qidx, rows.astype(np.int64), dist.astype(np.int64)


def _timed(label: str, run: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, seconds, RSS growth in MB) of ``run``."""
    before = _rss_mb()
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    print(f"  {label}: {seconds:.1f} s", flush=True)
    return result, seconds, _rss_mb() - before


def _compare(name: str, theirs: set, ours: set) -> bool:
    same = theirs == ours
    recall = len(theirs & ours) / max(1, len(theirs))
    print(
        f"  {name}: {len(theirs):,} matches; ours {len(ours):,}; recall of ours {recall:.4f}; "
        f"identical: {same}"
    )
    return same


def run_ours(work: Path, threads: int) -> tuple[dict[str, Any], dict[str, Any], Result]:
    built = _child("build", work, threads)
    print(
        f"ours, build (child process): read bank {built['read_s']:.1f} s, build "
        f"{built['build_s']:.1f} s, save {built['save_s']:.1f} s; index {built['index_mb']:,.0f} "
        f"MB; peak RSS {built['peak_mb']:,.0f} MB (process before the bank: "
        f"{built['baseline_mb']:,.0f} MB)",
        flush=True,
    )
    served = _child("serve", work, threads)
    print(
        f"ours, serve (child process): load saved index {served['load_s']:.2f} s (checksums "
        f"verified, mapped); one query at a time: median {served['latency_median_ms']:.3f} ms, "
        f"p99 {served['latency_p99_ms']:.3f} ms; batched, {threads} threads: "
        f"{served['batch_qps']:,.0f} lookups/s; peak RSS {served['peak_mb']:,.0f} MB "
        f"(before loading: {served['baseline_mb']:,.0f} MB)",
        flush=True,
    )
    with np.load(work / "ours.npz") as data:
        result = (data["qidx"], data["ids"], data["dist"])
    return built, served, result


def run_flat(hashes: np.ndarray, queries: np.ndarray, sample: np.ndarray) -> tuple[set, float]:
    flat = faiss.IndexBinaryFlat(256)
    flat.add(hashes)
    start = time.perf_counter()
    # faiss's radius is exclusive.
    found = _faiss_result(*flat.range_search(queries[sample], MAX_DISTANCE + 1))
    qps = len(sample) / (time.perf_counter() - start)
    del flat
    return _as_set(found), qps


def run_multihash(hashes: np.ndarray, queries: np.ndarray) -> tuple[set, float, float, float]:
    def build() -> faiss.IndexBinaryMultiHash:
        index = faiss.IndexBinaryMultiHash(256, 16, 16)
        index.nflip = 1
        index.add(hashes)
        return index

    index, build_s, rss = _timed("faiss IndexBinaryMultiHash add", build)
    start = time.perf_counter()
    found = _faiss_result(*index.range_search(queries, MAX_DISTANCE + 1))
    qps = len(queries) / (time.perf_counter() - start)
    del index
    return _as_set(found), qps, build_s, rss


def run_numpy(hashes: np.ndarray, queries: np.ndarray) -> tuple[set, float, float, float]:
    index, build_s, rss = _timed("numpy engine build", lambda: NumpyPdqIndex.build(None, hashes))
    start = time.perf_counter()
    found = index.query_arrays(queries, MAX_DISTANCE)
    qps = len(queries) / (time.perf_counter() - start)
    del index
    return _as_set(found), qps, build_s, rss


def _planted_missed(corpus: Any, ours: set) -> int:
    found = {(q, r) for q, r, _d in ours}
    return sum(
        (q, int(r)) not in found for q, r in enumerate(corpus.planted_rows.tolist()) if r >= 0
    )


def benchmark(args: argparse.Namespace, work: Path) -> bool:
    size, threads = args.size, args.threads
    print(
        f"== PDQ matching: {size:,} hashes, {args.queries:,} queries, distance <= "
        f"{MAX_DISTANCE}, {threads} threads; load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    start = time.perf_counter()
    corpus = make_corpus(size, args.queries, args.seed)
    np.save(work / "bank.npy", corpus.hashes)
    np.save(work / "queries.npy", corpus.queries)
    print(f"corpus generated in {time.perf_counter() - start:.1f} s (30% clustered)", flush=True)
    _built, served, ours = run_ours(work, threads)
    ours_set = _as_set(ours)
    missed = _planted_missed(corpus, ours_set)
    print(f"planted near-duplicates (distance 0-31) missed: {missed}")
    sample = np.sort(np.random.default_rng(args.seed).choice(args.queries, args.check, False))
    flat_set, flat_qps = run_flat(corpus.hashes, corpus.queries, sample)
    print(f"faiss IndexBinaryFlat range_search, {threads} threads: {flat_qps:,.1f} lookups/s")
    ok = _compare(f"recall against IndexBinaryFlat on {len(sample)} queries", flat_set,
                  _as_set(ours, sample))  # fmt: skip
    mh_set, mh_qps, mh_build, mh_rss = run_multihash(corpus.hashes, corpus.queries)
    print(
        f"faiss IndexBinaryMultiHash: add {mh_build:.1f} s; RSS +{mh_rss:,.0f} MB; "
        f"{mh_qps:,.0f} lookups/s batched, {threads} threads"
    )
    ok &= _compare("IndexBinaryMultiHash, all queries", mh_set, ours_set)
    np_set, np_qps, np_build, np_rss = run_numpy(corpus.hashes, corpus.queries)
    print(
        f"numpy engine: build {np_build:.1f} s; RSS +{np_rss:,.0f} MB; {np_qps:,.0f} lookups/s "
        "batched (one core)"
    )
    ok &= _compare("numpy engine, all queries", np_set, ours_set)
    qps = served["batch_qps"]
    print(
        f"ours / IndexBinaryFlat: {qps / flat_qps:.1f}x; ours / IndexBinaryMultiHash: "
        f"{qps / mh_qps:.1f}x; ours / numpy engine: {qps / np_qps:.1f}x (batched lookups/s); "
        f"load average now {os.getloadavg()[0]:.2f}"
    )
    return ok and missed == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=10_000_000)
    parser.add_argument("--quick", action="store_true", help="1,000,000 hashes")
    parser.add_argument("--queries", type=int, default=4000)
    parser.add_argument("--check", type=int, default=200, help="queries checked by brute force")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--images", action="store_true", help="also the image benchmark")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--phase", choices=["build", "serve"], help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    cpus = sorted(os.sched_getaffinity(0))[: args.threads]
    os.sched_setaffinity(0, cpus)  # inherited by the child processes
    faiss.omp_set_num_threads(args.threads)
    if args.phase:
        phase = phase_build if args.phase == "build" else phase_serve
        print(json.dumps(phase(args.work, args.threads)))
        return 0
    if args.quick:
        args.size = 1_000_000
    args.check = min(args.check, args.queries)
    with tempfile.TemporaryDirectory(prefix="bench-hashes-") as work:
        ok = benchmark(args, Path(work))
    if args.images:
        from hashes_images import image_benchmark

        image_benchmark(n_images=10, seed=args.seed)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
