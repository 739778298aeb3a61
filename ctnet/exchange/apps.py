from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import CapabilityConfig, MenuEntry, Waiting


class ExchangeConfig(CapabilityConfig):
    name = "ctnet.exchange"
    label = "exchange"
    default = True
    verbose_name = "Secure exchange"

    def menu(self, user: Any) -> list[MenuEntry]:
        from ctnet.exchange.policy import policy

        if policy.can_trace_person(user):
            # Oversight follows person records through their trails, never the exchange itself.
            return [MenuEntry(_("Person trails"), "exchange-people")]
        if not policy.can_use_exchange(user):
            return []
        return [
            MenuEntry(
                _("Exchange"),
                "exchange",
                _(
                    "Requests between coordinators, alerts and bulletins, under the "
                    "originator's control."
                ),
                card_label=_("Secure exchange"),
            )
        ]

    def waiting(self, user: Any) -> list[Waiting]:
        from ctnet.exchange.waiting import exchange_waiting

        return exchange_waiting(user)

    def load_demo(self) -> None:
        from ctnet.exchange.demo import load_exchange_demo

        load_exchange_demo()
