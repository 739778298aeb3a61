"""Consultations API for the unit after the window: inputs, themes (proposed by the platform,
decided by a person), the response to each theme, and results.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from ctnet.consultations import access, presenters, themes
from ctnet.consultations.api.schemas import (
    AssignIn,
    MilestoneIn,
    MilestoneOut,
    ProposalOut,
    ResponseIn,
    ResultIn,
    ResultOut,
    ThemeIn,
    ThemeOut,
    UngroupedOut,
)
from ctnet.consultations.models import Result, Theme
from ctnet.consultations.policy import policy
from ctnet.consultations.presenters import hidden_message
from ctnet.consultations.services import answering
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.pagination import Pagination

router = Router(tags=["consultations"])


@router.get(
    "/{consultation_id}/theme-proposals",
    response=list[ProposalOut],
    summary="Groups of inputs the platform proposes, across languages (a person decides)",
)
@paginate(Pagination)
def theme_proposals(request: AuthenticatedHttpRequest, consultation_id: int) -> list[dict]:
    c = access.access_managed(request.user, consultation_id)
    return themes.propose(c)


@router.post("/{consultation_id}/themes", response={201: ThemeOut})
def create_theme(
    request: AuthenticatedHttpRequest, consultation_id: int, payload: ThemeIn
) -> Status:
    c = access.access_managed(request.user, consultation_id)
    theme = answering.create_theme(
        acting_user=request.user,
        consultation=c,
        title=payload.title,
        submission_ids=payload.submission_ids,
    )
    return Status(201, presenters.theme_view(theme))


def _managed_theme(request: AuthenticatedHttpRequest, theme_id: int) -> Theme:
    theme = access.access_theme(request.user, theme_id)
    access.access_managed(request.user, theme.consultation_id)
    return theme


@router.post("/themes/{theme_id}/inputs", response=ThemeOut, summary="Put inputs in a theme")
def assign_inputs(request: AuthenticatedHttpRequest, theme_id: int, payload: AssignIn) -> dict:
    theme = _managed_theme(request, theme_id)
    answering.assign_inputs(
        acting_user=request.user, theme=theme, submission_ids=payload.submission_ids
    )
    return presenters.theme_view(theme)


@router.post(
    "/{consultation_id}/inputs/ungroup",
    response=UngroupedOut,
    summary="Take inputs out of every theme (back to those in none)",
)
def ungroup_inputs(
    request: AuthenticatedHttpRequest, consultation_id: int, payload: AssignIn
) -> dict:
    c = access.access_managed(request.user, consultation_id)
    moved = answering.ungroup_inputs(
        acting_user=request.user, consultation=c, submission_ids=payload.submission_ids
    )
    return {"inputs": moved}


@router.post("/themes/{theme_id}/response", response=ThemeOut, summary="Answer a theme")
def respond(request: AuthenticatedHttpRequest, theme_id: int, payload: ResponseIn) -> dict:
    theme = _managed_theme(request, theme_id)
    theme = answering.respond_to_theme(acting_user=request.user, theme=theme, **payload.dict())
    return presenters.theme_view(theme)


@router.post("/{consultation_id}/results", response={201: ResultOut})
def add_result(
    request: AuthenticatedHttpRequest, consultation_id: int, payload: ResultIn
) -> Status:
    c = access.access_managed(request.user, consultation_id)
    parent = None
    if payload.parent_id is not None:
        parent = Result.objects.filter(pk=payload.parent_id, consultation=c).first()
        if parent is None:
            raise DjangoValidationError(_("The parent result belongs to another consultation."))
    result = answering.add_result(
        acting_user=request.user,
        consultation=c,
        parent=parent,
        **payload.dict(exclude={"parent_id"}),
    )
    return Status(201, result)


@router.post(
    "/{consultation_id}/results/{result_id}/milestones",
    response={201: MilestoneOut},
    summary="Add a milestone to a result",
)
def add_milestone(
    request: AuthenticatedHttpRequest, consultation_id: int, result_id: int, payload: MilestoneIn
) -> Status:
    c = access.access_managed(request.user, consultation_id)
    # Only this consultation's results: another's is bad input, as a parent of another is.
    result = Result.objects.filter(pk=result_id, consultation=c).first()
    if result is None:
        raise DjangoValidationError(_("The result belongs to another consultation."))
    milestone = answering.add_milestone(
        acting_user=request.user, consultation=c, result=result, **payload.dict()
    )
    return Status(201, milestone)


@router.get("/{consultation_id}/export.csv", response={200: None})
def export_csv(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    c = access.access_managed(request.user, consultation_id)
    if not policy.sees_breakdowns(c, presenters.participants(c), settings.CONSULTATIONS_K):
        raise HttpError(409, hidden_message())
    return themes.csv_response(c)
