from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import CapabilityConfig, MenuEntry, Waiting


class DirectoryConfig(CapabilityConfig):
    name = "ctnet.directory"
    label = "directory"
    default = True
    verbose_name = "Directory"

    def ready(self) -> None:
        # Every code this capability shows, by its label (core/labels.py, issue 14).
        from ctnet.core import labels
        from ctnet.directory import models

        labels.register_enums("directory", models.Function, models.Audience)
        labels.register("directory.change_action", models.CHANGE_ACTIONS)
        labels.register_detail_keys({"sent": _("Sent"), "verified": _("Verified")})

    def menu(self, user: Any) -> list[MenuEntry]:
        from ctnet.directory.policy import policy

        if not policy.can_use_directory(user):
            return []
        return [
            MenuEntry(
                _("Directory"),
                "directory",
                _("Who to contact in any country, about any topic, right now."),
            )
        ]

    def waiting(self, user: Any) -> list[Waiting]:
        from ctnet.directory.waiting import directory_waiting

        return directory_waiting(user)

    def load_demo(self) -> None:
        from ctnet.directory.demo import load_directory_demo

        load_directory_demo()
