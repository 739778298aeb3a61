"""What raises each alert of the screening benchmark: a diagnostic beside bench_screening.py.

    .venv/bin/python bench/screening_alert_mechanisms.py --entries 200000 --seed 0

Builds the same seeded world as ``bench_screening.py`` (the same functions), screens every
traveller once, and sorts each alert at the default threshold by the rule that put it over:

* ``natural``: the name evidence alone reaches the threshold;
* ``dob-lift``: an agreeing date of birth (exact, year or range) lifts a weaker name over it;
* ``floor-full``: the exact full-name floor (``score.FULL_NAME_FLOOR``) raised it;
* ``floor-subset``: the floor for a name with one part left out (``SUBSET_NAME_FLOOR``).

It prints the counted false alerts (all unlisted travellers' alerts except namesakes with no date
to compare, as the bench counts them) by namesake class and mechanism, and the listed
travellers' alert recall by variant kind and mechanism, so that a change to one rule can be
weighed by what it buys (alerts of listed people) against what it costs (false alerts). Calibrate
on seed 0 or 2; seed 1 is the evaluation seed.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_screening as bench

from ctnet.screening.engine.batch import screen_batch
from ctnet.screening.engine.index import CandidateIndex
from ctnet.screening.engine.normalise import normalise_name
from ctnet.screening.engine.score import CORROBORATING_DOB, DEFAULT_THRESHOLD, Match

_NAME_SCORE = re.compile(r"name:([0-9.]+)")


def mechanism(traveller, match: Match, entry, threshold: float) -> str:  # type: ignore[no-untyped-def]
    name_score = float(_NAME_SCORE.match(match.reasons[0]).group(1))  # type: ignore[union-attr]
    if name_score >= threshold:
        return "natural"
    if any(r in CORROBORATING_DOB for r in match.reasons):
        return "dob-lift"
    parts = len(normalise_name(traveller.name).tokens)
    listed = {len(normalise_name(n.text).tokens) for n in entry.names}
    return "floor-full" if parts in listed else "floor-subset"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--travellers", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    args = parser.parse_args()
    started = time.perf_counter()
    entries, people, un_full, un_first = bench.build_list(args.entries, args.seed)
    travellers = bench.build_travellers(
        args.travellers, args.seed, entries, people, un_full, un_first
    )
    index = CandidateIndex(entries)
    results = screen_batch(index, [t for t, _, _, _ in travellers], args.threshold, workers=2)
    print(f"built and screened in {time.perf_counter() - started:.0f} s")
    by_id = {e.entry_id: e for e in entries}
    homonyms = bench.namesakes(index, travellers)
    unlisted = sum(pos is None for _, _, _, pos in travellers)
    false_alerts: Counter[tuple[str, str]] = Counter()
    recall: Counter[tuple[str, str]] = Counter()
    kinds: Counter[str] = Counter()
    for row, matches in zip(travellers, results, strict=True):
        traveller, kind, _rule, pos = row
        if pos is None:
            alerts = [m for m in matches if m.score >= args.threshold]
            group = homonyms.get(traveller.traveller_id, "not_namesake")
            if alerts and group != "no_dob":
                top = alerts[0]
                false_alerts[
                    (group, mechanism(traveller, top, by_id[top.entry_id], args.threshold))
                ] += 1
            continue
        if bench.conflicts(index, row):
            continue
        kinds[kind] += 1
        ref = index.entries[pos]
        hit = [m for m in matches if m.entry_id == ref.entry_id and m.score >= args.threshold]
        recall[(kind, mechanism(traveller, hit[0], ref, args.threshold) if hit else "missed")] += 1
    counted = sum(false_alerts.values())
    print(f"\ncounted false alerts at {args.threshold}: {counted} of {unlisted} unlisted "
          f"({1000 * counted / unlisted:.1f} per 1,000)")  # fmt: skip
    for mech in ("natural", "dob-lift", "floor-full", "floor-subset"):
        cells = {g: n for (g, m), n in false_alerts.items() if m == mech}
        print(f"  {mech:13s} {sum(cells.values()):4d}  {dict(sorted(cells.items()))}")
    print("\nlisted travellers (DOB not conflicting): alerts by mechanism, and misses")
    for kind in bench.KINDS:
        cells = {m: n for (k, m), n in recall.items() if k == kind}
        print(f"  {kind:20s} {kinds[kind]:5d}  {dict(sorted(cells.items()))}")


if __name__ == "__main__":
    main()
