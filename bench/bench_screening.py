"""Benchmark of the FTF screening engine (ctnet.screening.engine) against a brute-force baseline.

    .venv/bin/python bench/bench_screening.py   # 1,000,000 entries + UN, 100,000 travellers
    .venv/bin/python bench/bench_screening.py --entries 200000 --travellers 20000 --seed 2
    .venv/bin/python bench/bench_screening.py --quick

Seed 1 is the evaluation seed (run it once, at the end). Rounds 1-2 of issue 12 were tuned on
seed 2, round 3 (full-name floor, docs/screening.md) on seed 0.

Headline: **alert recall** (the true entry at or above the default threshold) per kind of name
variant, among listed travellers whose date of birth does not conflict with the entry's, with
candidate recall beside it; **false alerts per 1,000 unlisted travellers**, namesakes included,
split by what the dates of birth could tell. The real UN list (2018-10-29, individuals, primary
Latin names only) is inside the synthetic list; its original-script names are one kind of
traveller. A calibration table gives the same figures over a range of thresholds, and the
brute-force rapidfuzz scan runs in the same process on as many cores (throughput ratio printed).
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
from ctnet.screening.engine.score import (
    BAND_POSSIBLE,
    BAND_STRONG,
    DEFAULT_THRESHOLD,
    FULL_NAME_FLOOR,
    Match,
    band,
    dob_evidence,
)
from ctnet.screening.engine.unlist import load_un_list

UN_XML = Path("/work/shared/data/un-sc-consolidated-list-2018-10-29.xml")
# Thresholds of the calibration table; results are screened once at the lowest.
TABLE_THRESHOLDS = tuple(
    sorted({*(round(0.70 + 0.02 * i, 2) for i in range(14)), DEFAULT_THRESHOLD})
)
BASELINE_CUTOFF = 85  # token_set_ratio over normalised names, a common brute-force setting
WORKERS = 2  # the engine's processes and the baseline's threads: the same 2 cores
# Travellers checked without a date of birth (a name typed by hand at a single check).
NO_DOB = 0.10
HEADLINE = ("typo", "translit", "order", "mrz", "dropped", "original_script", "un_original_script")
KINDS = ("exact", *HEADLINE, "un_alias")

Row = tuple[Traveller, str, str, int | None]  # traveller, kind, rule, true entry position


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def un_entries() -> tuple[list[WatchlistEntry], list[WatchlistEntry]]:
    """(the UN individuals with their primary Latin name only, the full entries)."""
    full = [e for e in load_un_list(UN_XML, include_entities=False) if e.names]
    primary = [
        WatchlistEntry(
            e.entry_id, [n for n in e.names if n.kind is NameKind.PRIMARY][:1] or e.names[:1],
            dobs=e.dobs, nationalities=e.nationalities, documents=e.documents,
        )
        for e in full
    ]  # fmt: skip
    return primary, full


def build_list(n: int, seed: int):
    """n synthetic entries and the UN list's individuals (primary names only), one list."""
    gen = synthetic.NameGenerator(seed)
    entries, people = [], []
    for i in range(n):
        entry, person = gen.entry(i)
        entries.append(entry)
        people.append(person)
    primary, full = un_entries()
    un_first = len(entries)
    for e in primary:
        entries.append(e)
        people.append(synthetic.Person("un", e.names[0].text.split()))
    return entries, people, full, un_first


def build_travellers(m: int, seed: int, entries, people, un_full, un_first: int) -> list[Row]:
    """Half listed variants (drawn over the whole list, UN entries included), the UN list's
    original-script names and Good aliases, and unlisted travellers."""
    rng = random.Random(seed + 1)
    gen = synthetic.NameGenerator(seed + 1000)  # other people, same naming cultures
    out: list[Row] = []
    while len(out) < m // 2:
        pos = rng.randrange(len(entries))
        kind = rng.choice(synthetic.VARIANT_KINDS)
        name, rule = synthetic.variant_with_rule(rng, people[pos], kind)
        if name:
            t = synthetic.traveller_like(
                rng, f"L{len(out)}", name, entries[pos], gen, no_dob=NO_DOB
            )
            out.append((t, kind, rule, pos))
    for k, entry in enumerate(un_full):
        pos = un_first + k
        for name in entry.names:
            kind = {
                NameKind.ORIGINAL_SCRIPT: "un_original_script",
                NameKind.STRONG_ALIAS: "un_alias",
            }
            if name.kind in kind:
                tid = f"N{len(out)}"
                t = synthetic.traveller_like(rng, tid, name.text, entries[pos], gen, no_dob=NO_DOB)
                out.append((t, kind[name.kind], kind[name.kind], pos))
    for i in range(m - m // 2):
        person = gen.person()
        name = " ".join(person.parts)
        t = synthetic.traveller_like(rng, f"U{i}", name, None, gen, person.culture, no_dob=NO_DOB)
        out.append((t, "unlisted", "unlisted", None))
    return out


def name_key(norm: NormalisedName) -> tuple[str, ...]:
    return tuple(sorted(norm.tokens))


def namesakes(index: CandidateIndex, travellers: list[Row]) -> dict[str, str]:
    """Unlisted travellers who carry exactly a listed name (after normalisation), by what the
    dates of birth can tell: "dob_differs" (every such entry's date conflicts with the
    traveller's), "no_dob" (the traveller or one such entry has none), "dob_close"."""
    by_key: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for name_id, norm in enumerate(index.name_norm):
        by_key[name_key(norm)].append(int(index.name_entry_np[name_id]))
    out = {}
    for t, _, _, pos in travellers:
        if pos is not None:
            continue
        owners = by_key.get(name_key(normalise_name(t.name)))
        if not owners:
            continue
        dobs = [index.entries[p].dobs for p in owners]
        if t.dob is None or not all(dobs):
            out[t.traveller_id] = "no_dob"
        elif all(dob_evidence(t.dob, d)[1] == "dob:conflict" for d in dobs):
            out[t.traveller_id] = "dob_differs"
        else:
            out[t.traveller_id] = "dob_close"
    return out


def conflicts(index: CandidateIndex, row: Row) -> bool:
    t, _, _, pos = row
    return pos is not None and dob_evidence(t.dob, index.entries[pos].dobs)[1] == "dob:conflict"


def candidate_found(index: CandidateIndex, travellers: list[Row]) -> list[bool]:
    """Per listed traveller: is the true entry among the entries passed to scoring (capped)?"""
    out = []
    for traveller, _, _, pos in travellers:
        if pos is None:
            out.append(False)
            continue
        dob = traveller.dob
        cands = index.candidate_entries(
            normalise_name(traveller.name), None, dob.year_from if dob else None,
            nationality=traveller.nationality,
            birth_date=dob.date.toordinal() if dob and dob.date else None,
        )  # fmt: skip
        out.append(pos in cands)
    return out


def throughput(index: CandidateIndex, travellers: list[Row], single_sample: int, seed: int):
    plain = [t for t, _, _, _ in travellers]
    sample = random.Random(seed).sample(plain, min(single_sample, len(plain)))
    started, cpu = time.perf_counter(), time.process_time()
    screen_batch(index, sample, min(TABLE_THRESHOLDS), workers=1)
    one = len(sample) / (time.perf_counter() - started)
    # CPU time too: the machine may be shared, and wall time then understates the engine.
    one_cpu = len(sample) / (time.process_time() - cpu)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    results = screen_batch(index, plain, min(TABLE_THRESHOLDS), workers=WORKERS)
    elapsed = time.perf_counter() - started
    two = len(plain) / elapsed
    low = min(TABLE_THRESHOLDS)
    print(f"\n== throughput, index held (screening incl. name normalisation, >= {low}) ==")
    print(f"  1 process : {one:.0f} travellers/s wall, {one_cpu:.0f}/s of CPU ({len(sample)})")
    print(f"  {WORKERS} processes (fork): {two:.0f} travellers/s ({len(plain)}, {elapsed:.1f} s)")
    print(f"  load average before / after: {load:.2f} / {os.getloadavg()[0]:.2f} (2 cores)")
    return results, two


def alerted(matches: list[Match], threshold: float, pos: int | None, index: CandidateIndex) -> bool:
    if pos is None:
        return any(m.score >= threshold for m in matches)
    ref = index.entries[pos].entry_id
    return any(m.entry_id == ref and m.score >= threshold for m in matches)


def recall_report(index, travellers: list[Row], results, found: list[bool]) -> None:
    t = DEFAULT_THRESHOLD
    print(f"\n== HEADLINE: alert recall at the default threshold {t} (listed travellers) ==")
    print("  kind               alert recall, DOB not conflicting | candidate recall | all (incl. "
          "the 20 % carrying another DOB) | DOB conflicting")  # fmt: skip
    rules: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for kind in KINDS:
        rows = [
            (r, m, f) for r, m, f in zip(travellers, results, found, strict=True) if r[1] == kind
        ]
        if not rows:
            continue
        ok = [(r, m, f) for r, m, f in rows if not conflicts(index, r)]
        bad = [(r, m, f) for r, m, f in rows if conflicts(index, r)]
        hit = sum(alerted(m, t, r[3], index) for r, m, _ in ok)
        cand = sum(f for _, _, f in ok)
        hit_all = sum(alerted(m, t, r[3], index) for r, m, _ in rows)
        hit_bad = sum(alerted(m, t, r[3], index) for r, m, _ in bad)
        for r, m, _ in ok:
            rules[(kind, r[2])][0] += alerted(m, t, r[3], index)
            rules[(kind, r[2])][1] += 1
        print(
            f"  {kind:18s} {hit / len(ok):.4f} ({hit}/{len(ok)}) | {cand / len(ok):.4f} | "
            f"{hit_all / len(rows):.4f} ({len(rows)}) | {hit_bad}/{len(bad)}"
        )
    print("  by generation rule (DOB not conflicting): " + "; ".join(
        f"{k}/{rule} {h / n:.4f} ({n})" for (k, rule), (h, n) in sorted(rules.items())
        if rule != k
    ))  # fmt: skip


def false_alerts(travellers: list[Row], results, homonyms: dict[str, str], threshold: float):
    """(alerted unlisted travellers, of whom namesakes by kind)."""
    total = 0
    by: dict[str, int] = defaultdict(int)
    for (t, _, _, pos), matches in zip(travellers, results, strict=True):
        if pos is None and any(m.score >= threshold for m in matches):
            total += 1
            by[homonyms.get(t.traveller_id, "not_namesake")] += 1
    return total, by


def unlisted_report(travellers: list[Row], results, homonyms: dict[str, str]) -> None:
    unlisted = sum(pos is None for _, _, _, pos in travellers)
    groups: dict[str, int] = defaultdict(int)
    for g in homonyms.values():
        groups[g] += 1
    total, by = false_alerts(travellers, results, homonyms, DEFAULT_THRESHOLD)
    per = 1000 / unlisted
    print(f"\n== HEADLINE: false alerts at the default threshold {DEFAULT_THRESHOLD} ==")
    print(f"  unlisted travellers {unlisted} ({NO_DOB:.0%} without a date of birth); namesakes "
          f"(a listed name): {len(homonyms)} = DOB clearly differs {groups['dob_differs']}, "
          f"no DOB to compare {groups['no_dob']}, DOB close {groups['dob_close']}")  # fmt: skip
    print(f"  false alerts per 1,000 unlisted, namesakes included: {total * per:.2f} ({total})")
    print(f"    not namesakes {by['not_namesake'] * per:.2f} ({by['not_namesake']}); "
          f"namesakes, DOB clearly differs {by['dob_differs']}/{groups['dob_differs']}; "
          f"no DOB to compare {by['no_dob']}/{groups['no_dob']}; "
          f"DOB close {by['dob_close']}/{groups['dob_close']}")  # fmt: skip
    print(f"    excluding the namesakes without a DOB to compare (which may alert): "
          f"{(total - by['no_dob']) * per:.2f} per 1,000")  # fmt: skip


def calibration_table(index, travellers: list[Row], results, homonyms: dict[str, str]) -> None:
    unlisted = sum(pos is None for _, _, _, pos in travellers)
    print("\n== calibration: alert recall (DOB not conflicting), false alerts per 1,000 ==")
    print(
        f"  (^: above FULL_NAME_FLOOR {FULL_NAME_FLOOR}, so without the exact full-name matches "
        "that the floor raises: what raising SCREENING_THRESHOLD alone would give)"
    )
    head = " ".join(f"{k[:8]:>8s}" for k in HEADLINE)
    print(f"  thr   {head} | FA/1000 all  not-ns  ns:dob-differs  ns:no-dob")
    ok = [
        (r, m) for r, m in zip(travellers, results, strict=True)
        if r[3] is not None and not conflicts(index, r)
    ]  # fmt: skip
    for t in TABLE_THRESHOLDS:
        cells = []
        for kind in HEADLINE:
            rows = [(r, m) for r, m in ok if r[1] == kind]
            hit = sum(alerted(m, t, r[3], index) for r, m in rows)
            cells.append(f"{hit / max(1, len(rows)):8.4f}")
        total, by = false_alerts(travellers, results, homonyms, t)
        mark = "*" if t == DEFAULT_THRESHOLD else ("^" if t > FULL_NAME_FLOOR else " ")
        print(
            f"  {t:.2f}{mark} {' '.join(cells)} | {1000 * total / unlisted:7.2f} "
            f"{1000 * by['not_namesake'] / unlisted:7.2f} {by['dob_differs']:14d} "
            f"{by['no_dob']:10d}"
        )


def band_report(index, travellers: list[Row], results) -> None:
    """Precision of the alerts in each band at the default threshold (an alert is correct when it
    names the traveller's true entry)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    edges: dict[float, list[int]] = defaultdict(lambda: [0, 0])
    for (_, _, _, pos), matches in zip(travellers, results, strict=True):
        ref = index.entries[pos].entry_id if pos is not None else None
        for m in matches:
            correct = m.entry_id == ref
            counts[band(m.score)][0] += correct
            counts[band(m.score)][1] += 1
            for edge in (0.90, 0.93, 0.95, 0.97, 0.99, 1.0):
                if m.score >= edge:
                    edges[edge][0] += correct
                    edges[edge][1] += 1
    print("\n== score bands at the default threshold: alerts and their precision ==")
    for name in (BAND_STRONG, BAND_POSSIBLE):
        good, n = counts[name]
        print(f"  {name:9s} {n} alerts, precision {good / max(1, n):.4f}")
    print("  precision of matches at or above: " + "; ".join(
        f"{e:.2f} {g / max(1, n):.4f} ({n})" for e, (g, n) in sorted(edges.items())
    ))  # fmt: skip


def baseline(entries, travellers: list[Row], sample: int, seed: int) -> float:
    """Brute force: rapidfuzz token_set_ratio of every traveller against every listed name."""
    names, owner = [], []
    for pos, entry in enumerate(entries):
        for n in entry.names:
            names.append(" ".join(normalise_name(n.text).tokens))
            owner.append(pos)
    owner_np = np.asarray(owner)
    rng = random.Random(seed)
    listed = [t for t in travellers if t[3] is not None and t[1] in HEADLINE]
    subset = rng.sample(listed, min(sample, len(listed)))
    started = time.perf_counter()
    found = 0
    for traveller, _, _, pos in subset:
        query = " ".join(normalise_name(traveller.name).tokens)
        scores = process.cdist(
            [query], names, scorer=fuzz.token_set_ratio, workers=WORKERS,
            score_cutoff=BASELINE_CUTOFF,
        )[0]  # fmt: skip
        found += pos in set(owner_np[np.nonzero(scores)[0]].tolist())
    rate = len(subset) / (time.perf_counter() - started)
    print(
        f"\n== brute-force baseline (rapidfuzz cdist token_set_ratio >= {BASELINE_CUTOFF}, "
        f"{WORKERS} threads, {len(names)} names) on {len(subset)} listed travellers =="
    )
    print(
        f"  candidate recall {found / len(subset):.4f}; {rate:.2f} travellers/s "
        f"(extrapolated: {len(travellers) / rate / 3600:.1f} h for all {len(travellers)})"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000, help="synthetic entries (+ UN)")
    parser.add_argument("--travellers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1, help="0, 2 = tuning; 1 = evaluation")
    parser.add_argument("--baseline-sample", type=int, default=100)
    parser.add_argument("--single-sample", type=int, default=10_000, help="travellers, 1 process")
    parser.add_argument("--no-baseline", action="store_true", help="skip the brute-force scan")
    parser.add_argument("--quick", action="store_true", help="20,000 entries, 4,000 travellers")
    args = parser.parse_args()
    if args.quick:
        args.entries, args.travellers, args.baseline_sample = 20_000, 4_000, 50
        args.single_sample = 2_000
    print(f"entries={args.entries} (+ UN list) travellers={args.travellers} seed={args.seed}")
    started = time.perf_counter()
    entries, people, un_full, un_first = build_list(args.entries, args.seed)
    travellers = build_travellers(args.travellers, args.seed, entries, people, un_full, un_first)
    print(f"data generation: {time.perf_counter() - started:.1f} s; {len(entries)} entries "
          f"({len(entries) - un_first} UN individuals); {len(travellers)} travellers; "
          f"peak RSS {peak_rss_mb():.0f} MB")  # fmt: skip
    started = time.perf_counter()
    index = CandidateIndex(entries)
    print(
        f"index build: {time.perf_counter() - started:.1f} s, {index.name_count} names, "
        f"{len(index.keys)} pair postings; peak RSS {peak_rss_mb():.0f} MB"
    )
    found = candidate_found(index, travellers)
    results, engine_rate = throughput(index, travellers, args.single_sample, args.seed)
    homonyms = namesakes(index, travellers)
    recall_report(index, travellers, results, found)
    unlisted_report(travellers, results, homonyms)
    band_report(index, travellers, results)
    calibration_table(index, travellers, results, homonyms)
    if not args.no_baseline:
        base_rate = baseline(entries, travellers, args.baseline_sample, args.seed)
        print(f"\nengine/baseline throughput ratio ({WORKERS} cores each): "
              f"{engine_rate / base_rate:.0f}x")  # fmt: skip
    print(f"peak RSS (whole run, this process): {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
