"""The one refusal that is neither bad input nor a missing right: the thing is not at a step where
the act applies (a closed window, a decided hit, an approved period), or it changed since the
person loaded it. Each capability names its own subclass; the API answers every one with 409 and
its message (one handler in ``ctnet/api.py``), and a page shows the message with the same status.
"""

from __future__ import annotations


class Conflict(Exception):
    """409: the state of the thing refuses the act; ``message`` says why, in the person's words."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""
