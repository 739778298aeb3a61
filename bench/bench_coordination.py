"""Benchmark of coordination's cross-plan views at the issue's scale (issue 17).

    .venv/bin/python bench/bench_coordination.py                  # SQLite in a fresh temp dir
    .venv/bin/python bench/bench_coordination.py --plans 5 --commitments 50 --repeat 5

Seeds 193 member states (and the regional organisations of core's reference data) with
``--plans`` action plans each and ``--commitments`` commitments per plan (seed 2017,
reproducible): 193 x 5 x 50 = 48,250 commitments by default, each referencing one or two
paragraphs of the reference list, statuses drawn from the scale, a third of them assessed.
Then, in this one process, it asks the API for the per-resolution view of UNSCR-2396 and the
regional coverage view as the secretariat (bearer token, Django's test client: the whole
request, authentication and JSON included) and prints the median time and the SQL queries of
each, beside the same answer computed the plain ORM way (one query per plan for its
commitments, then one per commitment for its references): the baseline, run on the same data,
same process, same core. Last, match proposals for ``--needs`` x ``--offers`` (5,000 x 2,000):
the index of ``coordination/matching.py`` against a brute force over every pair, the two
result sets checked equal (``--matching-only`` runs just that part).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 2017


def setup(data_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["CTNET_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctnet.settings")
    os.environ.setdefault("CTNET_SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("CTNET_AUDIT_KEY", "bench-only-" + "y" * 40)
    os.environ.setdefault("CTNET_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)


def seed(plans_per_state: int, per_plan: int) -> tuple[object, int]:
    from datetime import date

    from django.db import transaction

    from ctnet.coordination.models import (
        ActionPlan,
        Commitment,
        CommitmentReference,
        Status,
    )
    from ctnet.coordination.references import REFERENCES
    from ctnet.core.models import Membership, Organisation, OrgKind, Role, User
    from ctnet.core.reference import load_reference_organisations

    rng = random.Random(SEED)
    load_reference_organisations()
    states = list(Organisation.objects.filter(kind=OrgKind.MEMBER_STATE))
    unoct = Organisation.objects.get(code="UNOCT")
    sam = User.objects.create_user("sam", "sam@example.org", None)
    Membership.objects.create(user=sam, organisation=unoct, role=Role.SECRETARIAT)
    pairs = [(c, p) for c, r in REFERENCES.items() for p in ["", *r.paragraphs]]
    statuses = [s.value for s in Status if s != Status.NO_EVIDENCE]
    with transaction.atomic():
        plans = ActionPlan.objects.bulk_create(
            ActionPlan(
                originator=s,
                created_by=sam,
                scope="national",
                focus="ct",
                visibility="network",
                tlp="GREEN",
                title=f"Plan {n} of {s.code}",
                pillars=["II"],
                period_start=date(2025, 1, 1),
                period_end=date(2028, 12, 31),
            )
            for s in states
            for n in range(plans_per_state)
        )
        commitments = Commitment.objects.bulk_create(
            Commitment(
                plan=p,
                title=f"Commitment {i}",
                self_status=rng.choice(statuses),
                assessed_status=rng.choice([*Status.values, "", ""]) if i % 3 == 0 else "",
            )
            for p in plans
            for i in range(per_plan)
        )
        CommitmentReference.objects.bulk_create(
            CommitmentReference(commitment=c, code=code, paragraph=par)
            for c in commitments
            for code, par in set(rng.sample(pairs, rng.choice([1, 2])))
        )
    return sam, len(commitments)


def baseline_resolution(code: str) -> tuple[int, int]:
    """The plain way: every plan, then its commitments with their references (two queries a
    plan); returns the rows and the states, which the view must match."""
    from ctnet.coordination.models import ActionPlan

    rows, owners = 0, set()
    for plan in ActionPlan.objects.all():
        for c in plan.commitments.prefetch_related("references"):
            n = sum(1 for r in c.references.all() if r.code == code)
            rows += n
            if n:
                owners.add(plan.originator_id)
    return rows, len(owners)


def timed(fn, repeat: int) -> tuple[float, int, object]:  # type: ignore[no-untyped-def]
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times, queries, result = [], 0, None
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries, result


def bench_matching(n_needs: int, n_offers: int) -> None:
    """Match proposals: the topic-and-region index against every pair, same data, same set."""
    from ctnet.coordination import matching
    from ctnet.core.models import UNGroup
    from ctnet.core.topics import TOPICS

    rng = random.Random(SEED)
    topics, regions, langs = (
        list(TOPICS),
        list(UNGroup.values),
        ["ar", "en", "es", "fr", "ru", "zh"],
    )
    needs = [
        matching.NeedKey(
            i, rng.choice(topics), rng.choice(regions), frozenset(rng.sample(langs, 2))
        )
        for i in range(n_needs)
    ]
    offers = [
        matching.OfferKey(
            i,
            rng.choice(topics),
            frozenset(rng.sample(regions, rng.choice([0, 1, 2]))),
            frozenset(rng.sample(langs, rng.choice([1, 2, 3]))),
        )
        for i in range(n_offers)
    ]
    start = time.perf_counter()
    index = matching.OfferIndex(offers)
    found = matching.indexed(needs, index)
    t_index = time.perf_counter() - start
    start = time.perf_counter()
    brute = matching.brute_force(needs, offers)
    t_brute = time.perf_counter() - start
    assert found == brute, "the index must propose exactly what the brute force finds"
    print(
        f"matches for {n_needs} needs x {n_offers} offers: {len(found)} proposals; "
        f"index (build + propose) {t_index * 1000:.0f} ms, brute force over "
        f"{n_needs * n_offers:,} pairs {t_brute * 1000:.0f} ms, same set; "
        f"ratio {t_brute / t_index:.0f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=5)
    parser.add_argument("--commitments", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--needs", type=int, default=5000)
    parser.add_argument("--offers", type=int, default=2000)
    parser.add_argument("--matching-only", action="store_true")
    args = parser.parse_args()
    if args.matching_only:
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctnet.settings")
        import django

        django.setup()
        bench_matching(args.needs, args.offers)
        return
    with tempfile.TemporaryDirectory(prefix="ctnet-bench-coord-") as tmp:
        setup(tmp)
        from django.test import Client

        from ctnet.core import services

        t0 = time.perf_counter()
        sam, n = seed(args.plans, args.commitments)
        print(f"seeded {n} commitments in {time.perf_counter() - t0:.1f} s")
        token = services.create_api_token(
            acting_user=sam, name="bench", read_only=True, expires_days=1
        ).plaintext
        client = Client(headers={"Authorization": f"Bearer {token}"})

        def api(path: str):  # type: ignore[no-untyped-def]
            response = client.get(f"/api/v1/coordination{path}")
            assert response.status_code == 200, response.content[:200]
            return response.json()

        res_t, res_q, res = timed(lambda: api("/references/UNSCR-2396?limit=200"), args.repeat)
        cov_t, cov_q, _cov = timed(lambda: api("/coverage"), args.repeat)
        from ctnet.coordination.overview import state_map

        map_t, map_q, features = timed(lambda: state_map(sam), args.repeat)
        base_t, base_q, (base_rows, base_owners) = timed(
            lambda: baseline_resolution("UNSCR-2396"), 1
        )
        assert (base_rows, base_owners) == (res["count"], res["owners"])  # the same answer
        print(
            f"UNSCR-2396 view (API): {res['count']} rows (a page of {len(res['rows'])}), "
            f"{res['owners']} states, "
            f"median {res_t * 1000:.0f} ms, {res_q} queries"
        )
        print(f"regional coverage (API): median {cov_t * 1000:.0f} ms, {cov_q} queries")
        print(
            f"world map of the coverage page (overview.state_map): {len(features)} states "
            f"drawn, median {map_t * 1000:.0f} ms, {map_q} queries"
        )
        print(f"baseline (plan by plan, ORM, rows only): {base_t * 1000:.0f} ms, {base_q} queries")
        print(f"ratio baseline / view: {base_t / res_t:.1f}x time, {base_q / res_q:.0f}x queries")
        bench_matching(args.needs, args.offers)


if __name__ == "__main__":
    main()
