"""Consultations API: list, open (configure), read, move the window, take part, one's own input.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

from django.db.models import QuerySet
from django.http import Http404
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from ctnet.consultations import access, opinions, presenters
from ctnet.consultations.api.common import require_consultations
from ctnet.consultations.api.schemas import (
    ConsultationIn,
    ConsultationOut,
    ConsultationRowOut,
    MoveIn,
    OpinionMapOut,
    SentOut,
    SubmissionIn,
    SubmissionOut,
)
from ctnet.consultations.models import Consultation
from ctnet.consultations.services import configuring, submitting
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.pagination import Pagination

router = Router(tags=["consultations"])


@router.get("/", response=list[ConsultationRowOut], summary="Consultations you may see")
@paginate(Pagination)
def list_consultations(request: AuthenticatedHttpRequest) -> QuerySet[Consultation]:
    require_consultations(request.user)
    return access.visible_consultations(request.user)


@router.post("/", response={201: ConsultationOut}, summary="Open a consultation (as a draft)")
def create_consultation(request: AuthenticatedHttpRequest, payload: ConsultationIn) -> Status:
    require_consultations(request.user)
    data = payload.dict(exclude={"questions"})
    c = configuring.create_consultation(
        acting_user=request.user, data=data, questions=[q.dict() for q in payload.questions]
    )
    return Status(201, presenters.consultation_detail(request.user, c))


@router.get("/{consultation_id}", response=ConsultationOut)
def get_consultation(request: AuthenticatedHttpRequest, consultation_id: int) -> dict:
    c = access.access_consultation(request.user, consultation_id)
    return presenters.consultation_detail(request.user, c)


@router.post("/{consultation_id}/move", response=ConsultationOut, summary="Next step of the window")
def move_consultation(
    request: AuthenticatedHttpRequest, consultation_id: int, payload: MoveIn
) -> dict:
    c = access.access_managed(request.user, consultation_id)
    c = configuring.move_on(acting_user=request.user, consultation=c, to=payload.to)
    return presenters.consultation_detail(request.user, c)


@router.post(
    "/{consultation_id}/submissions",
    response={201: SentOut},
    summary="Take part (once), in the consultation's mode",
)
def submit(
    request: AuthenticatedHttpRequest, consultation_id: int, payload: SubmissionIn
) -> Status:
    c = access.access_consultation(request.user, consultation_id)
    sent = submitting.submit(
        acting_user=request.user,
        consultation=c,
        answers=payload.answers,
        language=payload.language,
    )
    view = presenters.submission_view(request.user, sent.submission)
    return Status(201, {"submission": view, "receipt": sent.receipt})


@router.get(
    "/{consultation_id}/submissions",
    response=list[SubmissionOut],
    summary="Every input of a consultation you manage",
)
@paginate(Pagination)
def list_submissions(request: AuthenticatedHttpRequest, consultation_id: int) -> list[dict]:
    c = access.access_managed(request.user, consultation_id)
    qs = c.submissions.select_related("consultation", "theme", "organisation").prefetch_related(
        "answers"
    )
    return [presenters.submission_view(request.user, s) for s in qs]


@router.get(
    "/{consultation_id}/mine",
    response=SubmissionOut,
    summary="Your own input and what became of it (identified or pseudonymous)",
)
def own_submission(request: AuthenticatedHttpRequest, consultation_id: int) -> dict:
    c = access.access_consultation(request.user, consultation_id)
    mine = access.own_submission(request.user, c)
    if mine is None:
        # Anonymous inputs are linked to nobody: their sender comes back with the receipt.
        raise Http404
    return presenters.submission_view(request.user, mine)


@router.get(
    "/{consultation_id}/opinion-map",
    response=OpinionMapOut,
    summary="Opinion groups of the agree/disagree statements (Pol.is method)",
)
def opinion_map(request: AuthenticatedHttpRequest, consultation_id: int) -> dict:
    c = access.access_consultation(request.user, consultation_id)
    found = opinions.summary(c)
    if found is None:
        raise HttpError(409, presenters.hidden_message())
    return found
