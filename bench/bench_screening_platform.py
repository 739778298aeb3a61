"""Benchmark of screening *in the platform*: list imports, and a passenger list screened through
the service and through the JSON API, against the engine alone on the same data (the baseline).

    .venv/bin/python bench/bench_screening_platform.py                    # SQLite, temp dir
    .venv/bin/python bench/bench_screening_platform.py --entries 100000 --passengers 800
    DATABASE_URL=postgresql://.../EMPTY_DB .venv/bin/python bench/bench_screening_platform.py

Seeded: the real UN list (2017 then 2018 edition) plus a national CSV list of ``--entries``
synthetic people (engine/synthetic.py, seed 7), and a flight of ``--passengers`` travellers of
whom 1 % are listed people (exact name and date of birth) and the rest other synthetic people.
Prints import times, the first screening (which builds the index when none is saved), the
worker's build and save of the index and the first screening of a process that maps it, warm
screenings through the service and through ``POST /api/v1/screening/screen`` (in-process test
client), the engine alone on the same travellers, and the ratios. Figures and command:
docs/benchmarks.md.
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
SEED = 7


def _django(data_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("CTNET_DATA_DIR", data_dir)
    os.environ.setdefault("CTNET_SECRET_KEY", "bench-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctnet.settings")
    import django

    django.setup()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--passengers", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="ctnet-bench-screening-")
    _django(data_dir)

    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from ctnet.core import services as core_services
    from ctnet.core.markings import TLP
    from ctnet.core.models import Membership, Organisation, OrgKind, Role, User
    from ctnet.screening import matching
    from ctnet.screening.convert import dob_label, to_engine
    from ctnet.screening.demo import UN_EDITIONS, un_edition
    from ctnet.screening.engine.index import CandidateIndex
    from ctnet.screening.engine.model import DobKind, Traveller
    from ctnet.screening.engine.score import screen
    from ctnet.screening.engine.synthetic import NameGenerator
    from ctnet.screening.matching import ENGINE_FIELDS
    from ctnet.screening.models import Channel, Entry, EntryStatus, ListSource, Purpose
    from ctnet.screening.services import watchlists
    from ctnet.screening.services.runs import screen_travellers

    setup_test_environment()
    call_command("migrate", "--no-input", verbosity=0)
    org = Organisation.objects.create(code="FRA", kind=OrgKind.MEMBER_STATE, names={"en": "F"})
    user = User.objects.create_user("bench", "bench@example.org", "x" * 20)
    Membership.objects.create(user=user, organisation=org, role=Role.NATIONAL_COORDINATOR)
    from django.conf import settings

    settings.SCREENING_TRAVELLERS_PER_HOUR = 10**9
    settings.SCREENING_MAX_BATCH = 100_000

    print(
        f"load average {os.getloadavg()[0]:.1f}; database {settings.DATABASES['default']['ENGINE']}"
    )
    un = watchlists.create_watchlist(
        acting_user=user, name="UN", source=ListSource.UN_SC, legal_basis="res. 2253",
        purpose="travel ban", tlp=TLP.CLEAR,
    )  # fmt: skip
    for name in UN_EDITIONS:
        t = time.perf_counter()
        job = watchlists.import_watchlist(
            acting_user=user, watchlist=un, data=un_edition(name), file_name=name
        )
        print(
            f"import {name}: {time.perf_counter() - t:.2f} s "
            f"(+{job.added} ~{job.changed} -{job.delisted} ={job.unchanged})"
        )
    gen = NameGenerator(SEED)
    lines = ["id,name,aliases,dob,nationality"]
    people = []
    for i in range(args.entries):
        entry, _person = gen.entry(i)
        dob = entry.dobs[0] if entry.dobs and entry.dobs[0].kind is DobKind.EXACT else None
        nat = entry.nationalities[0] if entry.nationalities else ""
        lines.append(f"N{i},{entry.primary_name},,{dob_label(dob)},{nat}")
        people.append((entry.primary_name, dob, nat))
    national = watchlists.create_watchlist(
        acting_user=user, name="National", source=ListSource.NATIONAL, legal_basis="law",
        purpose="FTF", tlp=TLP.AMBER,
    )  # fmt: skip
    t = time.perf_counter()
    watchlists.import_watchlist(
        acting_user=user,
        watchlist=national,
        data=("\n".join(lines) + "\n").encode(),
        file_name="national.csv",
    )
    print(f"import national CSV of {args.entries:,} entries: {time.perf_counter() - t:.2f} s")

    rng = random.Random(SEED)
    others = NameGenerator(SEED + 1000)
    travellers = []
    for i in range(args.passengers):
        if i % 100 == 0:
            # A listed person travelling on their own passport: name, full date of birth.
            name, dob, nat = people[rng.randrange(len(people))]
            while dob is None:
                name, dob, nat = people[rng.randrange(len(people))]
            travellers.append(Traveller(f"L{i}", name, dob, nat or None))
        else:
            entry, _p = others.entry(i)
            dob = entry.dobs[0] if entry.dobs and entry.dobs[0].kind is DobKind.EXACT else None
            travellers.append(Traveller(f"P{i}", entry.primary_name, dob, None, f"X{i:07d}"))

    def run() -> tuple[float, int, int]:
        t = time.perf_counter()
        result = screen_travellers(
            acting_user=user, travellers=travellers, channel=Channel.API, purpose=Purpose.BORDER
        )
        listed = sum(r.traveller.traveller_id.startswith("L") for r in result.results)
        return time.perf_counter() - t, len(result.results), listed

    cold, alerted, listed_alerted = run()
    listed_total = sum(t.traveller_id.startswith("L") for t in travellers)
    print(
        f"first screening of {len(travellers)} (builds the index over "
        f"{matching.current_index().size:,} entries): {cold:.2f} s; travellers with a possible "
        f"match: {listed_alerted} of the {listed_total} listed, {alerted - listed_alerted} of "
        f"the {len(travellers) - listed_total} others"
    )
    # What the worker does after the imports, and a process that then maps the saved file.
    t = time.perf_counter()
    matching.prebuild_screening_index.call()
    prebuild = time.perf_counter() - t
    matching.reset_index_cache()
    mapped = run()[0]
    print(
        f"worker builds and saves the index: {prebuild:.2f} s; first screening of a process that "
        f"maps it: {mapped:.2f} s (index {matching.current_index().source})"
    )
    service_times = [run()[0] for _ in range(args.repeat)]
    service = statistics.median(service_times)

    token = core_services.create_api_token(acting_user=user, name="b", expires_days=1).plaintext
    client = Client()
    body = {
        "purpose": "BORDER",
        "travellers": [
            {
                "id": tr.traveller_id,
                "name": tr.name,
                "dob": dob_label(tr.dob).lstrip("~") if tr.dob else "",
                "nationality": tr.nationality or "",
                "document": tr.document or "",
            }
            for tr in travellers
        ],
    }

    def post() -> None:
        response = client.post(
            "/api/v1/screening/screen",
            data=body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.content[:300]

    post()  # the first request imports the URL configuration and the API: not what we time
    http_times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        post()
        http_times.append(time.perf_counter() - t)
    http = statistics.median(http_times)

    rows = Entry.objects.filter(status=EntryStatus.ACTIVE).values(*ENGINE_FIELDS)
    t = time.perf_counter()
    index = CandidateIndex([to_engine(r["pk"], r) for r in rows])
    build = time.perf_counter() - t
    engine_times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        for tr in travellers:
            screen(index, tr)
        engine_times.append(time.perf_counter() - t)
    engine = statistics.median(engine_times)
    n = len(travellers)
    print(f"engine alone (baseline), index build {build:.2f} s")
    print(f"  {'path':<28}{'median s':>10}{'travellers/s':>14}{'vs engine':>11}")
    for label, value in (
        ("engine alone", engine),
        ("service screen_travellers", service),
        ("POST /screening/screen", http),
    ):
        print(f"  {label:<28}{value:>10.3f}{n / value:>14.0f}{value / engine:>10.2f}x")
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
