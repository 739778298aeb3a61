"""Writes of the links between themes (and the responses to them) and the monitoring projects
that answer them (issue 16): link and unlink, each with its audit row.

Who may: the heads of the project's entity (monitoring's rule, asked through its access
helper) who also read the theme (consultations' rule). A project they may not see and a theme
they may not read are both 404; a project they see but may not change is 403; a second link of
the same pair is ``AlreadyLinked`` (409).
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from ctnet.consultations.access import access_readable_theme
from ctnet.consultations.models import ThemeProject
from ctnet.core import audit
from ctnet.core.capabilities import AlreadyLinked, create_link
from ctnet.core.models import User
from ctnet.monitoring.access import access_project_to_change


def link_project(*, acting_user: User, project_id: int, theme_id: int) -> ThemeProject:
    with transaction.atomic():
        project = access_project_to_change(acting_user, project_id)
        theme = access_readable_theme(acting_user, theme_id)
        link = create_link(
            ThemeProject,
            AlreadyLinked(_("This project already answers this theme.")),
            theme=theme,
            project=project,
            created_by=acting_user,
        )
        audit.record(
            "consultations.theme_project_linked",
            actor=acting_user,
            obj=theme,
            detail={"project": project.pk, "consultation": theme.consultation_id},
        )
    return link


def unlink_project(*, acting_user: User, project_id: int, theme_id: int) -> None:
    with transaction.atomic():
        project = access_project_to_change(acting_user, project_id)
        theme = access_readable_theme(acting_user, theme_id)
        deleted, _rows = ThemeProject.objects.filter(theme=theme, project=project).delete()
        if not deleted:
            raise Http404
        audit.record(
            "consultations.theme_project_unlinked",
            actor=acting_user,
            obj=theme,
            detail={"project": project.pk, "consultation": theme.consultation_id},
        )
