"""Benchmark of monitoring: the portfolio dashboard and one project's page over a large
portfolio, against the same pages with no data (the baseline, same process, same cores), and
the IATI 2.03 export of the whole portfolio with its schema validation.

    .venv/bin/python bench/bench_monitoring.py                       # 1,000 x 20 x 12
    .venv/bin/python bench/bench_monitoring.py --projects 200 --repeat 3

Seeded (seed 16). Each project (AMBER, owned by UNOCT) has two results, ``--indicators``
indicators disaggregated by sex x age (4 combinations) and ``--periods`` periods each; two
periods in three carry an approved actual with its four disaggregated values (and the approved
update row), the rest have none (some late). Rows are written with ``bulk_create`` (the services'
audit rows would only slow the set-up). Pages are fetched through the in-process test client
as a signed-in head of UNOCT with the second factor done. Prints median response time, SQL
queries, and the ratio to the empty portfolio; then the export's time, its peak Python memory
(tracemalloc, a second run) and the validation time against the official schema.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 16


def _django(data_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("CTNET_DATA_DIR", data_dir)
    os.environ.setdefault("CTNET_SECRET_KEY", "bench-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctnet.settings")
    import django

    django.setup()
    from django.core.management import call_command

    # The production settings serve hashed static names from a manifest; the pages need it.
    call_command("collectstatic", interactive=False, verbosity=0)


def _build(args: argparse.Namespace, org, user) -> int:  # type: ignore[no-untyped-def]
    from ctnet.monitoring.models import (
        Indicator,
        Period,
        PeriodUpdate,
        Project,
        Result,
    )

    rng = random.Random(SEED)
    dims = {"sex": ["female", "male"], "age": ["15-24", "25+"]}
    combos = [{"sex": s, "age": a} for s in dims["sex"] for a in dims["age"]]
    projects = Project.objects.bulk_create(
        Project(
            originator=org,
            created_by=user,
            tlp="AMBER",
            iati_identifier=f"XI-CTNET-UNOCT-B{n:05d}",
            title=f"Bench project {n}",
            start_date=date(2024, 1, 1),
            end_date=date(2027, 12, 31),
            countries=["KEN"],
            themes=["pillar-2", "border-security"],
        )
        for n in range(args.projects)
    )
    results = Result.objects.bulk_create(
        Result(project=p, type=t, title=f"Result {t}") for p in projects for t in ("1", "2")
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            result=results[2 * i + (k % 2)],
            title=f"Indicator {k}",
            measure="1",
            ascending=k % 5 != 0,
            baseline_year=2023,
            baseline_value=Decimal(10),
            dimensions=dims,
            position=k,
        )
        for i in range(len(projects))
        for k in range(args.indicators)
    )
    periods, count = [], 0
    for indicator in indicators:
        for q in range(args.periods):
            start = date(2024, 1, 1) + timedelta(days=30 * q)
            reported = rng.random() < 2 / 3
            parts = [{"dims": c, "value": str(rng.randrange(1, 20))} for c in combos]
            periods.append(
                Period(
                    indicator=indicator,
                    start=start,
                    end=start + timedelta(days=29),
                    target_value=Decimal(50 + q),
                    has_actual=reported,
                    actual_value=Decimal(sum(int(p["value"]) for p in parts)) if reported else None,
                    actual_dimensions=parts if reported else [],
                )
            )
        if len(periods) >= 20_000:
            count += len(_flush(periods, user, PeriodUpdate, Period))
            periods = []
    count += len(_flush(periods, user, PeriodUpdate, Period))
    return count


def _flush(periods, user, update_model, period_model):  # type: ignore[no-untyped-def]
    made = period_model.objects.bulk_create(periods, batch_size=2000)
    update_model.objects.bulk_create(
        (
            update_model(
                period=p,
                status="approved",
                value=p.actual_value,
                disaggregations=p.actual_dimensions,
                created_by=user,
                submitted_by=user,
                decided_by=user,
            )
            for p in made
            if p.has_actual
        ),
        batch_size=2000,
    )
    return made


def _measure(client, url: str, repeat: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--periods", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    _django(tempfile.mkdtemp(prefix="ctnet-bench-monitoring-"))

    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from lxml import etree

    from ctnet.core.models import Membership, Organisation, OrgKind, Role, User
    from ctnet.monitoring import iati
    from ctnet.monitoring.models import Project

    setup_test_environment()
    call_command("migrate", "--no-input", verbosity=0)
    org = Organisation.objects.create(code="UNOCT", kind=OrgKind.UN_ENTITY, names={"en": "UNOCT"})
    Organisation.objects.create(code="KEN", kind=OrgKind.MEMBER_STATE, names={"en": "Kenya"})
    user = User.objects.create_user("bench", "bench@example.org", "x" * 20)
    Membership.objects.create(user=user, organisation=org, role=Role.SECRETARIAT)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id  # the second factor, done
    session.save()

    empty = Project.objects.create(
        originator=org,
        created_by=user,
        tlp="AMBER",
        iati_identifier="XI-CTNET-UNOCT-E",
        title="Empty",
        start_date=date(2024, 1, 1),
        end_date=date(2025, 1, 1),
    )
    base_portfolio = _measure(client, "/monitoring/", args.repeat)
    base_project = _measure(client, f"/monitoring/projects/{empty.pk}/", args.repeat)
    started = time.perf_counter()
    periods = _build(args, org, user)
    build = time.perf_counter() - started
    one = Project.objects.exclude(pk=empty.pk).order_by("pk").first()
    portfolio = _measure(client, "/monitoring/", args.repeat)
    project = _measure(client, f"/monitoring/projects/{one.pk}/", args.repeat)
    print(
        f"data: {args.projects} projects x {args.indicators} indicators x {args.periods} "
        f"periods = {periods} periods (sex x age), built in {build:.1f} s"
    )
    for name, base, full in (
        ("portfolio /monitoring/", base_portfolio, portfolio),
        ("project page", base_project, project),
    ):
        print(
            f"{name}: {full[0] * 1000:.0f} ms, {full[1]} queries; empty: "
            f"{base[0] * 1000:.0f} ms, {base[1]} queries; ratio {full[0] / base[0]:.1f}x"
        )

    qs = Project.objects.all()
    started = time.perf_counter()
    data = iati.export_bytes(qs)
    export = time.perf_counter() - started
    # What a download holds: the streamed chunks, each dropped once sent (iati.iter_export),
    # against the whole document built in memory first (the baseline, what the export did
    # before it streamed).
    tracemalloc.start()
    for _chunk in iati.iter_export(iati.export_ids(qs)):
        pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    iati.export_bytes(qs)
    _current, whole_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    schema = iati.schema()
    started = time.perf_counter()
    doc = etree.fromstring(data, parser=iati.safe_parser())
    valid = schema.validate(doc)
    validation = time.perf_counter() - started
    print(
        f"IATI export of {qs.count()} projects: {export:.1f} s, {len(data) / 1e6:.1f} MB, "
        f"peak Python memory streamed {peak / 1e6:.0f} MB, whole document "
        f"{whole_peak / 1e6:.0f} MB ({whole_peak / peak:.1f}x); schema validation "
        f"(parse + validate) {validation:.1f} s, valid={valid}"
    )
    return 0 if valid else 1


if __name__ == "__main__":
    sys.exit(main())
