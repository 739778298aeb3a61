"""Why the PDQ index's tables are allocated by numpy: the search on huge pages against 4 KiB pages.

    nice -n 10 timeout 900 .venv/bin/python bench/bench_hashes_pages.py            # 10,000,000
    nice -n 10 timeout 900 .venv/bin/python bench/bench_hashes_pages.py --size 1000000

One index is built (``kernels.build_tables``: numpy allocates, and asks for huge pages), then the
same hashes and tables are copied into anonymous memory marked ``MADV_NOHUGEPAGE`` (what numba's
own allocator gave before) and the same queries are searched in both, on one thread, in this
process, alternately (three rounds). The results must be identical. Uniform random hashes; each
query is a bank row with 0-31 of its bits flipped. Results in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import mmap
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ctnet.hashes.engine import kernels
from ctnet.hashes.engine.index import _flip_masks, probe_radii

MAX_DISTANCE = 31


def small_pages(array: np.ndarray) -> tuple[np.ndarray, mmap.mmap]:
    buffer = mmap.mmap(-1, max(1, array.nbytes))
    buffer.madvise(mmap.MADV_NOHUGEPAGE)
    copy = np.frombuffer(buffer, dtype=array.dtype, count=array.size).reshape(array.shape)
    copy[...] = array
    return copy, buffer


def huge_kib() -> int:
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith("AnonHugePages:"):
            return int(line.split()[1])
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=10_000_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    hashes = rng.integers(0, 256, size=(args.size, 32), dtype=np.uint8)
    tables, offsets = kernels.build_tables(hashes)
    queries = hashes[rng.integers(0, args.size, args.queries)].copy()
    for row in queries:
        bits = rng.choice(256, size=int(rng.integers(0, MAX_DISTANCE + 1)), replace=False)
        np.bitwise_xor.at(row, bits // 8, (1 << (bits % 8)).astype(np.uint8))
    print(f"{args.size:,} hashes, {args.queries:,} queries; huge pages: {huge_kib():,} KiB")
    small_hashes, _b1 = small_pages(hashes)
    small_tables, _b2 = small_pages(tables)
    small_offsets, _b3 = small_pages(offsets)
    radii = probe_radii(MAX_DISTANCE)
    flips, counts = _flip_masks(int(radii.max()))
    qwords = queries.view(np.uint64)

    def search(words: np.ndarray, t: np.ndarray, o: np.ndarray) -> tuple[float, set]:
        start = time.perf_counter()
        found = kernels.search(words, t, o, qwords, flips, counts, radii, MAX_DISTANCE)
        rate = args.queries / (time.perf_counter() - start)
        return rate, set(zip(*(a.tolist() for a in found), strict=True))

    search(hashes.view(np.uint64), tables, offsets)  # compile/load the kernel first
    same = True
    for round_ in range(3):
        huge, ours = search(hashes.view(np.uint64), tables, offsets)
        small, theirs = search(small_hashes.view(np.uint64), small_tables, small_offsets)
        same &= ours == theirs
        print(
            f"round {round_ + 1}: huge pages {huge:,.0f} queries/s, 4 KiB pages {small:,.0f}; "
            f"{huge / small:.2f}x"
        )
    print(f"identical results: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
