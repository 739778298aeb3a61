"""Leave when the process that started this one is gone.

``ctnet demo`` starts its task worker, and granian starts the web worker; on SIGINT, SIGTERM or
SIGHUP the demo stops both itself. A parent killed outright (SIGKILL, a crash) cannot: its
children are re-parented and would go on running, the web worker holding the demo's port. A
thread that notices the new parent sends this process SIGTERM, which both workers take as
"finish what you hold and stop".
"""

from __future__ import annotations

import os
import signal
import threading
import time


def exit_with_parent(parent_pid: int, *, hard_after: float | None = None) -> None:
    """Watch from a thread; ``hard_after`` seconds after the SIGTERM, leave regardless."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)
        if hard_after is not None:
            time.sleep(hard_after)
            os._exit(1)

    threading.Thread(target=watch, name="ctnet-parent-watch", daemon=True).start()
