"""``ctnet manage screening_purge``: queue the retention purge of possible matches (daily cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ctnet.screening.services.review import purge_expired
from ctnet.screening.tasks import purge_expired_hits


class Command(BaseCommand):
    help = "Delete hits, notices and remembered false positives past retention, and audit it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="run here instead of queueing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            counts = {k: len(v) for k, v in purge_expired().items()}
            self.stdout.write(f"purged {counts}")
            return
        result = purge_expired_hits.enqueue()
        self.stdout.write(f"queued {purge_expired_hits.name} as {result.id}")
