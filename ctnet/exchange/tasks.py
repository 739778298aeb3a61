"""Scheduled jobs of the exchange, queued by cron through the management commands.

Each job calls one service; the notices those services send are tasks of ``notices.py``.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django_tasks import task

from ctnet.core import audit
from ctnet.exchange.notices import send_notice, send_review_reminder
from ctnet.exchange.services.lifecycle import flag_overdue
from ctnet.exchange.services.people import due_by_originator, purge_expired

# Notices queued before they moved to ``notices.py`` name this module in the task table; the
# worker resolves a queued row by its dotted path, so the name stays importable here.
__all__ = [
    "flag_overdue_requests",
    "purge_expired_people",
    "send_notice",
    "send_person_review_reminders",
]


@task()
def flag_overdue_requests() -> int:
    """Flag deliveries past their deadline once, to both sides and the sender's coordinator."""
    return len(flag_overdue())


@task()
def purge_expired_people() -> int:
    """Delete person records past their retention date, copies included (audited in batches)."""
    return purge_expired()


@task()
def send_person_review_reminders() -> int:
    """Tell each originating organisation's exchange heads how many of its person records are
    due for review (daily, again each day while they stay due); returns how many mails left."""
    due = due_by_originator()
    path = reverse("exchange-people-due")
    sent = sum(send_review_reminder(org_id, n, path) for org_id, n in sorted(due.items()))
    if due:
        with transaction.atomic():
            # Counts per organisation only: no record id and no person in the log.
            audit.record(
                "exchange.person.review_reminders",
                object_type="exchange.personrecord",
                detail={"due": {str(k): v for k, v in sorted(due.items())}, "mails": sent},
            )
    return sent
