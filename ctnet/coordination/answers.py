"""Commitments that monitoring projects answer (issue 16): the answer kind coordination offers
through core's registry (``apps.py``), and the projects shown under each commitment.

Every read asks coordination's rule for the commitment (its plan is readable) and monitoring's
rule for the project (``visible_projects``): a plan page lists only the projects its reader
may see, and a project's page only the commitments its reader may read.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ctnet.coordination.access import access_commitment, visible_plans
from ctnet.coordination.models import Commitment, CommitmentProject
from ctnet.coordination.services.answers import link_project, unlink_project
from ctnet.core.capabilities import AnswerKind, AnswerTarget
from ctnet.monitoring import access as monitoring_access
from ctnet.monitoring.access import visible_projects

KIND = "commitment"
# The picker lists at most this many commitments (the newest plans' first): a page stays light.
MAX_CANDIDATES = 500


def _target(c: Commitment) -> AnswerTarget:
    url = reverse("coordination-plan", args=[c.plan_id]) + f"#commitment-{c.pk}"
    return AnswerTarget(id=c.pk, label=c.title, context=c.plan.title, url=url)


def candidates(user: Any, project_id: int) -> list[AnswerTarget]:
    linked = CommitmentProject.objects.filter(project_id=project_id).values("commitment_id")
    qs = (
        Commitment.objects.filter(plan__in=visible_plans(user))
        .exclude(pk__in=linked)
        .select_related("plan")
        .order_by("-plan__created_at", "plan_id", "id")
    )
    return [_target(c) for c in qs[:MAX_CANDIDATES]]


def target(user: Any, target_id: int) -> AnswerTarget:
    return _target(access_commitment(user, target_id))


def linked(user: Any, project_id: int) -> list[AnswerTarget]:
    qs = (
        Commitment.objects.filter(
            plan__in=visible_plans(user),
            project_links__project_id=project_id,
            project_links__project__in=visible_projects(user),
        )
        .select_related("plan")
        .order_by("plan__title", "plan_id", "id")
    )
    return [_target(c) for c in qs]


def _link(*, acting_user: Any, project_id: int, target_id: int) -> None:
    link_project(acting_user=acting_user, project_id=project_id, commitment_id=target_id)


def _unlink(*, acting_user: Any, project_id: int, target_id: int) -> None:
    unlink_project(acting_user=acting_user, project_id=project_id, commitment_id=target_id)


def answer_kind() -> AnswerKind:
    return AnswerKind(
        kind=KIND,
        label=_("Action-plan commitments"),
        candidates=candidates,
        target=target,
        link=_link,
        unlink=_unlink,
        linked=linked,
    )


def attach_projects(user: Any, commitments: list[dict[str, Any]]) -> None:
    """Each commitment row's ``projects``: those that answer it and this person may see
    (monitoring's rule), in one query, for the plan's page and its printable report."""
    links = CommitmentProject.objects.filter(commitment_id__in=[c["id"] for c in commitments])
    monitoring_access.attach_answering(user, commitments, links, "commitment_id")
