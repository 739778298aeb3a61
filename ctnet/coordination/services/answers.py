"""Writes of the links between commitments and the monitoring projects that answer them
(issue 16): link and unlink, each with its audit row.

Who may: the heads of the project's entity (monitoring's rule, asked through its access
helper) who may also read the commitment's plan (coordination's rule). A project they may not
see and a commitment they may not read are both 404; a project they see but may not change is
403; a second link of the same pair is ``AlreadyLinked`` (409).
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from ctnet.coordination.access import access_commitment
from ctnet.coordination.models import CommitmentProject
from ctnet.core import audit
from ctnet.core.capabilities import AlreadyLinked, create_link
from ctnet.core.models import User
from ctnet.monitoring.access import access_project_to_change


def link_project(*, acting_user: User, project_id: int, commitment_id: int) -> CommitmentProject:
    with transaction.atomic():
        project = access_project_to_change(acting_user, project_id)
        commitment = access_commitment(acting_user, commitment_id)
        link = create_link(
            CommitmentProject,
            AlreadyLinked(_("This project already answers this commitment.")),
            commitment=commitment,
            project=project,
            created_by=acting_user,
        )
        audit.record(
            "coordination.commitment_project_linked",
            actor=acting_user,
            obj=commitment,
            detail={"project": project.pk},
        )
    return link


def unlink_project(*, acting_user: User, project_id: int, commitment_id: int) -> None:
    with transaction.atomic():
        project = access_project_to_change(acting_user, project_id)
        commitment = access_commitment(acting_user, commitment_id)
        deleted, _rows = CommitmentProject.objects.filter(
            commitment=commitment, project=project
        ).delete()
        if not deleted:
            raise Http404
        audit.record(
            "coordination.commitment_project_unlinked",
            actor=acting_user,
            obj=commitment,
            detail={"project": project.pk},
        )
