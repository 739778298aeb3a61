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
import os
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
from ctnet.screening.engine.normalise import NormalisedName, normalise_name
from ctnet.screening.engine.score import DEFAULT_THRESHOLD, dob_evidence
from ctnet.screening.engine.unlist import load_un_list

UN_XML = Path("/work/shared/data/un-sc-consolidated-list-2018-10-29.xml")
THRESHOLDS = tuple(sorted({0.75, 0.80, 0.85, 0.90, DEFAULT_THRESHOLD}))
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
        traveller = synthetic.traveller_like(rng, f"U{i}", name, None, gen, person.culture)
        out.append((traveller, "unlisted", None))
    return out


def name_key(norm: NormalisedName) -> tuple[str, ...]:
    return tuple(sorted(norm.tokens))


def exact_homonyms(index: CandidateIndex, travellers: list[tuple[Traveller, str, int | None]]):
    """Unlisted travellers whose normalised name equals a listed name (any kind): true homonyms."""
    listed = {name_key(n) for n in index.name_norm}
    return {
        t.traveller_id
        for t, _, pos in travellers
        if pos is None and name_key(normalise_name(t.name)) in listed
    }


def candidate_recall(index: CandidateIndex, travellers) -> None:
    # kind -> [found, total, found and total among travellers whose DOB does not conflict]:
    # a listed traveller whose date of birth conflicts with the entry's (20 % by design) cannot
    # reach the threshold anyway, and a common-name pair is read only in its birth-year window.
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    sizes = []
    for traveller, kind, pos in travellers:
        dob = traveller.dob
        cands = index.candidate_entries(
            normalise_name(traveller.name), None, dob.year_from if dob else None,
            nationality=traveller.nationality,
            birth_date=dob.date.toordinal() if dob and dob.date else None,
        )  # fmt: skip
        sizes.append(len(cands))
        if pos is None:
            continue
        row = kinds[kind]
        row[0] += pos in cands
        row[1] += 1
        if dob_evidence(traveller.dob, index.entries[pos].dobs)[1] != "dob:conflict":
            row[2] += pos in cands
            row[3] += 1
    print("\n== candidate recall (true entry among the entries passed to scoring) ==")
    for kind, (found, total, found_nc, total_nc) in sorted(kinds.items()):
        print(
            f"  {kind:16s} {found / total:.4f}  ({found}/{total}); "
            f"DOB not conflicting {found_nc / total_nc:.4f} ({found_nc}/{total_nc})"
        )
    print(f"  candidate entries per traveller: mean {np.mean(sizes):.1f}, max {max(sizes)}")


def engine_run(index: CandidateIndex, travellers, single_sample: int, seed: int):
    candidate_recall(index, travellers)
    plain = [t for t, _, _ in travellers]
    sample = random.Random(seed).sample(plain, min(single_sample, len(plain)))
    started, cpu = time.perf_counter(), time.process_time()
    screen_batch(index, sample, min(THRESHOLDS), workers=1)
    one = len(sample) / (time.perf_counter() - started)
    # CPU time too: the machine may be shared, and wall time then understates the engine.
    one_cpu = len(sample) / (time.process_time() - cpu)
    started = time.perf_counter()
    results = screen_batch(index, plain, min(THRESHOLDS), workers=2)
    elapsed = time.perf_counter() - started
    two = len(plain) / elapsed
    print(f"\n== throughput (screening incl. name normalisation, >= {min(THRESHOLDS)}) ==")
    print(f"  1 process : {one:.0f} travellers/s wall, {one_cpu:.0f}/s of CPU ({len(sample)})")
    print(f"  load average during the run: {os.getloadavg()[0]:.2f} (2 cores)")
    print(
        f"  2 processes (fork): {two:.0f} travellers/s ({len(plain)} travellers, {elapsed:.1f} s)"
    )
    return results, two


def report_alerts(index, travellers, results, homonyms: set[str]) -> None:
    unlisted = sum(pos is None for _, _, pos in travellers)
    print(
        f"\nunlisted travellers: {unlisted}; exact homonyms of a listed name among them: "
        f"{len(homonyms)}"
    )
    for threshold in THRESHOLDS:
        stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # hit, total, ok, alerts
        homonym_alerts = 0
        for (traveller, kind, pos), matches in zip(travellers, results, strict=True):
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
                homonym_alerts += bool(alerts) and traveller.traveller_id in homonyms
        mark = " (DEFAULT_THRESHOLD)" if threshold == DEFAULT_THRESHOLD else ""
        print(f"\n== alerts at threshold {threshold}{mark} ==")
        for kind, (hit, total, correct, alerts) in sorted(stats.items()):
            if kind == "unlisted":
                other = hit - homonym_alerts
                print(
                    f"  unlisted: {1000 * hit / total:.2f} per 1,000 with a false alert "
                    f"({hit}); excluding true homonyms {1000 * other / (total - len(homonyms)):.2f}"
                    f" per 1,000 ({other}); homonyms alerted {homonym_alerts}/{len(homonyms)}"
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
    parser.add_argument("--single-sample", type=int, default=10_000, help="travellers, 1 process")
    parser.add_argument("--no-baseline", action="store_true", help="skip the brute-force scan")
    parser.add_argument("--quick", action="store_true", help="20,000 entries, 4,000 travellers")
    args = parser.parse_args()
    if args.quick:
        args.entries, args.travellers, args.baseline_sample = 20_000, 4_000, 50
        args.single_sample = 2_000
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
    results, engine_rate = engine_run(index, travellers, args.single_sample, args.seed)
    report_alerts(index, travellers, results, exact_homonyms(index, travellers))
    un_recall()
    if not args.no_baseline:
        base_rate = baseline(entries, travellers, args.baseline_sample, args.seed)
        print(
            f"\nengine/baseline throughput ratio (2 processes each): {engine_rate / base_rate:.0f}x"
        )
    print(f"peak RSS (whole run, this process): {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
