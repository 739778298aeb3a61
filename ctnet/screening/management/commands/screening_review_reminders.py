"""``ctnet manage screening_review_reminders``: remind list owners of entries due for review
(daily cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ctnet.screening.reminders import send_review_reminders


class Command(BaseCommand):
    help = "E-mail each organisation's watchlist owners how many of their entries are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="run here instead of queueing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            self.stdout.write(f"sent {send_review_reminders.call()} reminder(s)")
            return
        result = send_review_reminders.enqueue()
        self.stdout.write(f"queued {send_review_reminders.name} as {result.id}")
