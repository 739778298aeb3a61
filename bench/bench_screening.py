"""Benchmark of the FTF screening engine (ctnet.screening.engine) against a brute-force baseline.

    .venv/bin/python bench/bench_screening.py   # 1,000,000 entries, 100,000 travellers
    .venv/bin/python bench/bench_screening.py --entries 100000 --travellers 20000 --seed 1
    .venv/bin/python bench/bench_screening.py --quick

Prints candidate recall / alert precision per variant kind, UN-list original-script and alias
recall, false alerts per 1,000 unlisted travellers, throughput, build time, peak memory, and
the same figures for a brute-force rapidfuzz scan (on a subsample, extrapolated).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ctnet.screening.engine import synthetic
from ctnet.screening.engine.batch import screen_batch
from ctnet.screening.engine.index import CandidateIndex
from ctnet.screening.engine.model import NameKind, Traveller, WatchlistEntry
from ctnet.screening.engine.normalise import normalise_name
from ctnet.screening.engine.score import DEFAULT_THRESHOLD
from ctnet.screening.engine.unlist import load_un_list

UN_XML = Path("/work/shared/data/un-sc-consolidated-list-2018-10-29.xml")
THRESHOLDS = (0.75, 0.80, 0.85, 0.90)
BASELINE_CUTOFF = 85  # token_set_ratio over normalised names, a common brute-force setting


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_list(n: int, seed: int) -> tuple[list[WatchlistEntry], list[synthetic.Person]]:
    gen = synthetic.NameGenerator(seed)
    entries, people = [], []
    for i in range(n):
        entry, person = gen.entry(i)
        entries.append(entry)
        people.append(person)
    return entries, people


def build_travellers(
    m: int, seed: int, entries: list[WatchlistEntry], people: list[synthetic.Person]
) -> list[tuple[Traveller, str, int | None]]:
    """(traveller, kind, source entry position or None); half listed variants, half unlisted."""
    rng = random.Random(seed + 1)
    gen = synthetic.NameGenerator(seed + 1000)  # other people, same naming cultures
    out: list[tuple[Traveller, str, int | None]] = []
    while len(out) < m // 2:
        pos = rng.randrange(len(entries))
        kind = rng.choice(synthetic.VARIANT_KINDS)
        name = synthetic.variant(rng, people[pos], kind)
        if name:
            tid = f"L{len(out)}"
            out.append((synthetic.traveller_like(rng, tid, name, entries[pos], gen), kind, pos))
    for i in range(m - len(out)):
        person = gen.person()
        name = " ".join(person.parts)
        out.append((synthetic.traveller_like(rng, f"U{i}", name, None, gen), "unlisted", None))
    return out


def engine_run(index: CandidateIndex, travellers: list[tuple[Traveller, str, int | None]]) -> None:
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # kind -> [found, total]
    for traveller, kind, pos in travellers:
        if pos is None:
            continue
        year = traveller.dob.year_from if traveller.dob else None
        cands = index.candidate_entries(normalise_name(traveller.name), None, year)
        kinds[kind][0] += pos in cands
        kinds[kind][1] += 1
    print("\n== candidate recall (true entry in the candidate set) ==")
    for kind, (found, total) in sorted(kinds.items()):
        print(f"  {kind:16s} {found / total:.4f}  ({found}/{total})")
    started = time.perf_counter()
    results = screen_batch(index, [t for t, _, _ in travellers], min(THRESHOLDS))
    elapsed = time.perf_counter() - started
    print(
        f"\nscreening (2 processes, {len(travellers)} travellers, >= {min(THRESHOLDS)}): "
        f"{elapsed:.1f} s = {len(travellers) / elapsed:.0f} travellers/s"
    )
    report_alerts(index, travellers, results)


def report_alerts(index, travellers, results) -> None:
    for threshold in THRESHOLDS:
        stats: dict[str, list[int]] = defaultdict(
            lambda: [0, 0, 0, 0]
        )  # hit, total, correct, alerts
        for (_traveller, kind, pos), matches in zip(travellers, results, strict=True):
            alerts = [m for m in matches if m.score >= threshold]
            row = stats[kind]
            row[1] += 1
            row[3] += len(alerts)
            if pos is not None:
                ref = index.entries[pos].entry_id
                row[0] += any(m.entry_id == ref for m in alerts)
                row[2] += sum(m.entry_id == ref for m in alerts)
            else:
                row[0] += bool(alerts)
        mark = " (DEFAULT_THRESHOLD)" if threshold == DEFAULT_THRESHOLD else ""
        print(f"\n== alerts at threshold {threshold}{mark} ==")
        for kind, (hit, total, correct, alerts) in sorted(stats.items()):
            if kind == "unlisted":
                print(
                    f"  unlisted: {1000 * hit / total:.1f} travellers with a false alert per 1,000"
                )
            else:
                prec = correct / alerts if alerts else float("nan")
                print(f"  {kind:16s} alert recall {hit / total:.4f}  precision {prec:.4f}")


def un_recall() -> None:
    """UN list: original-script names and Good aliases against a list of primary names only."""
    entries = load_un_list(UN_XML)
    primaries = [
        WatchlistEntry(e.entry_id, [n for n in e.names if n.kind is NameKind.PRIMARY], dobs=e.dobs)
        for e in entries
    ]
    index = CandidateIndex(primaries)
    print("\n== UN list 2018-10-29: other names screened against primary names only ==")
    for kind in (NameKind.ORIGINAL_SCRIPT, NameKind.STRONG_ALIAS):
        found = total = 0
        for pos, entry in enumerate(entries):
            for name in entry.names:
                if name.kind is kind:
                    total += 1
                    found += pos in index.candidate_entries(normalise_name(name.text))
        print(f"  {kind.value:16s} candidate recall {found / total:.4f}  ({found}/{total})")


def baseline(entries, travellers, sample: int, seed: int) -> float:
    """Brute force: rapidfuzz token_set_ratio of every traveller against every listed name."""
    names, owner = [], []
    for pos, entry in enumerate(entries):
        for n in entry.names:
            names.append(" ".join(normalise_name(n.text).tokens))
            owner.append(pos)
    owner_np = np.asarray(owner)
    rng = random.Random(seed)
    listed = [t for t in travellers if t[2] is not None]
    subset = rng.sample(listed, min(sample, len(listed)))
    started = time.perf_counter()
    found = 0
    for traveller, _, pos in subset:
        query = " ".join(normalise_name(traveller.name).tokens)
        scores = process.cdist(
            [query], names, scorer=fuzz.token_set_ratio, workers=2, score_cutoff=BASELINE_CUTOFF
        )[0]
        found += pos in set(owner_np[np.nonzero(scores)[0]].tolist())
    elapsed = time.perf_counter() - started
    rate = len(subset) / elapsed
    print(
        f"\n== brute-force baseline (rapidfuzz cdist token_set_ratio >= {BASELINE_CUTOFF}, "
        f"2 workers, {len(names)} names) on a subsample of {len(subset)} listed travellers =="
    )
    print(
        f"  recall {found / len(subset):.4f}; {rate:.2f} travellers/s "
        f"(extrapolated: {len(travellers) / rate / 3600:.1f} h for all {len(travellers)})"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--travellers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline-sample", type=int, default=100)
    parser.add_argument("--quick", action="store_true", help="20,000 entries, 4,000 travellers")
    args = parser.parse_args()
    if args.quick:
        args.entries, args.travellers, args.baseline_sample = 20_000, 4_000, 50
    print(f"entries={args.entries} travellers={args.travellers} seed={args.seed}")
    started = time.perf_counter()
    entries, people = build_list(args.entries, args.seed)
    travellers = build_travellers(args.travellers, args.seed, entries, people)
    print(
        f"data generation: {time.perf_counter() - started:.1f} s; peak RSS {peak_rss_mb():.0f} MB"
    )
    started = time.perf_counter()
    index = CandidateIndex(entries)
    build = time.perf_counter() - started
    print(
        f"index build: {build:.1f} s, {index.name_count} names, {len(index.keys)} pair postings, "
        f"{len(index.skel_ids)} skeletons; peak RSS {peak_rss_mb():.0f} MB"
    )
    engine_started = time.perf_counter()
    engine_run(index, travellers)
    engine_rate = len(travellers) / (time.perf_counter() - engine_started)
    un_recall()
    base_rate = baseline(entries, travellers, args.baseline_sample, args.seed)
    print(
        f"\nengine/baseline throughput ratio: {engine_rate / base_rate:.0f}x "
        f"(engine figure includes the recall pass)"
    )
    print(f"peak RSS (whole run, this process): {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
