"""The platform's own clock (issue 13, item 9): scheduled jobs run from ``ctnet worker``."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import tempfile
from datetime import timedelta
from pathlib import Path
from unittest import mock

from django.core.exceptions import ImproperlyConfigured
from django.test import TestCase, override_settings
from django.utils import timezone
from django_tasks.base import Task

from ctnet import settings as ctnet_settings
from ctnet.core import audit, scheduler
from ctnet.core.capabilities import capabilities
from ctnet.core.models import ScheduledJobRun


class ScheduleSettingsTests(TestCase):
    def test_defaults_and_overrides(self) -> None:
        schedule = ctnet_settings._schedule("exchange-purge=600, screening-purge=0")
        self.assertEqual(schedule["exchange-purge"][1], 600)
        self.assertNotIn("screening-purge", schedule)  # 0 turns a job off
        self.assertEqual(schedule["exchange-overdue"][1], 3600)

    def test_bad_overrides_are_loud(self) -> None:
        for raw in ("no-such-job=60", "exchange-purge", "exchange-purge=soon", "exchange-purge=-1"):
            with self.subTest(raw=raw), self.assertRaises(ImproperlyConfigured):
                ctnet_settings._schedule(raw)

    def test_the_operations_guide_lists_every_job(self) -> None:
        guide = (Path(__file__).resolve().parents[2] / "docs" / "operations.md").read_text()
        missing = [name for name in ctnet_settings._schedule("") if f"| `{name}` |" not in guide]
        self.assertEqual(missing, [], "jobs missing from the table of docs/operations.md")

    def test_every_scheduled_path_is_a_task(self) -> None:
        jobs = scheduler.scheduled_jobs()
        self.assertEqual({j.name for j in jobs}, set(ctnet_settings.SCHEDULE))
        self.assertTrue(all(isinstance(j.task, Task) for j in jobs))

    @override_settings(SCHEDULE={"broken": ("ctnet.core.models.User", 60)})
    def test_a_path_that_is_no_task_is_refused(self) -> None:
        with self.assertRaises(ImproperlyConfigured):
            scheduler.scheduled_jobs()

    def test_every_job_of_a_capability_is_on_the_schedule(self) -> None:
        """A task of no arguments is a job nobody asks for with data: unless a service enqueues it
        on commit (the list below), it must be on the schedule, or it runs only if an outside
        cron remembers it. Notices that services send take arguments."""
        scheduled = {path for path, _seconds in ctnet_settings.SCHEDULE.values()}
        jobs = set()
        for config in capabilities():
            package = importlib.import_module(config.name)
            for info in pkgutil.walk_packages(package.__path__, f"{config.name}."):
                if any(part in info.name.split(".") for part in ("tests", "engine", "migrations")):
                    continue
                module = importlib.import_module(info.name)
                for name, obj in vars(module).items():
                    here = isinstance(obj, Task) and obj.module_path == f"{module.__name__}.{name}"
                    if here and not inspect.signature(obj.func).parameters:
                        jobs.add(obj.module_path)
        self.assertGreaterEqual(len(jobs), 6)
        self.assertEqual(jobs - scheduled - ENQUEUED_ON_COMMIT, set())


# Zero-argument tasks that services enqueue after a change commits (an index rebuilt for the
# current checkpoint); they are not scheduled.
ENQUEUED_ON_COMMIT = {
    "ctnet.hashes.indexing.prebuild_pdq_index",
    "ctnet.screening.matching.prebuild_screening_index",
}


class EnqueueDueTests(TestCase):
    def test_each_job_once_per_interval(self) -> None:
        now = timezone.now()
        with (
            mock.patch.object(Task, "enqueue") as enqueue,
            self.captureOnCommitCallbacks(execute=True),
        ):
            first = scheduler.enqueue_due(now)
        self.assertEqual(set(first), set(ctnet_settings.SCHEDULE))
        self.assertEqual(enqueue.call_count, len(first))
        self.assertEqual(ScheduledJobRun.objects.count(), len(first))

        with (
            mock.patch.object(Task, "enqueue") as enqueue,
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.assertEqual(scheduler.enqueue_due(now + timedelta(minutes=5)), [])
            self.assertEqual(
                scheduler.enqueue_due(now + timedelta(minutes=16)), ["hashes-crisis-expiry"]
            )
            hourly = set(scheduler.enqueue_due(now + timedelta(minutes=61)))
        # The crisis expiry is due again too (last at 16 minutes, every 15).
        self.assertEqual(
            hourly,
            {
                "exchange-overdue",
                "exchange-purge",
                "screening-purge",
                "hashes-crisis-expiry",
                "coordination-needs-reported",
            },
        )  # the daily reminders wait for their day
        self.assertEqual(enqueue.call_count, 6)

    def test_the_real_jobs_run(self) -> None:
        # Tests use the immediate backend: enqueueing runs each job against an empty platform,
        # which proves each is a real zero-argument task of its capability.
        with tempfile.TemporaryDirectory() as tmp:
            checkpoints = Path(tmp) / "audit-checkpoints.jsonl"
            with self.settings(AUDIT_CHECKPOINT_FILE=checkpoints):
                audit.record("test.event", detail={"n": 1})
                with self.captureOnCommitCallbacks(execute=True):
                    ran = scheduler.enqueue_due()
                self.assertEqual(set(ran), set(ctnet_settings.SCHEDULE))
                # The audit checkpoint left the database, and verifies against the chain.
                points, bad = audit.read_checkpoints(checkpoints)
                self.assertEqual((len(points), bad), (1, []))
                self.assertTrue(audit.verify_with_checkpoints(checkpoints, required=True).ok)

    def test_a_rolled_back_check_enqueues_nothing(self) -> None:
        with (
            mock.patch.object(Task, "enqueue") as enqueue,
            mock.patch.object(ScheduledJobRun, "save", side_effect=RuntimeError("db away")),
            self.assertRaises(RuntimeError),
            self.captureOnCommitCallbacks(execute=True),
        ):
            scheduler.enqueue_due()
        enqueue.assert_not_called()
