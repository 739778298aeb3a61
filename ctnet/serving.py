"""The web server that ``ctnet serve`` and ``ctnet demo`` run: the WSGI application under granian.

Every view of the platform is synchronous Django. Under an ASGI server each request crosses
``sync_to_async`` into a thread and back, which cost most of both cores before any view ran
(issue 18: uvicorn ASGI 98 req/s on ``/healthz`` where granian WSGI served 282 on the same
machine). granian runs the WSGI callable directly from its Rust HTTP front, one process per core;
``bench/bench_serving.py`` measures it beside gunicorn's sync workers and the in-process rate.

Graceful restarts: ``kill -HUP`` the main process; granian starts new workers and lets the old
ones finish the requests they hold. A worker that dies is started again.
"""

from __future__ import annotations

import os

WSGI_TARGET = "ctnet.wsgi:application"


def available_cores() -> int:
    """Cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run(
    *,
    host: str,
    port: int,
    workers: int,
    backpressure: int,
    access_log: bool = False,
    hangup_stops: bool = False,
) -> None:
    """Serve until a signal ends it (SIGINT/SIGTERM stop, SIGHUP restarts the workers).

    With ``hangup_stops`` (the demo, run from a terminal) SIGHUP stops it too. Returns once the
    server has stopped, so that the caller can stop what it started beside it.
    """
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    # Each process's sentence encoder gets its share of the cores, not all of them (issue 18).
    from ctnet.practices.engine.embedder import THREADS_VARIABLE

    os.environ.setdefault(THREADS_VARIABLE, str(max(1, available_cores() // workers)))
    server = Granian(
        WSGI_TARGET,
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        # One Python thread per worker runs the views: more only contend for the GIL, and the
        # database connection is per thread (measured: bench/bench_serving.py --threads).
        blocking_threads=1,
        # Requests beyond what the workers can take wait in the kernel's backlog instead of
        # piling up as tasks in each worker.
        backpressure=backpressure,
        respawn_failed_workers=True,
        log_level=LogLevels.warning,
        log_access=access_log,
    )
    if hangup_stops:
        # granian binds its handlers when it starts serving, from these attributes.
        server.signal_handler_reload = server.signal_handler_interrupt  # type: ignore[method-assign]
    server.serve()
