from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import (
    AnswerKind,
    AnswerTarget,
    CapabilityConfig,
    MenuEntry,
    SubjectOffer,
    Waiting,
    subject_kind_of,
)


class CoordinationConfig(CapabilityConfig):
    name = "ctnet.coordination"
    label = "coordination"
    default = True
    verbose_name = "Coordination"

    def ready(self) -> None:
        # Every code this capability shows, by its label (core/labels.py, issue 14).
        from ctnet.coordination import models
        from ctnet.core import labels

        labels.register_enums(
            "coordination",
            models.PlanScope,
            models.PlanFocus,
            models.Visibility,
            models.Status,
            models.Urgency,
            models.NeedStatus,
            models.MatchStatus,
            models.ItemStatus,
        )

    def menu(self, user: Any) -> list[MenuEntry]:
        from ctnet.coordination.policy import policy

        if not policy.can_use_coordination(user):
            return []
        return [
            MenuEntry(
                _("Action plans"),
                "coordination",
                _(
                    "National and regional action plans, their commitments and independent "
                    "assessments, by resolution and by region."
                ),
                card_label=_("Action plans and coordination"),
            )
        ]

    def waiting(self, user: Any) -> list[Waiting]:
        from ctnet.coordination.waiting import coordination_waiting

        return coordination_waiting(user)

    def answer_kinds(self) -> list[AnswerKind]:
        # Monitoring projects answer commitments (issue 16); the links are coordination's own.
        from ctnet.coordination.answers import answer_kind

        return [answer_kind()]

    def subject_kinds(self) -> list[SubjectOffer]:
        # A consultation can be on an action plan (issue 15): the plans its reader may see.
        from django.urls import reverse

        from ctnet.coordination.access import visible_plans

        def target(plan: Any) -> AnswerTarget:
            url = reverse("coordination-plan", args=[plan.pk])
            return AnswerTarget(id=plan.pk, label=plan.title, url=url)

        return [subject_kind_of("action_plan", _("Action plans"), visible_plans, target)]

    def load_demo(self) -> None:
        from ctnet.coordination.demo import load_answers_demo, load_coordination_demo

        load_coordination_demo()
        load_answers_demo()
