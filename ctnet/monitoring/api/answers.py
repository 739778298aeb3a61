"""What a project answers: action-plan commitments, consultation themes (issue 16)."""

from typing import Annotated, Any

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from ctnet.core.capabilities import AlreadyLinked
from ctnet.core.http import AuthenticatedHttpRequest

from .. import access, answers

router = Router()


class AnswerIn(Schema):
    kind: Annotated[str, Field(max_length=40)]
    target_id: int


@router.get(
    "/projects/{project_id}/answers",
    summary="The commitments, themes ... a project answers (those you may see), by kind",
)
def list_answers(request: AuthenticatedHttpRequest, project_id: int) -> dict[str, Any]:
    project = access.access_project(request.user, project_id)
    items = answers.project_answers(request.user, project)
    return {"items": items, "count": len(items)}


@router.post(
    "/projects/{project_id}/answers",
    response={201: dict},
    summary="Link the project to what it answers (heads of its entity; 409 when linked)",
)
def add_answer(request: AuthenticatedHttpRequest, project_id: int, payload: AnswerIn) -> Status:
    project = access.access_project(request.user, project_id)
    answers.check_may_change(request.user, project)
    kind = answers.kind_of(payload.kind)
    try:
        kind.link(acting_user=request.user, project_id=project.pk, target_id=payload.target_id)
    except AlreadyLinked as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    return Status(201, answers.answer_row(kind, kind.target(request.user, payload.target_id)))


@router.delete(
    "/projects/{project_id}/answers/{kind}/{target_id}",
    response={204: None},
    summary="Unlink the project from something it answers (heads of its entity)",
)
def remove_answer(
    request: AuthenticatedHttpRequest, project_id: int, kind: str, target_id: int
) -> Status:
    project = access.access_project(request.user, project_id)
    answers.check_may_change(request.user, project)
    answers.kind_in_path(kind).unlink(
        acting_user=request.user, project_id=project.pk, target_id=target_id
    )
    return Status(204, None)
