"""Scheduled jobs of the exchange, queued by cron through the management commands.

Each job calls one service; the notices those services send are tasks of ``notices.py``.
"""

from __future__ import annotations

from django_tasks import task

from ctnet.exchange.notices import send_notice
from ctnet.exchange.services.lifecycle import flag_overdue
from ctnet.exchange.services.people import purge_expired

# Notices queued before they moved to ``notices.py`` name this module in the task table; the
# worker resolves a queued row by its dotted path, so the name stays importable here.
__all__ = ["flag_overdue_requests", "purge_expired_people", "send_notice"]


@task()
def flag_overdue_requests() -> int:
    """Flag deliveries past their deadline once, to both sides and the sender's coordinator."""
    return len(flag_overdue())


@task()
def purge_expired_people() -> int:
    """Delete person records past their retention date, copies included (audited in batches)."""
    return purge_expired()
