"""``ctnet manage exchange_overdue``: queue the overdue check (cron, e.g. every 15 minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ctnet.exchange.services.lifecycle import flag_overdue
from ctnet.exchange.tasks import flag_overdue_requests


class Command(BaseCommand):
    help = "Flag requests past their deadline and notify both sides (queued for the worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="run here instead of queueing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            flagged = flag_overdue()
            self.stdout.write(f"flagged {len(flagged)} overdue delivery(ies)")
            return
        result = flag_overdue_requests.enqueue()
        self.stdout.write(f"queued {flag_overdue_requests.name} as {result.id}")
