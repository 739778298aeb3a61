from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import (
    CapabilityConfig,
    MenuEntry,
    OrganisationAction,
    OrganisationGroup,
    Waiting,
)


class ExchangeConfig(CapabilityConfig):
    name = "ctnet.exchange"
    label = "exchange"
    default = True
    verbose_name = "Secure exchange"

    def ready(self) -> None:
        # Every code this capability shows, by its label (core/labels.py, issue 14).
        from ctnet.core import labels
        from ctnet.exchange import models, trail

        labels.register_enums(
            "exchange",
            models.Priority,
            models.DeliveryStatus,
            models.ReplyKind,
            models.ReleaseStatus,
            models.ReleaseKind,
            models.Audience,
            models.BulletinCategory,
            models.IndicatorKind,
            models.LegalStatus,
        )
        labels.register("exchange.trail_action", trail.LIFECYCLE_LABELS)
        labels.register_detail_keys(
            {
                "due": _("Due"),
                "mails": _("E-mails"),
                "records": _("Person records"),
                "fields": _("Fields"),
            }
        )

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

    def organisation_groups(self, user: Any) -> list[OrganisationGroup]:
        """The sharing groups the member's organisation owns or belongs to, as one choice in
        the organisation picker (two queries: the groups, their members)."""
        from ctnet.exchange.access import visible_groups
        from ctnet.exchange.policy import policy

        if not policy.can_send_exchange(user):
            return []
        groups = visible_groups(user).prefetch_related("members")
        return [
            OrganisationGroup(f"sharing:{g.pk}", g.name, frozenset(m.pk for m in g.members.all()))
            for g in groups
        ]

    def organisation_actions(
        self, user: Any, organisation: Any, *, topic: str = ""
    ) -> list[OrganisationAction]:
        """ "Send a request": the request form with the organisation (and topic) filled in."""
        from django.urls import reverse
        from django.utils.http import urlencode

        from ctnet.exchange.policy import policy

        if not policy.can_address_in_request(user, organisation):
            return []
        query = {"to": organisation.code, **({"topic": topic} if topic else {})}
        url = f"{reverse('exchange-request-new')}?{urlencode(query)}"
        label = _("Send a request to %(organisation)s") % {"organisation": organisation.name}
        return [OrganisationAction(label, url)]

    def waiting(self, user: Any) -> list[Waiting]:
        from ctnet.exchange.waiting import exchange_waiting

        return exchange_waiting(user)

    def load_demo(self) -> None:
        from ctnet.exchange.demo import load_exchange_demo

        load_exchange_demo()
