"""``ctnet demo`` stops its worker with it, whatever signal ends it (issue 14, item 7).

The real command in a temporary folder: it is started, waited for until it answers, sent one
signal, and then neither it nor its worker may be running. The first start loads the demo data
(slow); the next ones find it there. SIGKILL cannot be caught: the worker's own watch of its
parent must end it. Then the README's commands run in the same folder, on the demo's data.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from unittest import skipIf

from django.test import SimpleTestCase

README_COMMANDS = (
    "demo-code coord.fra",
    "token create coord.fra --expires 1",
    "audit verify",
    "audit checkpoint",
    "practices search border --limit 1",
    "manage exchange_overdue",
    "manage screening_index",
    "worker --batch --no-schedule",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ")".
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# The demo runs on its own embedded SQLite whatever DATABASE_URL says (setUp removes it), so the
# PostgreSQL run of the suite would repeat the SQLite run exactly, at a cost of several minutes of
# CI (9 under load in the last full run).
@skipIf(os.environ.get("DATABASE_URL"), "demo runs on SQLite; the SQLite run covers it")
class DemoSignalTests(SimpleTestCase):
    def setUp(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="ctnet-demo-signals-")
        self.addCleanup(lambda: __import__("shutil").rmtree(self.folder, ignore_errors=True))
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("CTNET_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
        }
        self.env["DJANGO_SETTINGS_MODULE"] = "ctnet.settings"

    def _start(self) -> tuple[subprocess.Popen[bytes], list[int]]:
        port = _free_port()
        demo = subprocess.Popen(
            [sys.executable, "-m", "ctnet.cli", "demo", "--port", str(port)],
            cwd=self.folder,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.addCleanup(self._kill_all, demo)
        deadline = time.monotonic() + 600  # the first start loads the UN list and the states
        while time.monotonic() < deadline:
            self.assertIsNone(demo.poll(), "ctnet demo ended on its own")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            self.fail("ctnet demo did not answer in time")
        # Two children: the task worker and granian's web worker.
        children = _children(demo.pid)
        workers = [pid for pid in children if b"worker" in _cmdline(pid)]
        self.assertEqual(len(workers), 1, children)
        self.assertEqual(len(children), 2, children)
        return demo, children

    def _kill_all(self, demo: subprocess.Popen[bytes]) -> None:
        for pid in [*_children(demo.pid), demo.pid]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        demo.wait(timeout=30)

    def _gone(self, pid: int, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not _alive(pid):
                return True
            time.sleep(0.2)
        return False

    def test_every_signal_takes_the_workers_along(self) -> None:
        # SIGKILL cannot be caught: the workers' own watch of their parent must end them (the task
        # worker's --parent-pid, the web worker's in ctnet/wsgi.py).
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGKILL):
            with self.subTest(signal=sig.name):
                demo, children = self._start()
                os.kill(demo.pid, sig)
                demo.wait(timeout=60)
                # The workers finish what they hold; the parent watch checks every second.
                for child in children:
                    self.assertTrue(self._gone(child, 30), f"{child} outlived {sig.name}")
        # The README's platform commands, run in the folder where the demo ran with nothing
        # configured, act on the demo's data (cli._demo_here), as demo-code does.
        for command in README_COMMANDS:
            with self.subTest(command=command):
                result = subprocess.run(
                    [sys.executable, "-m", "ctnet.cli", *command.split()],
                    cwd=self.folder,
                    env=self.env,
                    capture_output=True,
                    text=True,
                    timeout=300,
                    check=False,
                )
                self.assertEqual(result.returncode, 0, result.stderr[-2000:])
                self.assertNotIn("Traceback", result.stderr)
