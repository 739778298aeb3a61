"""Updates of a period's actuals, their four-eyes decision, evidence, and period locks."""

from typing import Any

from django.http import FileResponse, Http404
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from ctnet.core.http import AuthenticatedHttpRequest

from .. import access, storage
from ..presenters import event_dict, evidence_dict, period_dict, update_dict
from ..services import framework, reporting
from .schemas import CommentIn, LinkIn, UpdateIn

router = Router()


def _full(update: Any) -> dict[str, Any]:
    return {
        **update_dict(update),
        "history": [event_dict(e) for e in update.events.select_related("actor")],
        "evidence": [evidence_dict(e) for e in update.evidence.all()],
    }


@router.post(
    "/periods/{period_id}/updates", response={201: dict}, summary="Report on a period (a draft)"
)
def create_update(request: AuthenticatedHttpRequest, period_id: int, payload: UpdateIn) -> Status:
    period = access.access_period(request.user, period_id)
    update = reporting.create_update(acting_user=request.user, period=period, **payload.dict())
    return Status(201, update_dict(update))


@router.post("/periods/{period_id}/lock", summary="Lock an approved period (heads of the owner)")
def lock_period(request: AuthenticatedHttpRequest, period_id: int) -> dict[str, Any]:
    period = access.access_period(request.user, period_id)
    period = framework.lock_period(acting_user=request.user, period=period)
    return period_dict(period, period.indicator)


@router.get("/updates/{update_id}", summary="An update with its history and evidence")
def get_update(request: AuthenticatedHttpRequest, update_id: int) -> dict[str, Any]:
    return _full(access.access_update(request.user, update_id))


@router.put("/updates/{update_id}", summary="Change a draft or returned update")
def edit_update(
    request: AuthenticatedHttpRequest, update_id: int, payload: UpdateIn
) -> dict[str, Any]:
    update = access.access_update(request.user, update_id)
    update = reporting.edit_update(acting_user=request.user, update=update, **payload.dict())
    return _full(update)


def _step(
    request: AuthenticatedHttpRequest, update_id: int, step: Any, **kw: Any
) -> dict[str, Any]:
    update = access.access_update(request.user, update_id)
    update = step(acting_user=request.user, update=update, **kw)
    return _full(update)


@router.post("/updates/{update_id}/submit", summary="Submit for approval")
def submit_update(request: AuthenticatedHttpRequest, update_id: int) -> dict[str, Any]:
    return _step(request, update_id, reporting.submit_update)


@router.post("/updates/{update_id}/approve", summary="Approve (four eyes: not the submitter)")
def approve_update(
    request: AuthenticatedHttpRequest, update_id: int, payload: CommentIn
) -> dict[str, Any]:
    return _step(request, update_id, reporting.approve_update, comment=payload.comment)


@router.post("/updates/{update_id}/return", summary="Return for changes, with a comment")
def return_update(
    request: AuthenticatedHttpRequest, update_id: int, payload: CommentIn
) -> dict[str, Any]:
    return _step(request, update_id, reporting.return_update, comment=payload.comment)


@router.post("/updates/{update_id}/links", response={201: dict}, summary="Add a link as evidence")
def add_link(request: AuthenticatedHttpRequest, update_id: int, payload: LinkIn) -> Status:
    update = access.access_update(request.user, update_id)
    evidence = reporting.add_evidence(
        acting_user=request.user, update=update, title=payload.title, url=payload.url
    )
    return Status(201, evidence_dict(evidence))


@router.post("/updates/{update_id}/files", response={201: dict}, summary="Add a file as evidence")
def add_file(
    request: AuthenticatedHttpRequest,
    update_id: int,
    file: File[UploadedFile],
    title: Form[str] = "",
) -> Status:
    update = access.access_update(request.user, update_id)
    evidence = reporting.add_evidence(
        acting_user=request.user,
        update=update,
        title=title,
        new_file=storage.NewFile.from_upload(file),
    )
    return Status(201, evidence_dict(evidence))


@router.get("/evidence/{evidence_id}", summary="Download an evidence file")
def get_evidence(request: AuthenticatedHttpRequest, evidence_id: int) -> FileResponse:
    evidence = access.access_evidence(request.user, evidence_id)
    if evidence.is_link:
        raise Http404
    return storage.serve(evidence.sha256, evidence.content_type, evidence.file_name)
