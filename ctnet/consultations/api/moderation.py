"""Consultations API: the inputs the audience reads after the window, reports, the moderator's
decision, and an author's appeal.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

from django.http import Http404
from ninja import Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from ctnet.consultations import access, presenters
from ctnet.consultations.api.schemas import (
    AppealIn,
    InputOut,
    ModeratedOut,
    ModerateIn,
    ReportIn,
)
from ctnet.consultations.models import Submission
from ctnet.consultations.services import moderating
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.pagination import Pagination

router = Router(tags=["consultations"])


def _moderated(s: Submission) -> dict:
    return {
        "id": str(s.pk),
        "hidden": s.hidden,
        "moderation": s.moderation,
        "appealed": bool(s.appeal),
    }


@router.get(
    "/{consultation_id}/inputs",
    response=list[InputOut],
    summary="The inputs, once the window has closed and over k participants",
)
@paginate(Pagination)
def list_inputs(request: AuthenticatedHttpRequest, consultation_id: int) -> list[dict]:
    c = access.access_consultation(request.user, consultation_id)
    rows = presenters.public_inputs(request.user, c)
    if rows is None:
        raise HttpError(409, presenters.hidden_message())
    return rows


@router.post("/{consultation_id}/inputs/{submission_id}/report", response=ModeratedOut)
def report_input(
    request: AuthenticatedHttpRequest, consultation_id: int, submission_id: str, payload: ReportIn
) -> dict:
    c = access.access_consultation(request.user, consultation_id)
    s = access.access_submission(request.user, c, submission_id)
    s = moderating.report_input(acting_user=request.user, submission=s, reason=payload.reason)
    return _moderated(s)


@router.post("/{consultation_id}/inputs/{submission_id}/moderate", response=ModeratedOut)
def moderate_input(
    request: AuthenticatedHttpRequest,
    consultation_id: int,
    submission_id: str,
    payload: ModerateIn,
) -> dict:
    c = access.access_managed(request.user, consultation_id)
    s = access.access_submission(request.user, c, submission_id)
    s = moderating.moderate(acting_user=request.user, submission=s, decision=payload.decision)
    return _moderated(s)


@router.post("/{consultation_id}/mine/appeal", response=ModeratedOut)
def appeal(request: AuthenticatedHttpRequest, consultation_id: int, payload: AppealIn) -> dict:
    c = access.access_consultation(request.user, consultation_id)
    mine = access.own_submission(request.user, c)
    if mine is None:
        raise Http404
    mine = moderating.appeal(acting_user=request.user, submission=mine, text=payload.text)
    return _moderated(mine)
