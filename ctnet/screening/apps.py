from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import CapabilityConfig, MenuEntry, Waiting


class ScreeningConfig(CapabilityConfig):
    name = "ctnet.screening"
    label = "screening"
    default = True
    verbose_name = "Traveller screening"

    def ready(self) -> None:
        # Every code this capability shows, by its label (core/labels.py, issue 14).
        from ctnet.core import labels
        from ctnet.screening import models, presenters

        labels.register_enums(
            "screening",
            models.ListSource,
            models.EntryLegalStatus,
            models.EntryStatus,
            models.ImportFormat,
            models.Channel,
            models.Purpose,
            models.HitStatus,
            models.Outcome,
            models.ReviewAction,
        )
        labels.register("screening.paxlst_list_kind", presenters.PAXLST_LIST_KINDS)
        labels.register("screening.entity_type", presenters.ENTITY_TYPES)
        labels.register("screening.gender", presenters.GENDERS)
        labels.register_detail_keys(presenters.AUDIT_DETAIL_KEYS)

    def menu(self, user: Any) -> list[MenuEntry]:
        from ctnet.screening.policy import policy

        entries = []
        if policy.can_screen(user):
            entries.append(
                MenuEntry(
                    _("Traveller screening"),
                    "screening",
                    _(
                        "Screen passenger lists against watchlists of foreign terrorist "
                        "fighters, and review the possible matches with four eyes."
                    ),
                )
            )
        elif policy.can_see_screening_stats(user):
            entries.append(MenuEntry(_("Screening in numbers"), "screening-stats"))
        return entries

    def waiting(self, user: Any) -> list[Waiting]:
        from ctnet.screening.waiting import screening_waiting

        return screening_waiting(user)

    def load_demo(self) -> None:
        from ctnet.screening.demo import load_screening_demo

        load_screening_demo()
