"""``ctnet manage exchange_purge``: queue the retention purge of person records (daily cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ctnet.exchange.services.people import purge_expired
from ctnet.exchange.tasks import purge_expired_people


class Command(BaseCommand):
    help = "Delete person records past their retention date, copies included, and audit it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="run here instead of queueing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            self.stdout.write(f"purged {purge_expired()} person record(s)")
            return
        result = purge_expired_people.enqueue()
        self.stdout.write(f"queued {purge_expired_people.name} as {result.id}")
