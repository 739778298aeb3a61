from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import CapabilityConfig, MenuEntry, Waiting


class HashesConfig(CapabilityConfig):
    name = "ctnet.hashes"
    label = "hashes"
    default = True
    verbose_name = "Content hash sharing"

    def ready(self) -> None:
        # Every code this capability shows, by its label (core/labels.py, issue 14).
        from ctnet.core import labels
        from ctnet.hashes import models

        labels.register_enums(
            "hashes",
            models.BankKind,
            models.CrisisState,
            models.CrisisEnd,
            models.SignalStatus,
            models.ContentCategory,
        )
        labels.register_detail_keys({"signals": _("Signals"), "matches": _("Matches")})

    def menu(self, user: Any) -> list[MenuEntry]:
        from ctnet.hashes.policy import policy

        if not policy.can_use_hashes(user):
            return []
        return [
            MenuEntry(
                _("Content hashes"),
                "hashes",
                _(
                    "Check an image against hashes of known terrorist content, and govern the "
                    "shared banks."
                ),
            )
        ]

    def waiting(self, user: Any) -> list[Waiting]:
        from ctnet.hashes.waiting import hashes_waiting

        return hashes_waiting(user)

    def load_demo(self) -> None:
        from ctnet.hashes.demo import load_hashes_demo

        load_hashes_demo()
