from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import CapabilityConfig, MenuEntry

# Paths whose requests the web server must not log with the client's address.
UNLOGGED_PREFIXES = ("/consultations/", "/api/v1/consultations/")


class DropClientAddress(logging.Filter):
    """Blank the client address in the web server's access log for consultation requests.

    uvicorn logs ``client_addr, method, path, http_version, status``; a line with the address
    and time of an anonymous submission would undo what the tables keep apart.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if (
            isinstance(args, tuple)
            and len(args) >= 3
            and isinstance(args[2], str)
            and args[2].startswith(UNLOGGED_PREFIXES)
        ):
            record.args = ("-", *args[1:])
        return True


class ConsultationsConfig(CapabilityConfig):
    name = "ctnet.consultations"
    label = "consultations"
    default = True
    verbose_name = "Consultations"

    def ready(self) -> None:
        logging.getLogger("uvicorn.access").addFilter(DropClientAddress())

    def menu(self, user: Any) -> list[MenuEntry]:
        from ctnet.consultations.policy import policy

        if not policy.can_use(user):
            return []
        return [
            MenuEntry(
                _("Consultations"),
                "consultations",
                _(
                    "Civil society's views on policies and programmes, and what became of "
                    "each of them."
                ),
            )
        ]

    def load_demo(self) -> None:
        from ctnet.consultations.demo import load_consultations_demo

        load_consultations_demo()
