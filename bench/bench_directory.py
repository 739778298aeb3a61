"""Benchmark of directory search and routing through the real server.

    .venv/bin/python bench/bench_directory.py                    # SQLite in a fresh temp dir
    DATABASE_URL=postgresql://... .venv/bin/python bench/bench_directory.py   # an EMPTY database

Seeds 200 organisations and 20,000 contact points (seed 2018, reproducible), starts ``ctnet serve``
(granian, WSGI, 2 workers, CTNET_DEBUG off) on a free loopback port, then sends
a fixed number of requests per endpoint with 8 concurrent clients and prints requests/s, p50 and
p95 latency, and the ratio to the bare ``/healthz`` of the same run. Results: docs/directory.md.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from loadgen import free_port, run_calls, wait_ready

ROOT = Path(__file__).resolve().parent.parent
SEED = 2018
ORGS = 200
CONTACTS = 20_000


def seed_database() -> None:
    """Runs in a child process whose environment points at the benchmark database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctnet.settings")
    import django

    django.setup()
    import pycountry
    from django.core.management import call_command
    from django.utils import timezone

    from ctnet.core import services
    from ctnet.core.models import Membership, Organisation, OrgKind, Role, UNGroup, User
    from ctnet.directory.models import ContactPoint, Function
    from ctnet.directory.taxonomy import TOPIC_SLUGS, pack

    call_command("migrate", "--no-input", verbosity=0)
    rng = random.Random(SEED)
    groups = list(UNGroup.values)
    codes = sorted(c.alpha_3 for c in pycountry.countries)[:ORGS]
    orgs = Organisation.objects.bulk_create(
        Organisation(code=c, kind=OrgKind.MEMBER_STATE, names={"en": c}, un_group=groups[i % 5])
        for i, c in enumerate(codes)
    )
    now = timezone.now()
    languages = ["en", "fr", "es", "ar", "ru", "zh", "pt", "de"]
    contacts = []
    for i in range(CONTACTS):
        org = orgs[i % ORGS]
        contacts.append(
            ContactPoint(
                organisation=org,
                function=Function.NATIONAL_COORDINATOR if i < ORGS else Function.OFFICE,
                office=f"Office {i}",
                holders=[{"name": f"Person {i}", "title": "Officer"}],
                topics=pack(rng.sample(TOPIC_SLUGS, rng.randint(1, 3))),
                languages=pack(rng.sample(languages, rng.randint(1, 3))),
                time_zone="UTC",
                always_on=rng.random() < 0.3,
                hours_start=timezone.datetime(2000, 1, 1, 8).time(),
                hours_end=timezone.datetime(2000, 1, 1, 18).time(),
                email=f"office{i}@example.gov",
                verified=rng.random() < 0.8,
                last_confirmed_at=now - timedelta(days=rng.randint(0, 220)),
            )
        )
    ContactPoint.objects.bulk_create(contacts, batch_size=2000)
    user = User.objects.create_user("bench", "bench@example.org", secrets.token_urlsafe(16))
    Membership.objects.create(user=user, organisation=orgs[0], role=Role.NATIONAL_COORDINATOR)
    token = services.create_api_token(acting_user=user, name="bench", expires_days=1)
    print(token.plaintext, " ".join(codes))


def drive(port: int, paths: list[str], token: str, concurrency: int) -> tuple[float, list[float]]:
    """Send every path once with ``concurrency`` keep-alive clients; (seconds, latencies)."""
    return run_calls(port, [("GET", path, None, token) for path in paths], concurrency)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000, help="per endpoint")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_only:
        seed_database()
        return
    with tempfile.TemporaryDirectory(prefix="ctnet-bench-") as data_dir:
        env = {
            **os.environ,
            "CTNET_DATA_DIR": data_dir,
            "CTNET_SECRET_KEY": secrets.token_urlsafe(48),
            "CTNET_DEBUG": "0",
            "CTNET_DEMO": "0",
            "CTNET_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "ctnet.settings",
        }
        began = time.perf_counter()
        seeded = subprocess.run(
            [sys.executable, __file__, "--seed-only"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        token, *codes = seeded.stdout.strip().splitlines()[-1].split()
        print(
            f"seeded {ORGS} organisations, {CONTACTS} contacts in "
            f"{time.perf_counter() - began:.1f}s "
            f"({'PostgreSQL' if os.environ.get('DATABASE_URL') else 'SQLite'})"
        )
        port = free_port()
        server = subprocess.Popen(
            # What ``ctnet serve`` runs: granian, the WSGI application, 2 workers.
            [sys.executable, "-m", "ctnet.cli", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            cwd=ROOT,
        )
        try:
            wait_ready(port)
            run_load(port, token, codes, args.requests, args.concurrency)
        finally:
            server.terminate()
            server.wait(timeout=30)


def run_load(port: int, token: str, codes: list[str], n: int, concurrency: int) -> None:
    from ctnet.directory.taxonomy import TOPIC_SLUGS

    rng = random.Random(SEED)
    endpoints = {
        "/healthz": ["/healthz"] * n,
        "search country+topic": [
            f"/api/v1/directory/contacts?country={rng.choice(codes)}&topic={rng.choice(TOPIC_SLUGS)}"
            f"&limit=20"
            for _ in range(n)
        ],
        "search topic+language": [
            f"/api/v1/directory/contacts?topic={rng.choice(TOPIC_SLUGS)}&language=fr&limit=20"
            for _ in range(n)
        ],
        "route": [
            f"/api/v1/directory/route?country={rng.choice(codes)}&topic={rng.choice(TOPIC_SLUGS)}"
            for _ in range(n)
        ],
    }
    drive(port, endpoints["route"][:50], token, concurrency)  # warm both workers
    base_rps = None
    print(
        f"{'endpoint':24} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}"
        f" {'vs healthz':>10}"
    )
    for name, paths in endpoints.items():
        seconds, latencies = drive(port, paths, token, concurrency)
        rps = len(paths) / seconds
        base_rps = base_rps or rps
        cuts = statistics.quantiles(latencies, n=100)
        print(
            f"{name:24} {len(paths):8d} {rps:8.0f} {cuts[49] * 1000:8.1f} {cuts[94] * 1000:8.1f}"
            f" {rps / base_rps:10.2f}"
        )


if __name__ == "__main__":
    main()
