"""Benchmark of the secure exchange: inbox listing and request creation through the real
server, and the retention purge of 100,000 person records.

    .venv/bin/python bench/bench_exchange.py                        # SQLite in a fresh temp dir
    DATABASE_URL=postgresql://.../EMPTY_DB .venv/bin/python bench/bench_exchange.py

A child process seeds the database (seed 2018: 60 states, 3,000 requests, each to one or two
states). ``ctnet serve`` (granian, WSGI) then serves with 2 workers on a free loopback port,
and a bounded pool of keep-alive clients sends a fixed number of requests per scenario; the
bare ``/healthz`` of the same run is the baseline. Last, another child times ``purge_expired``
over 100,000 expired person records (and their audit rows). Results and the exact command:
docs/exchange.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from loadgen import free_port, run_calls, wait_ready

ROOT = Path(__file__).resolve().parent.parent
SEED = 2018
STATES = 60
REQUESTS = 3000
PEOPLE = 100_000


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctnet.settings")
    import django

    django.setup()


def seed() -> None:
    """Child process: migrate, create states, two coordinators with tokens, seeded requests."""
    _django()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from ctnet.core import services
    from ctnet.core.models import Membership, Organisation, OrgKind, Role, User
    from ctnet.exchange.models import Delivery, Request

    call_command("migrate", "--no-input", verbosity=0)
    rng = random.Random(SEED)
    orgs = Organisation.objects.bulk_create(
        Organisation(code=f"S{i:02d}", kind=OrgKind.MEMBER_STATE, names={"en": f"State {i}"})
        for i in range(STATES)
    )
    people = []
    for name, org in (("sender", orgs[0]), ("receiver", orgs[1])):
        user = User.objects.create_user(name, f"{name}@example.org", secrets.token_urlsafe(16))
        Membership.objects.create(user=user, organisation=org, role=Role.NATIONAL_COORDINATOR)
        people.append(user)
    now = timezone.now()
    # Bulk rows, not the service: seeding measures nothing and must not take minutes.
    requests = Request.objects.bulk_create(
        Request(
            originator=orgs[rng.randrange(STATES)],
            created_by=people[0],
            subject=f"Seeded request {i}",
            body="Seeded body " * 20,
            priority=rng.choice(["urgent", "normal"]),
            legal_basis="Seeded legal basis",
            purpose="Seeded purpose",
            tlp=rng.choice(["GREEN", "AMBER", "AMBER+STRICT"]),
            created_at=now,
        )
        for i in range(REQUESTS)
    )
    _address(rng, requests, orgs, now)
    # Fresh planner statistics, as autovacuum would have gathered on a live database; without
    # them PostgreSQL plans the inbox for a near-empty table.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    tokens = [
        services.create_api_token(acting_user=u, name="bench", expires_days=1).plaintext
        for u in people
    ]
    incoming = Delivery.objects.filter(organisation=orgs[1]).count()
    print(json.dumps({"tokens": tokens, "incoming": incoming, "recipient": orgs[1].code}))


def _address(rng: random.Random, requests: list, orgs: list, now: datetime) -> None:
    """Recipients and deliveries of the seeded requests; about 30% reach the measured inbox."""
    from ctnet.exchange.models import Delivery, Request
    from ctnet.exchange.services.sending import default_deadline

    through = Request.recipient_orgs.through
    links, deliveries = [], []
    for r in requests:
        targets = {orgs[1]} if rng.random() < 0.3 else set()
        targets |= {orgs[rng.randrange(STATES)] for _ in range(rng.randint(1, 2))}
        for org in targets - {r.originator}:
            links.append(through(request_id=r.pk, organisation_id=org.pk))
            deliveries.append(
                Delivery(
                    request=r,
                    organisation=org,
                    deadline=default_deadline(r.priority, now),
                    sent_at=now,
                )
            )
    through._default_manager.bulk_create(links, batch_size=5000)
    Delivery.objects.bulk_create(deliveries, batch_size=5000)


def purge() -> None:
    """Child process: 100,000 expired person records on 100 requests, then one timed purge."""
    _django()
    from datetime import timedelta

    from django.utils import timezone

    from ctnet.exchange.models import PersonRecord, Request
    from ctnet.exchange.services.people import purge_expired

    hosts = list(Request.objects.order_by("pk").values_list("pk", "originator_id")[:100])
    user_id = Request.objects.values_list("created_by_id", flat=True).first()
    if user_id is None:
        raise SystemExit("the seed step left no request")
    past = timezone.localdate() - timedelta(days=1)
    began = time.perf_counter()
    PersonRecord.objects.bulk_create(
        (
            PersonRecord(
                request_id=hosts[i % len(hosts)][0],
                originator_id=hosts[i % len(hosts)][1],
                created_by_id=user_id,
                family_name=f"Name{i}",
                legal_status="suspect",
                legal_basis="x",
                purpose="y",
                review_date=past - timedelta(days=30),
                retain_until=past,
            )
            for i in range(PEOPLE)
        ),
        batch_size=5000,
    )
    seeded = time.perf_counter() - began
    began = time.perf_counter()
    purged = purge_expired()
    elapsed = time.perf_counter() - began
    left = PersonRecord.objects.count()
    print(json.dumps({"seeded_s": seeded, "purged": purged, "seconds": elapsed, "left": left}))


def scenarios(n_read: int, n_write: int, tokens: list[str], recipient: str) -> dict[str, list]:
    sender, receiver = tokens
    body = json.dumps(
        {
            "recipients": [recipient],
            "subject": "Benchmark request",
            "body": "Do you hold records of this travel? " * 5,
            "priority": "urgent",
            "legal_basis": "UNSC resolution 2396 (2017)",
            "purpose": "Benchmark",
            "tlp": "AMBER",
            "handling": ["H2"],
            "source_details": "Benchmark source",
        }
    )
    return {
        "/healthz": [("GET", "/healthz", None, receiver)] * n_read,
        "inbox incoming (30)": [
            ("GET", "/api/v1/exchange/requests?box=incoming&limit=30", None, receiver)
        ]
        * n_read,
        "inbox outgoing (30)": [
            ("GET", "/api/v1/exchange/requests?box=outgoing&limit=30", None, sender)
        ]
        * n_read,
        "create request": [("POST", "/api/v1/exchange/requests", body, sender)] * n_write,
    }


def serve_and_measure(env: dict, seeded: dict, args: argparse.Namespace) -> None:
    port = free_port()
    # What ``ctnet serve`` runs: granian, the WSGI application, 2 workers.
    command = [sys.executable, "-m", "ctnet.cli", "serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
    )
    try:
        wait_ready(port)
        plan = scenarios(args.reads, args.writes, seeded["tokens"], seeded["recipient"])
        run_calls(port, plan["inbox incoming (30)"][:40], args.clients)  # warm both workers
        print(f"{'scenario':22} {'calls':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'vs hz':>6}")
        baseline = None
        for name, calls in plan.items():
            seconds, latencies = run_calls(port, calls, args.clients)
            rps = len(calls) / seconds
            baseline = baseline or rps
            cuts = statistics.quantiles(latencies, n=100)
            print(
                f"{name:22} {len(calls):6d} {rps:8.0f} {cuts[49] * 1000:8.1f}"
                f" {cuts[94] * 1000:8.1f} {rps / baseline:6.2f}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


def child(env: dict, flag: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, flag],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reads", type=int, default=1000, help="calls per read scenario")
    parser.add_argument("--writes", type=int, default=300, help="requests created")
    parser.add_argument("--clients", type=int, default=8, help="concurrent keep-alive clients")
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--purge-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_only:
        return seed()
    if args.purge_only:
        return purge()
    with tempfile.TemporaryDirectory(prefix="ctnet-bench-") as data_dir:
        env = {
            **os.environ,
            "CTNET_DATA_DIR": data_dir,
            "CTNET_SECRET_KEY": secrets.token_urlsafe(48),
            "CTNET_DEBUG": "0",
            "CTNET_DEMO": "0",
            "CTNET_LOG_LEVEL": "WARNING",
            "CTNET_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "DJANGO_SETTINGS_MODULE": "ctnet.settings",
        }
        engine = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
        began = time.perf_counter()
        seeded = child(env, "--seed-only")
        print(
            f"{engine}: seeded {STATES} states, {REQUESTS} requests "
            f"({seeded['incoming']} in the measured inbox) in {time.perf_counter() - began:.1f}s"
        )
        serve_and_measure(env, seeded, args)
        result = child(env, "--purge-only")
        print(
            f"retention purge: {result['purged']} person records in {result['seconds']:.2f}s "
            f"({result['purged'] / result['seconds']:.0f}/s), {result['left']} left"
        )


if __name__ == "__main__":
    main()
