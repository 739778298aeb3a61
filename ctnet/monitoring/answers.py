"""What a project answers (issue 16): action-plan commitments, consultation themes and their
responses, or any kind another capability offers through core's registry
(``core.capabilities.answer_kinds``). Monitoring names none of them and imports none of their
models; the links and their audit rows are the offering capability's own.

Pages and API share these reads; a link or unlink is the kind's own service, called once the
project's page has checked that the person may change the project.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from ctnet.core.capabilities import AnswerKind, AnswerTarget, answer_kinds

from .models import Project
from .policy import policy


def kind_of(kind: str) -> AnswerKind:
    """The answer kind of this slug; 400 with the known ones otherwise."""
    found = answer_kinds().get(kind)
    if found is None:
        raise ValidationError(
            _("Unknown kind of answer: %(kind)s. Known: %(known)s.")
            % {"kind": kind[:40], "known": ", ".join(answer_kinds())}
        )
    return found


def kind_in_path(kind: str) -> AnswerKind:
    """The answer kind a URL names; a path that names none is a 404, not a bad request."""
    found = answer_kinds().get(kind)
    if found is None:
        raise Http404
    return found


def answer_row(kind: AnswerKind, target: AnswerTarget) -> dict[str, Any]:
    return {
        "kind": kind.kind,
        "kind_label": str(kind.label),
        "target_id": target.id,
        "label": target.label,
        "context": target.context,
        "url": target.url,
    }


def project_answers(user: Any, project: Project) -> list[dict[str, Any]]:
    """Every target the project answers that this person may see, kind by kind."""
    return [
        answer_row(kind, target)
        for kind in answer_kinds().values()
        for target in kind.linked(user, project.pk)
    ]


def answers_by_kind(user: Any, project: Project, *, with_candidates: bool) -> list[dict[str, Any]]:
    """The project's answers grouped by kind, with what may still be linked (for its heads)."""
    return [
        {
            "kind": kind.kind,
            "label": kind.label,
            "linked": kind.linked(user, project.pk),
            "candidates": kind.candidates(user, project.pk) if with_candidates else [],
        }
        for kind in answer_kinds().values()
    ]


def check_may_change(user: Any, project: Project) -> None:
    if not policy.can_manage_project(user, project):
        raise PermissionDenied(
            _("Only the heads of the project's entity may change what it answers.")
        )
