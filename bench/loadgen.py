"""A bounded load generator for the HTTP benchmarks: loopback only, a fixed number of calls.

Shared by the benchmarks that drive the real server (directory, exchange). Keep-alive
``http.client`` connections in threads: no dependency, and enough to load a 2-core server.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time

Call = tuple[str, str, str | None, str]  # method, path, JSON body, bearer token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def run_calls(port: int, calls: list[Call], clients: int) -> tuple[float, list[float]]:
    """Send every call once through ``clients`` keep-alive connections; (seconds, latencies)."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    todo = iter(calls)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                call = next(todo, None)
            if call is None:
                return
            method, path, body, token = call
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            start = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if response.status >= 300:
                    failures.append(f"{response.status} {method} {path}")

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise SystemExit(f"{len(failures)} failed calls, e.g. {failures[:3]}")
    return time.perf_counter() - began, latencies
