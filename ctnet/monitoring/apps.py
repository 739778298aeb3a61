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

# What an update's history (``UpdateEvent.action``) says happened, by its code ("Draft
# created": the bare "Created" of the project's catalogue is a plural, and its translation wins).
UPDATE_ACTIONS = {
    "create": _("Draft created"),
    "edit": _("Changed"),
    "submit": _("Submitted"),
    "return": _("Returned"),
    "approve": _("Approved"),
}


class MonitoringConfig(CapabilityConfig):
    name = "ctnet.monitoring"
    label = "monitoring"
    default = True
    verbose_name = "Monitoring and evaluation"

    def ready(self) -> None:
        # Every code this capability shows, by its label (core/labels.py, issue 14): IATI's
        # codelists, the update's statuses and the actions of its history.
        from ctnet.core import labels
        from ctnet.monitoring import models

        labels.register_enums(
            "monitoring",
            models.ProjectStatus,
            models.PartnerRole,
            models.ResultType,
            models.Measure,
            models.UpdateStatus,
        )
        labels.register("monitoring.UpdateAction", UPDATE_ACTIONS)
        # The keys of monitoring's audit details that no other app names ("due", "mails",
        # "fields" and "sha256" are named by core and the other capabilities already).
        labels.register_detail_keys(
            {
                "project": _("Project"),
                "projects": _("Projects"),
                "result": _("Result"),
                "indicator": _("Indicator"),
                "period": _("Period"),
                "measure": _("Measure"),
                "start": _("Start"),
                "end": _("End"),
                "partners": _("Partners"),
                "donors": _("Donors"),
                "implementers": _("Implementing partners"),
                "budgets": _("Budgets"),
                "budget": _("Budget"),
                "disbursement": _("Disbursement"),
                "document": _("Document"),
                "evidence": _("Evidence"),
                "size": _("Size (bytes)"),
                "kind": _("Kind"),
            }
        )

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

    def waiting(self, user: Any) -> list[Waiting]:
        from ctnet.monitoring.waiting import monitoring_waiting

        return monitoring_waiting(user)

    def subject_kinds(self) -> list[SubjectOffer]:
        # A consultation can be on a programme (issue 15): the projects its reader may see.
        from django.urls import reverse

        from ctnet.monitoring.access import visible_projects

        def target(project: Any) -> AnswerTarget:
            url = reverse("monitoring-project", args=[project.pk])
            return AnswerTarget(id=project.pk, label=project.title, url=url)

        return [
            subject_kind_of("programme", _("Programmes and projects"), visible_projects, target)
        ]

    def load_demo(self) -> None:
        from ctnet.monitoring.demo import load_monitoring_demo

        load_monitoring_demo()
