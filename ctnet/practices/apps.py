from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import CapabilityConfig, MenuEntry, Waiting


class PracticesConfig(CapabilityConfig):
    name = "ctnet.practices"
    label = "practices"
    default = True
    verbose_name = "Good practices"

    def ready(self) -> None:
        # Every code this capability shows, by its label (core/labels.py, issue 14).
        from ctnet.core import labels
        from ctnet.practices import vocab

        labels.register_enums("practices", vocab.Status)
        labels.register("practices.themes", vocab.THEMES)
        # Each language by its own name (an endonym), the same on every page.
        labels.register("practices.Language", vocab.Language, translated=False)

    def menu(self, user: Any) -> list[MenuEntry]:
        from ctnet.practices.policy import policy

        if not policy.can_read_content(user):
            return []
        return [
            MenuEntry(
                _("Good practices"),
                "practices",
                _(
                    "Share what worked, and find what other states did, in any of the six "
                    "languages."
                ),
            )
        ]

    def waiting(self, user: Any) -> list[Waiting]:
        from ctnet.practices.waiting import practices_waiting

        return practices_waiting(user)

    def load_demo(self) -> None:
        from ctnet.practices.demo import load_practices_demo

        load_practices_demo()
