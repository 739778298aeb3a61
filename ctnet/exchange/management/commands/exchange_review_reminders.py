"""``ctnet manage exchange_review_reminders``: remind originators of person records due for
review (daily; the worker's schedule runs it too)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ctnet.exchange.tasks import send_person_review_reminders


class Command(BaseCommand):
    help = "E-mail each organisation's exchange heads how many of its person records are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="run here instead of queueing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            self.stdout.write(f"sent {send_person_review_reminders.call()} reminder(s)")
            return
        result = send_person_review_reminders.enqueue()
        self.stdout.write(f"queued {send_person_review_reminders.name} as {result.id}")
