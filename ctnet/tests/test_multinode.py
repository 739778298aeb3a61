"""Two web nodes on one machine: shared-nothing holds under load and a crash (issue 18).

Two ``ctnet serve`` processes on different ports, one ``ctnet worker``, one PostgreSQL database
and Redis (the task queue, the cache and the rate-limit buckets, as ``CTNET_REDIS_URL`` sets them).
A bounded round-robin load of reads and audited writes runs against both; one web process is
killed (SIGKILL, no goodbye) in the middle and started again. Then every write that was
acknowledged is in the database exactly once, nothing is there twice, the audit chain verifies,
the token-failure rate limit counts across both processes as one, and the worker ran the jobs
the scheduler put on the Redis queue.

PostgreSQL and Redis only (SQLite is the one-machine embedded default); skipped otherwise.
The test makes and drops its own database, beside the test database, because the servers must
see committed rows that pytest's transactions would hide.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres"), reason="the multi-node test runs on PostgreSQL"
)

DB_NAME = "ctnet_multinode"
REDIS_URL = "redis://127.0.0.1:6379/8"  # a database of its own, emptied first
WRITES = 90  # audited writes in the load; a third of them before the crash
READS_PER_WRITE = 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _psql(sql: str) -> None:
    subprocess.run(["psql", DATABASE_URL, "-q", "-c", sql], check=True, capture_output=True)


def _ctnet(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ctnet.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=600,
    )


def _wait_ready(port: int, log: Path | None = None, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    said = log.read_text(errors="replace")[-4000:] if log is not None and log.exists() else ""
    raise AssertionError(f"server on {port} did not start; it said:\n{said}")


def _serve(env: dict[str, str], port: int) -> subprocess.Popen:
    # Its output goes to a file beside the data, which a failure to start prints.
    log = (Path(env["CTNET_DATA_DIR"]) / f"serve-{port}.log").open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "ctnet.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own group, so that a kill takes its worker process too
    )


def _call(port: int, method: str, path: str, token: str, body: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn.request(method, path, body=json.dumps(body) if body else None, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


@pytest.fixture()
def nodes(tmp_path: Path):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    _psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    _psql(f"CREATE DATABASE {DB_NAME}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CTNET_", "DJANGO_"))}
    env.update(
        DATABASE_URL=DATABASE_URL.rsplit("/", 1)[0] + f"/{DB_NAME}",
        CTNET_SECRET_KEY=secrets.token_urlsafe(50),
        CTNET_DATA_DIR=str(tmp_path),
        CTNET_ALLOWED_HOSTS="127.0.0.1",
        CTNET_REDIS_URL=REDIS_URL,
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),
    )
    _ctnet(env, "manage", "migrate", "--no-input", "--verbosity", "0")
    _ctnet(env, "manage", "shell", "-c", "from ctnet.core.demo import load_demo_people as f; f()")
    token = _ctnet(env, "token", "create", "coord.fra").stdout.strip().split()[-1]
    ports = [_free_port(), _free_port()]
    servers = [_serve(env, port) for port in ports]
    worker = subprocess.Popen(
        [sys.executable, "-m", "ctnet.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for port in ports:
            _wait_ready(port, tmp_path / f"serve-{port}.log")
        yield env, ports, servers, token, tmp_path
    finally:
        for process in [*servers, worker]:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        _psql(f"DROP DATABASE IF EXISTS {DB_NAME}")


def test_two_web_nodes_survive_a_crash_without_losing_or_doubling_writes(nodes):
    env, ports, servers, token, data_dir = nodes
    acknowledged: list[str] = []
    failed: list[str] = []
    lock = threading.Lock()
    crash_at = threading.Event()
    todo = iter(range(WRITES))

    def client(offset: int) -> None:
        n = offset
        while True:
            with lock:
                i = next(todo, None)
            if i is None:
                return
            if i == WRITES // 3:
                crash_at.set()
            port = ports[n % 2]
            n += 1
            marker = f"multinode-{i}"
            try:
                for _ in range(READS_PER_WRITE):
                    _call(port, "GET", "/api/v1/directory/contacts?country=FRA", token)
                status, _body = _call(
                    port,
                    "POST",
                    "/api/v1/directory/contacts",
                    token,
                    {"organisation": "FRA", "office": marker, "email": f"{marker}@example.gov"},
                )
            except OSError:
                status = 0  # the node died under this request: not acknowledged
            with lock:
                (acknowledged if status == 201 else failed).append(f"{marker}:{status}")

    threads = [threading.Thread(target=client, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    assert crash_at.wait(timeout=300)
    os.killpg(servers[0].pid, signal.SIGKILL)
    servers[0].wait(timeout=30)
    time.sleep(1)
    servers[0] = _serve(env, ports[0])
    _wait_ready(ports[0], Path(env["CTNET_DATA_DIR"]) / f"serve-{ports[0]}.log")
    for t in threads:
        t.join(timeout=600)

    assert len(acknowledged) >= WRITES // 2, (acknowledged, failed)
    assert all(f.endswith((":0", ":502", ":503")) for f in failed), failed
    # Every acknowledged write is there once; no marker, acknowledged or not, is there twice.
    status, body = _call(
        ports[1], "GET", "/api/v1/directory/contacts?country=FRA&q=multinode&limit=200", token
    )
    assert status == 200
    offices = [item["office"] for item in json.loads(body)["items"]]
    assert len(offices) == len(set(offices)), "a write landed twice"
    for marker in acknowledged:
        assert offices.count(marker.split(":")[0]) == 1, marker

    verified = _ctnet(env, "audit", "verify", check=False)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    # The worker served the Redis queue: the scheduler's first audit checkpoint was written.
    # Waited for, not timed: on a loaded machine the worker's first round can take minutes.
    checkpoint = data_dir / "audit-checkpoints.jsonl"
    deadline = time.monotonic() + 300
    while not checkpoint.exists() and time.monotonic() < deadline:
        time.sleep(1)
    assert checkpoint.exists(), "the worker ran no job from the Redis queue"

    # The token-failure limit is one count in Redis, not one per process.
    statuses = [
        _call(ports[k % 2], "GET", "/api/v1/me", "ctnet_bad_" + secrets.token_hex(8))[0]
        for k in range(30)
    ]
    assert statuses.count(401) <= 21, statuses  # capacity 20, one lost in a race at most
    assert statuses[-4:] == [429] * 4, statuses
