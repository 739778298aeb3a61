from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import AnswerKind, CapabilityConfig, Mention, MenuEntry, Waiting

# Paths whose requests the web server must not log with the client's address.
UNLOGGED_PREFIXES = ("/consultations/", "/api/v1/consultations/")


class DropClientAddress(logging.Filter):
    """Blank the client address in the web server's access log for consultation requests.

    uvicorn logs ``client_addr, method, path, http_version, status``; a line with the address
    and time of an anonymous submission would undo what the tables keep apart.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if (
            isinstance(args, tuple)
            and len(args) >= 3
            and isinstance(args[2], str)
            and args[2].startswith(UNLOGGED_PREFIXES)
        ):
            record.args = ("-", *args[1:])
        return True


class ConsultationsConfig(CapabilityConfig):
    name = "ctnet.consultations"
    label = "consultations"
    default = True
    verbose_name = "Consultations"

    def ready(self) -> None:
        logging.getLogger("uvicorn.access").addFilter(DropClientAddress())
        # Every code this capability shows, by its label (core/labels.py, issue 14).
        from ctnet.consultations import models
        from ctnet.core import labels

        labels.register_enums(
            "consultations",
            models.Status,
            models.SubjectKind,
            models.Audience,
            models.Mode,
            models.QuestionKind,
            models.ResponseKind,
            models.Moderation,
            models.ResultStatus,
        )
        labels.register("consultations.Stance", {str(v): lbl for v, lbl in models.Stance.choices})
        # The keys of a question's counts that are not the question's own choices.
        labels.register(
            "consultations.tally",
            {
                "agree": models.Stance.AGREE.label,
                "pass": models.Stance.PASS.label,
                "disagree": models.Stance.DISAGREE.label,
                "answers": _("Answers"),
            },
        )
        labels.register_detail_keys(
            {
                "mode": _("Way of taking part"),
                "questions": _("Questions"),
                "audience": _("Audience"),
                "inputs": _("Inputs"),
                "response": _("Response"),
                "reports": _("Reports"),
                "consultation": _("Consultation"),
                "merged": _("Merged themes"),
                "replaced": _("Replaced an earlier link"),
            }
        )

    def menu(self, user: Any) -> list[MenuEntry]:
        from ctnet.consultations.policy import policy

        if not policy.can_use(user):
            return []
        return [
            MenuEntry(
                _("Consultations"),
                "consultations",
                _(
                    "Civil society's views on policies and programmes, and what became of "
                    "each of them."
                ),
            )
        ]

    def waiting(self, user: Any) -> list[Waiting]:
        from ctnet.consultations.waiting import consultations_waiting_for

        return consultations_waiting_for(user)

    def answer_kinds(self) -> list[AnswerKind]:
        # Monitoring projects answer themes and their responses (issue 16); the links are
        # consultations' own.
        from ctnet.consultations.answers import answer_kind

        return [answer_kind()]

    def about(self, user: Any, kind: str, target_id: int) -> list[Mention]:
        # The consultations on a plan, a programme or a guideline, those this person sees.
        from django.urls import reverse

        from ctnet.consultations.access import visible_consultations
        from ctnet.consultations.models import Status

        on = visible_consultations(user).filter(subject_kind=kind, subject_ref=target_id)
        return [
            Mention(
                group=_("Consultations of civil society"),
                label=c.title,
                url=reverse("consultation", args=[c.pk]),
                context=Status(c.status).label,
            )
            for c in on.order_by("-created_at", "-id")
        ]

    def load_demo(self) -> None:
        from ctnet.consultations.demo import load_answers_demo, load_consultations_demo

        load_consultations_demo()
        load_answers_demo()

    def demo_notes(self) -> list[str]:
        from ctnet.consultations.demo import demo_notes

        return demo_notes()
