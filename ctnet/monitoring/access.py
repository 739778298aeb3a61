"""Fetch helpers of monitoring: the object or Http404, for missing and forbidden alike.

Every object below a project (result, indicator, period, update, evidence) is reached through
its project's marking: one query for the object with its project, one for the visibility rule.
Opening AMBER or RED material is written to the audit log (core's ``record_read``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from ctnet.core import services as core_services
from ctnet.core.markings import AUDITED_READ_TLP

from .models import (
    Evidence,
    Indicator,
    Partner,
    PartnerRole,
    Period,
    PeriodUpdate,
    Project,
    ProjectDocument,
    Result,
)
from .policy import policy

M = TypeVar("M", bound=Model)


def visible_projects(user: Any) -> QuerySet[Project]:
    if not policy.can_use_monitoring(user):
        return Project.objects.none()
    return policy.filter_visible(Project.objects.all(), user)


def _audit_read(user: Any, project: Project) -> None:
    if project.tlp in AUDITED_READ_TLP:
        core_services.record_read(acting_user=user, obj=project, why=f"TLP:{project.tlp}")


def access_project(user: Any, project_id: int) -> Project:
    project = visible_projects(user).select_related("originator").filter(pk=project_id).first()
    if project is None:
        raise Http404
    _audit_read(user, project)
    return project


def projects_answering(
    user: Any, links: QuerySet[Any], key: str
) -> dict[int, list[dict[str, Any]]]:
    """The projects that answer each target, those this person may see only, in one query.

    ``links`` are another capability's link rows (a ``project`` foreign key and ``key``, the
    target's id field) already narrowed to the targets on its page; the result maps each target
    id to its projects, in title order, as the page shows them.
    """
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        links.filter(project__in=visible_projects(user))
        .order_by("project__title", "project_id")
        .values_list(key, "project_id", "project__title")
    )
    for target_id, project_id, title in rows:
        url = reverse("monitoring-project", args=[project_id])
        found[target_id].append({"id": project_id, "title": title, "url": url})
    return dict(found)


def attach_answering(user: Any, rows: list[dict[str, Any]], links: QuerySet[Any], key: str) -> None:
    """Set each target row's ``projects`` (its ``id`` looked up in ``projects_answering``): the
    same list on a target's page and on its printable report."""
    answering = projects_answering(user, links, key)
    for row in rows:
        row["projects"] = answering.get(row["id"], [])


def access_project_to_change(user: Any, project_id: int) -> Project:
    """A project the person may change (heads of its entity), for the capabilities that link
    their things to projects (issue 16): 404 for a project they may not see, 403 for one they
    see but may not change. Not audited as a read: the link's own audit row records the act."""
    project = visible_projects(user).filter(pk=project_id).first()
    if project is None:
        raise Http404
    if not policy.can_manage_project(user, project):
        raise PermissionDenied(
            _("Only the heads of the project's entity may change what it answers.")
        )
    return project


def _below_project(user: Any, qs: QuerySet[M], pk: int, path: str) -> M:
    """An object under a project, by the project's visibility (``path`` leads to the project)."""
    obj = qs.select_related(path).filter(pk=pk).first()
    if obj is None:
        raise Http404
    project = obj
    for step in path.split("__"):
        project = getattr(project, step)
    if not visible_projects(user).filter(pk=project.pk).exists():
        raise Http404
    _audit_read(user, project)  # type: ignore[arg-type]  # the path ends at a Project
    return obj


def access_result(user: Any, result_id: int) -> Result:
    return _below_project(user, Result.objects.all(), result_id, "project")


def access_indicator(user: Any, indicator_id: int) -> Indicator:
    return _below_project(user, Indicator.objects.all(), indicator_id, "result__project")


def access_period(user: Any, period_id: int) -> Period:
    return _below_project(user, Period.objects.all(), period_id, "indicator__result__project")


def access_update(user: Any, update_id: int) -> PeriodUpdate:
    return _below_project(
        user, PeriodUpdate.objects.all(), update_id, "period__indicator__result__project"
    )


def access_evidence(user: Any, evidence_id: int) -> Evidence:
    return _below_project(
        user, Evidence.objects.all(), evidence_id, "update__period__indicator__result__project"
    )


def access_document(user: Any, document_id: int) -> ProjectDocument:
    return _below_project(user, ProjectDocument.objects.all(), document_id, "project")


def project_of_update(update: PeriodUpdate) -> Project:
    return update.period.indicator.result.project


def implementing_org_ids(project: Project) -> frozenset[int]:
    """The project's implementing partners that are network organisations (who may report)."""
    ids = Partner.objects.filter(
        project=project, role=PartnerRole.IMPLEMENTING, organisation__isnull=False
    ).values_list("organisation_id", flat=True)
    return frozenset(i for i in ids if i is not None)


def can_report(user: Any, project: Project) -> bool:
    return policy.can_report(user, project, implementing_org_ids(project))
