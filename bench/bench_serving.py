"""In-process rate against served rate, for the platform's hot endpoints (issue 18).

    .venv/bin/python bench/bench_serving.py                       # SQLite and PostgreSQL
    .venv/bin/python bench/bench_serving.py --db sqlite --seconds 5 --servers granian

One run, one machine, the same demo data for every figure:

* **in-process**: Django's test client in one thread, sequential requests after a warm-up (what
  a view and its middleware cost, with no server in between): milliseconds per request and the
  rate that implies;
* **served**: the production servers on loopback, each given every core (granian WSGI, what
  ``ctnet serve`` runs; gunicorn with sync workers, the usual alternative), loaded by ``wrk``
  (Debian package, C, 2 threads) for a bounded time per endpoint: requests per second and p95.

The ratio served / in-process says whether the server uses both cores (issue target 1.5x) or
wastes them. PostgreSQL needs ``DATABASE_URL`` pointing at a server where this script may create
and drop the database ``ctnet_bench_serving``; it defaults to the CI server's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loadgen import free_port, wait_ready

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
PG_DB = "ctnet_bench_serving"
USER = "coord.fra"  # a national coordinator: sees the directory, the inbox, screening, practices


def endpoints(screen_body: str) -> list[tuple[str, str, str, str | None]]:
    """(name, method, path, JSON body)."""
    return [
        ("/healthz", "GET", "/healthz", None),
        ("/api/v1/me", "GET", "/api/v1/me", None),
        (
            "directory search",
            "GET",
            "/api/v1/directory/contacts?country=FRA&topic=border-security",
            None,
        ),
        (
            "directory route",
            "GET",
            "/api/v1/directory/route?country=FRA&topic=border-security",
            None,
        ),
        ("exchange inbox", "GET", "/api/v1/exchange/requests?box=incoming&limit=30", None),
        ("practices search", "GET", "/api/v1/practices/search?q=border+management", None),
        ("screen 100 passengers", "POST", "/api/v1/screening/screen", screen_body),
    ]


# --- child: seed, then measure in-process ------------------------------------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctnet.settings")
    import django

    django.setup()


def child_seed() -> None:
    _setup_django()
    import random

    from django.core.management import call_command

    from ctnet.core import services
    from ctnet.core.models import User
    from ctnet.demo import load_demo
    from ctnet.screening.models import Entry

    call_command("migrate", "--no-input", verbosity=0)
    load_demo()
    call_command("screening_index", "--now", verbosity=0)
    user = User.objects.get(username=USER)
    token = services.create_api_token(acting_user=user, name="bench").plaintext
    rng = random.Random(18)
    listed = list(Entry.objects.values_list("primary_name", flat=True)[:2000])
    travellers = [{"id": f"P{i}", "name": f"Traveller {i} Example"} for i in range(95)]
    travellers += [{"id": f"L{i}", "name": name} for i, name in enumerate(rng.sample(listed, 5))]
    body = json.dumps({"travellers": travellers, "purpose": "BORDER"})
    print(json.dumps({"token": token, "screen_body": body}))


def child_inprocess(token: str, screen_body: str, n: int) -> None:
    _setup_django()
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    results = {}
    for name, method, path, body in endpoints(screen_body):
        runs = max(10, n // 10) if method == "POST" else n

        def call(method: str = method, path: str = path, body: str | None = body) -> int:
            if method == "GET":
                return client.get(path).status_code
            return client.post(path, body, content_type="application/json").status_code

        for _ in range(5):
            status = call()
        if status != 200:
            raise SystemExit(f"{path}: {status}")
        began = time.perf_counter()
        for _ in range(runs):
            call()
        results[name] = (time.perf_counter() - began) / runs * 1000
    print(json.dumps(results))


# --- parent ----------------------------------------------------------------------------------

WRK_SCRIPT = """
wrk.method = os.getenv("BENCH_METHOD")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/json"
local f = os.getenv("BENCH_BODY_FILE")
if f ~= nil and f ~= "" then local h = io.open(f, "r"); wrk.body = h:read("*a"); h:close() end
local errors = 0
response = function(status, headers, body) if status ~= 200 then errors = errors + 1 end end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %f %f %d %d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(95) / 1000, summary.errors.status + summary.errors.connect
      + summary.errors.read + summary.errors.write + summary.errors.timeout, errors))
end
"""


def run_child(env: dict[str, str], *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"{args[0]} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def start_server(kind: str, env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    if kind == "granian":
        cmd = [
            sys.executable,
            "-m",
            "ctnet.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
    else:
        cmd = [
            sys.executable, "-m", "gunicorn", "ctnet.wsgi:application", "--bind",
            f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "sync",
            "--log-level", "warning",
        ]  # fmt: skip
        # The share of the cores that `ctnet serve` gives each process's encoder, so that the
        # two servers are compared on the same footing.
        cores = len(os.sched_getaffinity(0))
        env = {**env, "CTNET_ENCODER_THREADS": str(max(1, cores // workers))}
    return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


def wrk(port: int, method: str, path: str, body: str | None, token: str, args, tmp: Path) -> dict:
    script = tmp / "bench.lua"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    body_file = ""
    if body is not None:
        (tmp / "body.json").write_text(body, encoding="utf-8")
        body_file = str(tmp / "body.json")
    env = {**os.environ, "BENCH_METHOD": method, "BENCH_TOKEN": token, "BENCH_BODY_FILE": body_file}
    connections = args.connections if method == "GET" else min(args.connections, 4)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{args.seconds}s", "--timeout", "30s",
         "-s", str(script), f"http://127.0.0.1:{port}{path}"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    match = re.search(r"RESULT (\d+) ([\d.]+) ([\d.]+) (\d+) (\d+)", out)
    if not match:
        raise SystemExit(f"wrk printed no result: {out}")
    requests, seconds, p95, errors, non200 = match.groups()
    return {
        "rps": int(requests) / float(seconds),
        "p95": float(p95),
        "errors": int(errors) + int(non200),
        "connections": connections,
    }


def database_env(db: str, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTNET_")}
    (tmp / "data").mkdir()
    key = tmp / "secret"
    key.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    env.update(
        CTNET_DATA_DIR=str(tmp / "data"),
        CTNET_SECRET_KEY_FILE=str(key),
        CTNET_ALLOWED_HOSTS="127.0.0.1,testserver",
        # One bench token stands for a whole office's load: the per-person limits are raised
        # (the buckets are still charged on every call, so their cost is measured) so that the
        # served rate is the views' rate, not a stream of 429s.
        CTNET_PRACTICE_SEARCHES_PER_MINUTE="10000000",
        CTNET_SCREENING_TRAVELLERS_PER_HOUR="1000000000",
        PYTHONPATH=str(ROOT),
    )
    env.pop("DATABASE_URL", None)
    if db == "postgresql":
        base = os.environ.get("DATABASE_URL", PG_URL)
        admin = ["psql", base, "-q", "-c"]
        subprocess.run([*admin, f"DROP DATABASE IF EXISTS {PG_DB}"], check=True)
        subprocess.run([*admin, f"CREATE DATABASE {PG_DB}"], check=True)
        env["DATABASE_URL"] = base.rsplit("/", 1)[0] + f"/{PG_DB}"
    return env


def bench_database(db: str, args) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="ctnet-bench-serving-"))
    try:
        env = database_env(db, tmp)
        began = time.perf_counter()
        seeded = run_child(env, "--child-seed")
        print(
            f"\n== {db}: demo data seeded in {time.perf_counter() - began:.0f} s;"
            f" {os.cpu_count()} cores"
        )
        inproc = run_child(
            env, "--child-inprocess", seeded["token"], seeded["screen_body"], str(args.requests)
        )
        served: dict[str, dict[str, dict]] = {}
        for kind in args.servers.split(","):
            port = free_port()
            server = start_server(kind, env, port, args.workers)
            try:
                wait_ready(port)
                for name, method, path, body in endpoints(seeded["screen_body"]):
                    # Warm every worker (imports, the saved screening index, the embedder).
                    warm = argparse.Namespace(seconds=2, connections=args.workers * 2)
                    wrk(port, method, path, body, seeded["token"], warm, tmp)
                    served.setdefault(name, {})[kind] = wrk(
                        port, method, path, body, seeded["token"], args, tmp
                    )
            finally:
                server.terminate()
                server.wait(timeout=30)
        header = f"{'endpoint':24} {'in-proc ms':>10} {'in-proc/s':>9}"
        for kind in args.servers.split(","):
            header += f" {kind + ' /s':>12} {'p95 ms':>7} {'x in-proc':>9}"
        print(header)
        for name, *_ in endpoints(seeded["screen_body"]):
            ms = inproc[name]
            line = f"{name:24} {ms:10.2f} {1000 / ms:9.0f}"
            for kind in args.servers.split(","):
                s = served[name][kind]
                flag = "" if not s["errors"] else f" ({s['errors']} errors)"
                line += f" {s['rps']:12.0f} {s['p95']:7.1f} {s['rps'] * ms / 1000:9.2f}{flag}"
            print(line)
        print(
            f"(wrk 2 threads, {args.connections} connections for GET, 4 for the screening POST, "
            f"{args.seconds} s each; {args.workers} workers per server)"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if db == "postgresql":
            subprocess.run(
                ["psql", os.environ.get("DATABASE_URL", PG_URL), "-q", "-c",
                 f"DROP DATABASE IF EXISTS {PG_DB}"],
                check=False,
            )  # fmt: skip


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child-seed":
        return child_seed()
    if len(sys.argv) > 1 and sys.argv[1] == "--child-inprocess":
        return child_inprocess(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--servers", default="granian,gunicorn")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--requests", type=int, default=300, help="in-process requests per GET")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    print(f"load before: {os.getloadavg()[0]:.1f} (1 min)")
    for db in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        bench_database(db, args)
    print(f"load after: {os.getloadavg()[0]:.1f} (1 min)")


if __name__ == "__main__":
    main()
