"""The saved, mapped candidate index: load time in a new process, memory per extra process, and
``ctnet screen`` with and without ``--index``.

    .venv/bin/python bench/bench_screening_index.py --entries 1000000 --travellers 25000

Writes a synthetic list (CSV ``id,name,aliases,dob,nationality``) and a traveller file under
``--workdir`` (kept between runs), then:

1. ``ctnet screen`` without ``--index`` (parse + build + screen, as before), with ``--index``
   on a missing file (build + save) and again (map the saved file);
2. two new processes that each map the saved index and screen the same travellers while the
   other holds it: load time, and resident memory from ``/proc/self/smaps_rollup`` (RSS, PSS:
   shared pages divided among the processes that map them, private: what the process alone
   holds).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from ctnet.screening.engine import synthetic

PROBE = r"""
import json, sys, time
started = time.perf_counter()
from ctnet.screening.engine.index import CandidateIndex
from ctnet.screening.engine.batch import load_passengers, screen_many
imported = time.perf_counter()
index = CandidateIndex.load(sys.argv[1])
loaded = time.perf_counter()
travellers = load_passengers(sys.argv[2]).travellers[: int(sys.argv[3])]
t0 = time.perf_counter()
results = screen_many(index, travellers)
screened = time.perf_counter()
def rollup():
    out = {}
    for line in open("/proc/self/smaps_rollup"):
        parts = line.split()
        if len(parts) == 3 and parts[2] == "kB":
            out[parts[0].rstrip(":")] = int(parts[1]) / 1024
    return out
mem = rollup()
print(json.dumps({"import_s": imported - started, "load_s": loaded - imported,
                  "screen_s": screened - t0, "travellers": len(travellers),
                  "matches": sum(map(len, results)), "mem": mem}), flush=True)
sys.stdin.readline()  # hold the mapping until told to go
"""


def write_files(workdir: Path, entries: int, travellers: int) -> tuple[Path, Path]:
    workdir.mkdir(parents=True, exist_ok=True)
    list_path = workdir / f"list-{entries}.csv"
    traveller_path = workdir / f"travellers-{travellers}-of-{entries}.csv"
    if list_path.exists() and traveller_path.exists():
        return list_path, traveller_path
    started = time.perf_counter()
    gen = synthetic.NameGenerator(1)
    people = []
    with list_path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "aliases", "dob", "nationality"])
        for i in range(entries):
            entry, person = gen.entry(i)
            people.append((entry, person))
            aliases = "|".join(n.text for n in entry.names[1:] if n.kind == "strong_alias")
            dob = next(iter(entry.dobs), None)
            dob_text = (dob.date.isoformat() if dob.date else str(dob.year_from)) if dob else ""
            out.writerow([entry.entry_id, entry.names[0].text, aliases, dob_text,
                          next(iter(entry.nationalities), "")])  # fmt: skip
    rng = random.Random(2)
    other = synthetic.NameGenerator(1001)
    with traveller_path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "dob", "nationality", "document"])
        for i in range(travellers):
            if i % 2:
                entry, person = people[rng.randrange(len(people))]
                name = synthetic.variant(rng, person, rng.choice(synthetic.VARIANT_KINDS))
                name = name or entry.names[0].text
                dob = next(iter(entry.dobs), None)
            else:
                name, dob = " ".join(other.person().parts), other.dob()
            dob_text = dob.date.isoformat() if dob is not None and dob.date else ""
            out.writerow([f"T{i}", name, dob_text, "", ""])
    print(f"files written in {time.perf_counter() - started:.1f} s: {list_path}, {traveller_path}")
    return list_path, traveller_path


def screen_cli(list_path: Path, travellers: Path, out: Path, index: Path | None) -> float:
    argv = [sys.executable, "-m", "ctnet.cli", "screen", "--watchlist", str(list_path),
            "--travellers", str(travellers), "--out", str(out)]  # fmt: skip
    if index is not None:
        argv += ["--index", str(index)]
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    summary = " | ".join(line for line in done.stderr.splitlines() if not line.startswith("  "))
    print(f"  {elapsed:7.1f} s wall  {summary}")
    return elapsed


def probes(index: Path, travellers: Path, count: int) -> None:
    """Two processes map the same file; each reports after the other started."""
    argv = [sys.executable, "-c", PROBE, str(index), str(travellers), str(count)]
    first = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert first.stdout is not None and first.stdin is not None
    one = json.loads(first.stdout.readline())
    second = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert second.stdout is not None and second.stdin is not None
    two = json.loads(second.stdout.readline())
    for proc in (first, second):
        assert proc.stdin is not None
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait()
    for label, r in (("first process", one), ("second process", two)):
        m = r["mem"]
        private = m.get("Private_Clean", 0) + m.get("Private_Dirty", 0)
        print(
            f"  {label}: imports {r['import_s']:.2f} s, index load {r['load_s']:.2f} s, "
            f"{r['travellers']} travellers in {r['screen_s']:.1f} s ({r['matches']} matches); "
            f"RSS {m['Rss']:.0f} MB, PSS {m['Pss']:.0f} MB, private {private:.0f} MB, "
            f"shared {m.get('Shared_Clean', 0) + m.get('Shared_Dirty', 0):.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--travellers", type=int, default=25_000)
    parser.add_argument("--probe-travellers", type=int, default=2_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ctnet-bench-index"))  # noqa: S108
    parser.add_argument("--skip-plain", action="store_true", help="skip the run without --index")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    list_path, travellers = write_files(args.workdir, args.entries, args.travellers)
    index = args.workdir / f"list-{args.entries}.ctidx"
    index.unlink(missing_ok=True)
    out = args.workdir / "out.csv"
    print(f"ctnet screen, {args.travellers} travellers against {args.entries} entries:")
    if not args.skip_plain:
        print(" without --index:")
        screen_cli(list_path, travellers, out, None)
    print(" with --index, no saved file yet (build and save):")
    screen_cli(list_path, travellers, out, index)
    print(f"  saved index: {index.stat().st_size / 1e6:.0f} MB")
    print(" with --index again (map the saved file):")
    screen_cli(list_path, travellers, out, index)
    print(f"new processes mapping the saved index, {args.probe_travellers} travellers each:")
    probes(index, travellers, args.probe_travellers)
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
