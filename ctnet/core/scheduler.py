"""The platform's own clock: enqueue each scheduled job when its interval has passed.

``ctnet worker`` calls ``enqueue_due`` every minute beside the task worker, so the retention
purges, reminders, overdue flags and crisis expiry in ``settings.SCHEDULE`` run without a cron.
Core knows the jobs only by the dotted paths in settings; each job is a zero-argument task of its
capability, which calls that capability's services.

Several workers may run: the row of a job is locked while its due time is checked and moved, so
one of them enqueues it. Jobs are idempotent (a purge finds nothing left the second time), so a
worker that dies between enqueueing and committing costs at most one extra run.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

from ctnet.core.models import ScheduledJobRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    task: Task[Any, Any]
    every: timedelta


def scheduled_jobs() -> list[ScheduledJob]:
    """The jobs of ``settings.SCHEDULE``; a path that is not a task of no arguments is refused."""
    jobs = []
    for name, (path, seconds) in sorted(settings.SCHEDULE.items()):
        try:
            task = import_string(path)
        except ImportError as exc:
            raise ImproperlyConfigured(f"SCHEDULE[{name!r}]: {path} cannot be imported") from exc
        if not isinstance(task, Task):
            raise ImproperlyConfigured(f"SCHEDULE[{name!r}]: {path} is not a task")
        jobs.append(ScheduledJob(name, task, timedelta(seconds=seconds)))
    return jobs


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every job whose interval has passed; the names of those enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in scheduled_jobs():
        with transaction.atomic():
            run = ScheduledJobRun.objects.select_for_update().filter(name=job.name).first()
            if run is not None and run.last_enqueued_at + job.every > now:
                continue
            if run is None:
                run = ScheduledJobRun(name=job.name)
            run.last_enqueued_at = now
            run.save()
            # Enqueued once the due time is moved, so a rolled-back check enqueues nothing.
            transaction.on_commit(job.task.enqueue)
        enqueued.append(job.name)
        logger.info("scheduled job %s enqueued", job.name)
    return enqueued


# How often the worker looks at the clock; the shortest interval in the schedule is minutes.
TICK_SECONDS = 60


def run_forever() -> None:  # pragma: no cover - the loop of ``ctnet worker``; enqueue_due is tested
    while True:
        try:
            enqueue_due()
        except Exception:
            # A database that is away for a moment must not stop the clock for good.
            logger.exception("scheduler: enqueueing due jobs failed; trying again")
        finally:
            close_old_connections()
        time.sleep(TICK_SECONDS)
