"""``ctnet manage screening_import WATCHLIST_ID FILE --as USERNAME``: import a new edition.

For the scheduled download of the UN list: the same service as the page and the API, acting as
a named person of the owning organisation, so the audit row says who.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctnet.core.models import User
from ctnet.screening.models import Watchlist
from ctnet.screening.services import watchlists


class Command(BaseCommand):
    help = "Import a whole edition of a watchlist (UN XML or CSV) and print what changed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("watchlist", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument("--as", dest="username", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        watchlist = Watchlist.objects.filter(pk=options["watchlist"]).first()
        if user is None or watchlist is None:
            raise CommandError("unknown user or watchlist")
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        try:
            job = watchlists.import_watchlist(
                acting_user=user, watchlist=watchlist, data=data, file_name=path.name
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc) or "not allowed") from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"{watchlist.name}: edition {job.edition or '-'}: {job.added} added, "
            f"{job.changed} changed, {job.delisted} de-listed, {job.relisted} listed again, "
            f"{job.unchanged} unchanged"
        )
