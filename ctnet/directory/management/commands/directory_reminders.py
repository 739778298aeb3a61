"""``ctnet manage directory_reminders``: queue the re-confirmation reminders (run it from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ctnet.directory.tasks import send_reconfirmation_reminders


class Command(BaseCommand):
    help = "Queue the task that emails re-confirmation reminders for directory entries."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_reconfirmation_reminders.enqueue()
        self.stdout.write(f"queued {send_reconfirmation_reminders.name} as {result.id}")
