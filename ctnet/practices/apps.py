from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import (
    AnswerTarget,
    CapabilityConfig,
    MenuEntry,
    SubjectOffer,
    Waiting,
    subject_kind_of,
)


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

    def subject_kinds(self) -> list[SubjectOffer]:
        # A consultation can be on a guideline (issue 15): a published practice its reader may
        # see; a draft is still its author's and may change under the consultation.
        from django.urls import reverse

        from ctnet.practices.access import visible_practices
        from ctnet.practices.vocab import Status

        def visible(user: Any) -> Any:
            return visible_practices(user).filter(status=Status.PUBLISHED)

        def target(practice: Any) -> AnswerTarget:
            url = reverse("practice", args=[practice.pk])
            return AnswerTarget(id=practice.pk, label=practice.title, url=url)

        return [subject_kind_of("guideline", _("Good practices and guidelines"), visible, target)]

    def load_demo(self) -> None:
        from ctnet.practices.demo import load_practices_demo

        load_practices_demo()
