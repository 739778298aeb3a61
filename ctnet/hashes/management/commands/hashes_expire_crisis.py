"""``ctnet manage hashes_expire_crisis``: close crisis banks whose time box ended (cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ctnet.hashes import governance
from ctnet.hashes.tasks import expire_crisis_banks


class Command(BaseCommand):
    help = "Close every crisis bank whose time box has ended (review or expiry, as chosen)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue", action="store_true", help="queue the task for the worker instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"]:
            result = expire_crisis_banks.enqueue()
            self.stdout.write(f"queued {expire_crisis_banks.name} as {result.id}")
            return
        closed = governance.expire_crisis_banks()
        self.stdout.write(f"closed {len(closed)} crisis bank(s): {closed}")
