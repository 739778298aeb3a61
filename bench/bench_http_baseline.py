"""What a request costs before any view work: in-process vs uvicorn ASGI vs uvicorn WSGI.

    .venv/bin/python bench/bench_http_baseline.py [--requests 200]

Times sequential ``GET /healthz`` over one keep-alive connection (after 3 warm-up requests) in
three set-ups on a fresh SQLite demo database: Django's test client in this process (baseline),
uvicorn serving ``ctnet.asgi`` (what ``ctnet serve`` runs) and uvicorn serving ``ctnet.wsgi``
with ``--interface wsgi``. Prints milliseconds per request and the ratio to the in-process figure.
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loadgen import free_port, wait_ready

ROOT = Path(__file__).resolve().parent.parent


def sequential_ms(port: int, n: int) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(3):
        conn.request("GET", "/healthz")
        conn.getresponse().read()
    began = time.perf_counter()
    for _ in range(n):
        conn.request("GET", "/healthz")
        conn.getresponse().read()
    return (time.perf_counter() - began) / n * 1000


def served_ms(env: dict[str, str], app: str, extra: list[str], n: int) -> float:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--port",
            str(port),
            "--log-level",
            "warning",
            *extra,
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_ready(port)
        return sequential_ms(port, n)
    finally:
        server.terminate()
        server.wait(timeout=30)


def in_process_ms(n: int) -> float:
    import django
    from django.test import Client

    django.setup()
    client = Client()
    for _ in range(3):
        client.get("/healthz")
    began = time.perf_counter()
    for _ in range(n):
        client.get("/healthz")
    return (time.perf_counter() - began) / n * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="ctnet-bench-http-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTNET_")}
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "CTNET_DATA_DIR": data,
            "CTNET_SECRET_KEY": "bench-" + "k" * 40,
            "DJANGO_SETTINGS_MODULE": "ctnet.settings",
        }
    )
    subprocess.run(
        [sys.executable, "-m", "ctnet.cli", "manage", "migrate", "--no-input", "-v", "0"],
        env=env,
        check=True,
    )
    os.environ.update(env)
    baseline = in_process_ms(args.requests)
    asgi = served_ms(env, "ctnet.asgi:application", [], args.requests)
    wsgi = served_ms(env, "ctnet.wsgi:application", ["--interface", "wsgi"], args.requests)
    print(f"GET /healthz, {args.requests} sequential requests, SQLite")
    print(f"{'set-up':<28}{'ms/request':>12}{'vs in-process':>16}")
    for name, value in (
        ("in-process (test client)", baseline),
        ("uvicorn ASGI", asgi),
        ("uvicorn WSGI", wsgi),
    ):
        print(f"{name:<28}{value:>12.2f}{value / baseline:>16.1f}")


if __name__ == "__main__":
    main()
