"""What a project answers (issue 16): the list by kind, the form that links one more (a picker
of what the person may link), and the remove buttons, for the heads of the project's entity.
The kinds come from core's registry; their links are the offering capability's own."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ctnet.core.capabilities import AlreadyLinked
from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest

from .. import access, answers
from ..models import Project
from ..policy import policy
from .common import monitoring_required


def _link_posted(request: AuthenticatedHttpRequest, project: Project) -> None:
    kind = answers.kind_of(request.POST.get("kind", ""))
    raw = request.POST.get("target_id", "")
    if not raw.isdigit():
        raise ValidationError(_("Choose what the project answers."))
    kind.link(acting_user=request.user, project_id=project.pk, target_id=int(raw))


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def project_answers(request: AuthenticatedHttpRequest, project_id: int) -> HttpResponse:
    project = access.access_project(request.user, project_id)
    can_manage = policy.can_manage_project(request.user, project)
    error, status = "", 200
    if request.method == "POST":
        answers.check_may_change(request.user, project)
        try:
            _link_posted(request, project)
        except AlreadyLinked as exc:
            error, status = " ".join(exc.messages), 409
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 400
        else:
            messages.success(request, _("The project is linked to what it answers."))
            return redirect("monitoring-project-answers", project_id=project.pk)
    context = {
        "project": project,
        "kinds": answers.answers_by_kind(request.user, project, with_candidates=can_manage),
        "can_manage": can_manage,
        "error": error,
    }
    return render(request, "monitoring/answers.html", context, status=status)


@member_required
@monitoring_required
@require_POST
def answer_remove(
    request: AuthenticatedHttpRequest, project_id: int, kind: str, target_id: int
) -> HttpResponse:
    project = access.access_project(request.user, project_id)
    answers.check_may_change(request.user, project)
    answers.kind_in_path(kind).unlink(
        acting_user=request.user, project_id=project.pk, target_id=target_id
    )
    messages.success(request, _("The link is removed."))
    return redirect("monitoring-project-answers", project_id=project.pk)
