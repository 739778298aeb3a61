"""The ``ctnet`` command.

Sub-commands that need the platform (demo, serve, worker, token, audit, manage) set up Django;
the batch engines (screen, hash, hashes match) run without it, so that they start fast and can be
used on a machine that holds no ctnet database at all.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ctnet.core.models import User

DEFAULT_PORT = 8000


def _demo_here() -> None:
    """In a folder where ``ctnet demo`` ran, the platform commands act on the demo's data.

    Only when nothing else is configured: no secret key and no database in the environment, and
    the demo's key file in the data folder. A deployment sets its key, so it never lands here;
    ``ctnet serve`` reads the settings before this and refuses to run without a key.
    """
    configured = ("CTNET_SECRET_KEY", "CTNET_SECRET_KEY_FILE", "DATABASE_URL", "CTNET_DEMO")
    if any(os.environ.get(name) for name in configured):
        return
    data_dir = Path(os.environ.get("CTNET_DATA_DIR") or Path.cwd() / "ctnet-data").resolve()
    if (data_dir / "demo-secret-key").is_file():
        os.environ.update(
            {
                "CTNET_DEMO": "1",
                "CTNET_DATA_DIR": str(data_dir),
                "CTNET_SECRET_KEY_FILE": str(data_dir / "demo-secret-key"),
            }
        )


def _django(settings_module: str = "ctnet.settings") -> None:
    _demo_here()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


# --- demo ------------------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret_file = data_dir / "demo-secret-key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        secret_file.chmod(0o600)
    os.environ.update(
        {
            "CTNET_DEMO": "1",
            "CTNET_DATA_DIR": str(data_dir),
            "CTNET_SECRET_KEY_FILE": str(secret_file),
            "CTNET_SITE_URL": f"http://127.0.0.1:{args.port}",
        }
    )
    # The demo is the embedded platform: it ignores a DATABASE_URL meant for something else.
    os.environ.pop("DATABASE_URL", None)
    _django()
    _manage("migrate", "--no-input", "--verbosity", "0")
    from ctnet.demo import load_demo

    accounts = load_demo()
    print(f"ctnet demo: data in {data_dir}")
    print("Demo accounts (password, and the key for your authenticator app):")
    for account in accounts:
        print(
            f"  {account.username:<16} {account.role:<22} {account.organisation:<10}"
            f" password: {account.password}  totp key: {account.totp_key or '(none)'}"
        )
    print("Current second-factor code for an account: ctnet demo-code USERNAME")
    from ctnet.demo import demo_notes

    for line in demo_notes():
        print(line)
    _collect_static()
    worker = subprocess.Popen(  # noqa: S603 — this very program, no outside input
        [sys.executable, "-m", "ctnet.cli", "worker", "--parent-pid", str(os.getpid())],
        env=os.environ.copy(),
    )
    # Read by ctnet/wsgi.py in granian's web worker: leave when this process is gone.
    os.environ["CTNET_DEMO_PARENT_PID"] = str(os.getpid())
    try:
        from ctnet import serving

        print(f"Open http://127.0.0.1:{args.port}/  (Ctrl+C to stop)", flush=True)
        # One worker: the demo's SQLite file and its people are one machine's, and a second
        # process would only double the memory of the saved indexes it maps. SIGHUP (a closed
        # terminal) ends the demo like SIGINT and SIGTERM, and serving returns so that the
        # ``finally`` below stops the worker.
        serving.run(host="127.0.0.1", port=args.port, workers=1, backpressure=64, hangup_stops=True)
    finally:
        _stop(worker)
    return 0


def _serve_until_signal(port: int) -> None:
    """Serve the demo until SIGINT, SIGTERM or SIGHUP; then return, so the worker is stopped.

    uvicorn shuts down gracefully on SIGINT and SIGTERM and then raises the signal again under
    the handler it found; without ours, SIGTERM's default would end this process before the
    caller's ``finally`` stops the worker. SIGHUP (a closed terminal) uvicorn does not watch.
    """
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config("ctnet.asgi:application", host="127.0.0.1", port=port, log_level="warning")
    )

    def leave(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, leave)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, server.handle_exit)
    server.run()


def _stop(worker: subprocess.Popen[bytes]) -> None:
    """Stop the demo's worker: it finishes its current task on SIGTERM; killed if it hangs."""
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _collect_static() -> None:
    """Hashed, gzip-compressed copies of the static files in STATIC_ROOT (settings.py).

    Quick after the first run: files that did not change are not copied again. Several web
    processes started at once on one data directory (two ``ctnet serve`` on one machine, nodes
    on a shared volume) take turns under an exclusive lock: two collections writing the same
    files and manifest at once can leave one process dead before it serves.
    """
    import fcntl

    from django.conf import settings

    if not settings.STATIC_COLLECTED:
        return
    lock_path = Path(settings.DATA_DIR) / "collectstatic.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        _manage("collectstatic", "--no-input", "--verbosity", "0")


def cmd_demo_code(args: argparse.Namespace) -> int:
    if os.environ.get("CTNET_DEMO") != "1":
        data_dir = Path(args.data_dir).resolve()
        os.environ.update(
            {
                "CTNET_DEMO": "1",
                "CTNET_DATA_DIR": str(data_dir),
                "CTNET_SECRET_KEY_FILE": str(data_dir / "demo-secret-key"),
            }
        )
        os.environ.pop("DATABASE_URL", None)
    _django()
    from ctnet.core.demo import current_demo_code

    code = current_demo_code(args.username)
    if code is None:
        print(f"no demo account {args.username!r} with an authenticator", file=sys.stderr)
        return 2
    print(code)
    return 0


# --- serve and worker ------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> int:
    # The settings module itself, before Django wraps it: Django refuses to even read an empty
    # SECRET_KEY, and we want to say which variable to set.
    from ctnet import settings

    if settings.DEBUG or settings.DEMO:
        print("ctnet serve refuses to run with CTNET_DEBUG or CTNET_DEMO on.", file=sys.stderr)
        return 2
    if not settings.SECRET_KEY:
        print("ctnet serve needs CTNET_SECRET_KEY (or CTNET_SECRET_KEY_FILE).", file=sys.stderr)
        return 2
    _django()
    _collect_static()
    from ctnet import serving

    workers = args.workers or settings.WEB_WORKERS or serving.available_cores()
    print(f"ctnet serve: http://{args.host}:{args.port}/ ({workers} workers; kill -HUP restarts)")
    serving.run(
        host=args.host,
        port=args.port,
        workers=workers,
        backpressure=settings.WEB_BACKPRESSURE,
        access_log=args.access_log,
    )
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    if args.verbose:
        os.environ["CTNET_TASK_LOG_LEVEL"] = "INFO"  # read by settings (docs/operations.md)
    _django()
    from django.conf import settings

    if args.parent_pid:
        from ctnet.lib.parentwatch import exit_with_parent

        exit_with_parent(args.parent_pid)
    from ctnet.core.scheduler import enqueue_due, run_forever

    extra = ["--batch", "--no-startup-delay"] if args.batch else []
    if args.schedule and args.batch:
        enqueue_due()  # a batch run does what is due now, then exits with the queue
    elif args.schedule:
        # The platform's own clock beside the task loop: no cron (core/scheduler.py).
        threading.Thread(target=run_forever, name="ctnet-scheduler", daemon=True).start()
    if settings.REDIS_URL:
        # The RQ queue in Redis (several workers on several machines may serve it); the job
        # class is the task backend's, which runs each job as a django-tasks task.
        burst = ["--burst"] if args.batch else []
        _manage("rqworker", "default", "--job-class", "django_tasks_rq.Job", *burst)
    else:
        _manage("db_worker", "--interval", str(args.interval), *extra)
    return 0


# --- token and audit -------------------------------------------------------------------------


def cmd_token_create(args: argparse.Namespace) -> int:
    _django()
    from ctnet.core import services
    from ctnet.core.models import User

    user = User.objects.filter(username=args.username, is_active=True).first()
    if user is None:
        print(f"no active user {args.username!r}", file=sys.stderr)
        return 2
    from django.core.exceptions import PermissionDenied, ValidationError

    try:
        issued = services.create_api_token(
            acting_user=user, name=args.name, read_only=args.read_only, expires_days=args.expires
        )
    except (PermissionDenied, ValidationError) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    print(issued.plaintext)
    return 0


def _checkpoint_file(args: argparse.Namespace) -> Path:
    from django.conf import settings

    return Path(args.checkpoint) if args.checkpoint else Path(settings.AUDIT_CHECKPOINT_FILE)


def cmd_audit_verify(args: argparse.Namespace) -> int:
    _django()
    from ctnet.core import audit

    path = _checkpoint_file(args)
    try:
        # The default file may not exist yet (no checkpoint made); one named on the line must.
        result = audit.verify_with_checkpoints(path, required=bool(args.checkpoint))
    except audit.CheckpointFileError as exc:
        print(f"cannot read the checkpoints: {exc}", file=sys.stderr)
        return 2
    against = f", {result.checkpoints} checkpoints in {path}" if result.checkpoints else ""
    if result.ok:
        print(f"audit chain intact: {result.checked} events{against or ', no checkpoints'}")
        return 0
    where = f"event {result.bad_id}" if result.bad_id is not None else "end of chain"
    print(f"AUDIT CHAIN BROKEN at {where}: {result.reason} ({result.checked} good before it)")
    for problem in result.problems:
        if problem != result.reason:
            print(f"  also: {problem}")
    return 1


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    _django()
    from ctnet.core import audit

    point = audit.make_checkpoint()
    if isinstance(point, audit.VerifyResult):
        print(f"no checkpoint: the audit chain is broken: {point.reason}", file=sys.stderr)
        return 1
    if not args.print_only:
        audit.append_checkpoint(point, _checkpoint_file(args))
    # Printed as well, for a record outside this machine (a ticket, a mail, another system).
    print(point.line())
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ctnet manage", *args.rest])
    return 0


# --- practices -------------------------------------------------------------------------------


def _practices_user(username: str | None) -> User | None:
    """The person the command acts as: ``--as``, or else the first secretariat account.

    Whoever runs the CLI holds the database already; acting as the secretariat keeps every write
    audited under a real account and every search filtered by a real account's visibility.
    """
    from ctnet.core.models import Role
    from ctnet.core.models import User as UserModel

    qs = UserModel.objects.filter(is_active=True)
    if username:
        return qs.filter(username=username).first()
    return (
        qs.filter(membership__role=Role.SECRETARIAT, membership__is_active=True)
        .order_by("pk")
        .first()
    )


def cmd_practices_import(args: argparse.Namespace) -> int:
    _django()
    from django.core.exceptions import PermissionDenied

    from ctnet.practices.importer import ImportFailed, embed_pending, import_practices

    user = _practices_user(args.as_user)
    if user is None:
        print("no such active user (give --as USERNAME)", file=sys.stderr)
        return 2
    try:
        with open(args.file, encoding="utf-8") as handle:
            created = import_practices(acting_user=user, lines=handle)
    except OSError as exc:
        print(f"cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print(f"{args.file} is not UTF-8 text; nothing imported", file=sys.stderr)
        return 2
    except PermissionDenied as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    except ImportFailed as exc:
        for number, message in exc.errors:
            print(f"{args.file}:{number}: {message}", file=sys.stderr)
        print("nothing imported", file=sys.stderr)
        return 1
    embedded = embed_pending()
    print(f"imported {len(created)} practices; embedded {embedded}")
    return 0


def cmd_practices_search(args: argparse.Namespace) -> int:
    _django()
    import json

    from ctnet.practices.search import BadQuery, search_practices

    user = _practices_user(args.as_user)
    if user is None:
        print("no such active user (give --as USERNAME)", file=sys.stderr)
        return 2
    try:
        hits = search_practices(user, args.query, limit=args.limit)
    except BadQuery as exc:
        print(f"bad query: {exc}", file=sys.stderr)
        return 2
    rows = [
        {
            "id": h.practice.pk,
            "title": h.practice.title,
            "score": h.score,
            "language": h.practice.language,
        }
        for h in hits
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for row in rows:
            print(f"{row['id']:>7}  {row['score']:.4f}  [{row['language']}]  {row['title']}")
    return 0


# --- engines (no Django) ---------------------------------------------------------------------


def cmd_screen(argv: list[str]) -> int:
    from ctnet.screening.engine.batch import main

    return main(argv)


def cmd_hash(argv: list[str]) -> int:
    from ctnet.hashes.engine.cli import hash_main

    return hash_main(argv)


def cmd_hashes(argv: list[str]) -> int:
    if not argv or argv[0] != "match":
        print(
            "usage: ctnet hashes match --bank FILE --queries FILE --out FILE [--index FILE]",
            file=sys.stderr,
        )
        return 2
    from ctnet.hashes.engine.cli import match_main

    return match_main(argv[1:])


ENGINE_COMMANDS = {"screen": cmd_screen, "hash": cmd_hash, "hashes": cmd_hashes}

ENGINE_HELP = {
    "screen": "screen a list of travellers against a watchlist file (no database)",
    "hash": "PDQ (vPDQ for videos), MD5 and SHA-256 of files (no database)",
    "hashes": "hashes match: match hashes against a bank file (no database)",
}
# What ``ctnet --help`` prints: plain text for a terminal (the module's docstring is for readers
# of the code).
HELP_DESCRIPTION = "ctnet: the platform of the Global Network of Counter-Terrorism Coordinators."
HELP_EPILOG = """\
The platform commands (demo, serve, worker, token, audit, practices, manage) act on the
configured database; run in a folder where "ctnet demo" ran, with nothing configured, they act
on the demo's data in ./ctnet-data. The batch commands (screen, hash, hashes match) need no
database. "ctnet COMMAND --help" describes each one."""


def _add_worker(sub: Any) -> None:
    worker = sub.add_parser("worker", help="run background tasks")
    worker.add_argument("--interval", type=float, default=1.0)
    worker.add_argument("--batch", action="store_true", help="run what is queued, then exit")
    worker.add_argument(
        "--no-schedule",
        dest="schedule",
        action="store_false",
        help="do not enqueue the scheduled jobs of settings.SCHEDULE (another worker does)",
    )
    worker.add_argument(
        "--verbose",
        action="store_true",
        help="log each task started and finished (default: only warnings and failures)",
    )
    # Set by ``ctnet demo`` for the worker it starts; not for people.
    worker.add_argument("--parent-pid", type=int, default=0, help=argparse.SUPPRESS)
    worker.set_defaults(func=cmd_worker)


def _add_serve(sub: Any) -> None:
    serve = sub.add_parser("serve", help="production server on the configured database")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument(
        "--workers",
        type=int,
        default=0,
        help="web processes (default: CTNET_WORKERS, else one per core)",
    )
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.set_defaults(func=cmd_serve)


def _add_audit(sub: Any) -> None:
    audit = sub.add_parser("audit", help="audit log").add_subparsers(dest="action", required=True)
    verify = audit.add_parser("verify", help="check the chain, its head and its checkpoints")
    verify.add_argument(
        "--checkpoint", metavar="FILE", help="checkpoints to check against (default: the setting)"
    )
    verify.set_defaults(func=cmd_audit_verify)
    point = audit.add_parser("checkpoint", help="append a signed checkpoint and print it")
    point.add_argument("--checkpoint", metavar="FILE", help="file to append to (default: setting)")
    point.add_argument("--print-only", action="store_true", help="print it, append nothing")
    point.set_defaults(func=cmd_audit_checkpoint)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ctnet",
        description=HELP_DESCRIPTION,
        epilog=HELP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="run the platform with demo data on SQLite")
    demo.add_argument("--port", type=int, default=DEFAULT_PORT)
    demo.add_argument("--data-dir", default="ctnet-data")
    demo.set_defaults(func=cmd_demo)

    code = sub.add_parser("demo-code", help="current second-factor code of a demo account")
    code.add_argument("username")
    code.add_argument("--data-dir", default="ctnet-data")
    code.set_defaults(func=cmd_demo_code)

    _add_serve(sub)
    _add_worker(sub)

    token = sub.add_parser("token", help="API tokens").add_subparsers(dest="action", required=True)
    create = token.add_parser("create", help="print a new API token once")
    create.add_argument("username")
    create.add_argument("--read-only", action="store_true")
    create.add_argument("--expires", type=int, default=90, metavar="DAYS")
    create.add_argument("--name", default="cli")
    create.set_defaults(func=cmd_token_create)

    _add_audit(sub)

    practices = sub.add_parser("practices", help="good-practice library").add_subparsers(
        dest="action", required=True
    )
    p_import = practices.add_parser("import", help="import practices from JSON Lines (all or none)")
    p_import.add_argument("file", metavar="FILE.jsonl")
    p_import.add_argument("--as", dest="as_user", metavar="USERNAME")
    p_import.set_defaults(func=cmd_practices_import)
    p_search = practices.add_parser("search", help="search the library")
    p_search.add_argument("query")
    p_search.add_argument("--limit", type=int, default=10)
    p_search.add_argument("--json", action="store_true", help="print a JSON list")
    p_search.add_argument("--as", dest="as_user", metavar="USERNAME")
    p_search.set_defaults(func=cmd_practices_search)

    manage = sub.add_parser("manage", help="Django management commands")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)

    for name, summary in ENGINE_HELP.items():
        sub.add_parser(name, help=summary, add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Engine commands own their arguments (their --help included).
    if argv and argv[0] in ENGINE_COMMANDS:
        return ENGINE_COMMANDS[argv[0]](argv[1:])
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
