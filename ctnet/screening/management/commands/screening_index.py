"""``ctnet manage screening_index``: build and save the candidate index every process maps."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ctnet.screening.matching import current_state, index_path, prebuild_screening_index


class Command(BaseCommand):
    help = (
        "Save the screening candidate index at the current checkpoint (the worker does it after "
        "every import); web processes map it instead of building their own."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="build here instead of queueing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            checkpoint = prebuild_screening_index.call()
            path = index_path(current_state()[0])
            where = path if path.exists() else "nothing listed, no file"
            self.stdout.write(f"screening index at checkpoint {checkpoint}: {where}")
            return
        result = prebuild_screening_index.enqueue()
        self.stdout.write(f"queued {prebuild_screening_index.name} as {result.id}")
