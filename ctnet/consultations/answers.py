"""Themes (and the responses to them) that monitoring projects answer (issue 16): the answer
kind consultations offers through core's registry (``apps.py``), and the projects shown under
each theme.

Every read asks consultations' rule for the theme (``access.readable_themes``) and monitoring's
rule for the project (``visible_projects``): a consultation's page lists only the projects its
reader may see, and a project's page only the themes its reader may read.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ctnet.consultations.access import access_readable_theme, readable_themes
from ctnet.consultations.models import Theme, ThemeProject
from ctnet.consultations.services.answers import link_project, unlink_project
from ctnet.core.capabilities import AnswerKind, AnswerTarget
from ctnet.core.labels import label
from ctnet.monitoring import access as monitoring_access
from ctnet.monitoring.access import visible_projects

KIND = "theme"
# The picker lists at most this many themes (the newest consultations' first).
MAX_CANDIDATES = 500


def _target(t: Theme) -> AnswerTarget:
    context = t.consultation.title
    if t.response:
        context = f"{context} · {label('consultations.ResponseKind', t.response)}"
    url = reverse("consultation", args=[t.consultation_id]) + f"#theme-{t.pk}"
    return AnswerTarget(id=t.pk, label=t.title, context=context, url=url)


def candidates(user: Any, project_id: int) -> list[AnswerTarget]:
    linked = ThemeProject.objects.filter(project_id=project_id).values("theme_id")
    qs = (
        readable_themes(user)
        .exclude(pk__in=linked)
        .select_related("consultation")
        .order_by("-consultation__created_at", "consultation_id", "id")
    )
    return [_target(t) for t in qs[:MAX_CANDIDATES]]


def target(user: Any, target_id: int) -> AnswerTarget:
    return _target(access_readable_theme(user, target_id))


def linked(user: Any, project_id: int) -> list[AnswerTarget]:
    qs = (
        readable_themes(user)
        .filter(
            project_links__project_id=project_id,
            project_links__project__in=visible_projects(user),
        )
        .select_related("consultation")
        .order_by("consultation__title", "consultation_id", "id")
    )
    return [_target(t) for t in qs]


def _link(*, acting_user: Any, project_id: int, target_id: int) -> None:
    link_project(acting_user=acting_user, project_id=project_id, theme_id=target_id)


def _unlink(*, acting_user: Any, project_id: int, target_id: int) -> None:
    unlink_project(acting_user=acting_user, project_id=project_id, theme_id=target_id)


def answer_kind() -> AnswerKind:
    return AnswerKind(
        kind=KIND,
        label=_("Consultation themes and responses"),
        candidates=candidates,
        target=target,
        link=_link,
        unlink=_unlink,
        linked=linked,
    )


def attach_projects(user: Any, themes: list[dict[str, Any]]) -> None:
    """Each theme row's ``projects``: those that answer it and this person may see (monitoring's
    rule), in one query, for the consultation's page and its printable synthesis."""
    links = ThemeProject.objects.filter(theme_id__in=[t["id"] for t in themes])
    monitoring_access.attach_answering(user, themes, links, "theme_id")
