"""Logging filters: a log an operator can read (docs/operations.md, "Logs").

Django logs every 4xx answer on ``django.request``, and for a refusal (``PermissionDenied``) it
attaches the exception, so each ordinary 403 printed a whole traceback. A refusal is the platform
working as meant: one line with the status and the path is what an operator needs; a traceback is
kept for 5xx, where it is the point.
"""

from __future__ import annotations

import logging


class OneLineForClientErrors(logging.Filter):
    """Drop the traceback from a ``django.request`` record about a 4xx answer."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


class AtLeast(logging.Filter):
    """Let through records at ``level`` or above, whatever level a library sets its logger to.

    The task worker of django-tasks sets its loggers to INFO on start (a line per task started and
    finished); the platform runs thousands of small tasks a day, so by default only warnings and
    failures reach the log (``CTNET_TASK_LOG_LEVEL``, or ``ctnet worker --verbose``).
    """

    def __init__(self, level: str | int = logging.WARNING) -> None:
        super().__init__()
        self.level = logging.getLevelName(level) if isinstance(level, str) else level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level
