"""Benchmark of the whole `ctnet hashes match` command at HMA's scale, with and without --index.

    nice -n 10 timeout 3600 .venv/bin/python bench/bench_hashes_cli.py           # 10,000,000 hashes
    nice -n 10 timeout 900 .venv/bin/python bench/bench_hashes_cli.py --quick    # 1,000,000

What a platform's operator runs: a bank CSV (``id,signal_type,value``) and a queries CSV in, a
matches CSV out. The bank is the clustered synthetic corpus of ``bench_hashes.py`` (same seed,
same planted near-duplicates). Each run is the real command in a child process, pinned to the
same ``--threads`` CPUs (``taskset``), so its wall time and peak memory (``VmHWM``) are the
command's alone:

* ``baseline``: no ``--index`` (read and index the bank, match, write);
* ``first``: ``--index FILE`` with no file yet (the same, plus saving the index);
* ``saved``: ``--index FILE`` again (checksum the bank, map the saved index, match, write).

The three outputs must be identical and every planted query must find its row; otherwise the
exit status is 1. Results and the command are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hashes_corpus import make_corpus

ROOT = Path(__file__).resolve().parent.parent
_CHUNK = 1_000_000


def write_csv(path: Path, prefix: str, hashes: np.ndarray) -> None:
    """``id,signal_type,value`` rows, written a million at a time from one hex string."""
    with open(path, "w", encoding="utf-8") as fp:
        fp.write("id,signal_type,value\n")
        for start in range(0, len(hashes), _CHUNK):
            text = hashes[start : start + _CHUNK].tobytes().hex()
            fp.write(
                "".join(
                    f"{prefix}{start + i},pdq,{text[64 * i : 64 * i + 64]}\n"
                    for i in range(len(text) // 64)
                )
            )


# The command as the console script runs it, then its own peak resident memory. VmHWM is that
# of the process's memory since exec; ``ru_maxrss`` would also count this parent's peak, which a
# child inherits across fork and exec (Linux carries it over), and the parent holds the corpus.
_WRAPPER = """
import sys
from ctnet.cli import main
status = main(["hashes", "match", *sys.argv[1:]])
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        print(int(line.split()[1]) * 1024)
sys.exit(status)
"""


def run(label: str, args: list[str], threads: int) -> tuple[float, float]:
    cpus = ",".join(str(c) for c in sorted(os.sched_getaffinity(0))[:threads])
    command = ["taskset", "-c", cpus, sys.executable, "-c", _WRAPPER, *args]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{label}: exit status {done.returncode}\n{done.stderr}")
    peak_mb = int(done.stdout.split()[-1]) / 1e6
    print(f"{label:9} {wall:8.1f} s wall   peak {peak_mb:7.0f} MB", flush=True)
    return wall, peak_mb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=10_000_000)
    parser.add_argument("--quick", action="store_true", help="1,000,000 hashes")
    parser.add_argument("--queries", type=int, default=4000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    size = 1_000_000 if args.quick else args.size
    with tempfile.TemporaryDirectory(prefix="ctnet-bench-cli-") as tmp:
        work = Path(tmp)
        corpus = make_corpus(size, args.queries, args.seed)
        bank, queries = work / "bank.csv", work / "queries.csv"
        write_csv(bank, "b", corpus.hashes)
        write_csv(queries, "q", corpus.queries)
        planted = {(f"q{q}", f"b{r}") for q, r in enumerate(corpus.planted_rows.tolist()) if r >= 0}
        del corpus
        print(
            f"bank {size:,} PDQ hashes ({bank.stat().st_size / 1e6:,.0f} MB CSV), "
            f"{args.queries:,} queries, {args.threads} threads"
        )
        common = ["--bank", str(bank), "--queries", str(queries)]
        saved = work / "bank.idx"
        outs = {name: work / f"{name}.csv" for name in ("baseline", "first", "saved")}
        base, _ = run("baseline", [*common, "--out", str(outs["baseline"])], args.threads)
        run("first", [*common, "--index", str(saved), "--out", str(outs["first"])], args.threads)
        again, _ = run(
            "saved", [*common, "--index", str(saved), "--out", str(outs["saved"])], args.threads
        )
        print(f"index file {saved.stat().st_size / 1e6:,.0f} MB")
        print(f"saved/baseline: {base / again:.1f}x faster")
        results = {name: out.read_bytes() for name, out in outs.items()}
        with open(outs["saved"], encoding="utf-8", newline="") as fp:
            found = {(row[0], row[1]) for row in csv.reader(fp)}
    same = len(set(results.values())) == 1
    missed = len(planted - found)
    print(f"outputs identical: {same}; planted near-duplicates missed: {missed} of {len(planted)}")
    return 0 if same and missed == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
