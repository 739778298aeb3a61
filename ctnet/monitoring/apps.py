from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import CapabilityConfig, MenuEntry


class MonitoringConfig(CapabilityConfig):
    name = "ctnet.monitoring"
    label = "monitoring"
    default = True
    verbose_name = "Monitoring and evaluation"

    def menu(self, user: Any) -> list[MenuEntry]:
        from ctnet.monitoring.policy import policy

        if not policy.can_use_monitoring(user):
            return []
        return [
            MenuEntry(
                _("Projects"),
                "monitoring",
                _(
                    "Capacity-building projects: results, indicators, targets and actuals "
                    "approved with four eyes, progress charts and the IATI export."
                ),
                card_label=_("Monitoring and evaluation"),
            )
        ]

    def load_demo(self) -> None:
        from ctnet.monitoring.demo import load_monitoring_demo

        load_monitoring_demo()
