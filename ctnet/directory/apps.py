from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import CapabilityConfig, MenuEntry, Waiting


class DirectoryConfig(CapabilityConfig):
    name = "ctnet.directory"
    label = "directory"
    default = True
    verbose_name = "Directory"

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
