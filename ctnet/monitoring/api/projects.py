"""Projects and their results framework."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ctnet.core.access import organisations_by_code
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.pagination import Pagination

from .. import access, reports, storage
from ..policy import policy
from ..presenters import indicator_dict, period_dict, project_detail_dict, project_dict, result_dict
from ..services import framework, projects
from .schemas import (
    IndicatorIn,
    IndicatorPatch,
    MarkingIn,
    PeriodIn,
    PeriodPatch,
    ProjectIn,
    ProjectPatch,
    ResultIn,
    ResultPatch,
)

router = Router()


def require_monitoring(request: AuthenticatedHttpRequest) -> None:
    if not policy.can_use_monitoring(request.user):
        raise PermissionDenied


@router.get("/projects", response=list[dict[str, Any]], summary="Projects you may see")
@paginate(Pagination)
def list_projects(request: AuthenticatedHttpRequest) -> Any:
    require_monitoring(request)
    qs = access.visible_projects(request.user).select_related("originator").order_by("title", "pk")
    return [project_dict(p) for p in qs]


@router.post("/projects", response={201: dict}, summary="Create a project (heads of an entity)")
def create_project(request: AuthenticatedHttpRequest, payload: ProjectIn) -> Status:
    require_monitoring(request)
    data = payload.dict()
    data["recipients"] = organisations_by_code(data["recipients"])
    _organisations_of(data["partners"])
    project = projects.create_project(acting_user=request.user, **data)
    return Status(201, project_dict(project))


def _organisations_of(partners: list[dict[str, Any]]) -> None:
    """Partners name network organisations by code: each becomes the organisation (or None)."""
    # A PATCH body leaves out what it does not set, inside each partner too.
    codes = [p["organisation"] for p in partners if p.get("organisation")]
    known = {o.code: o for o in organisations_by_code(codes)}
    for partner in partners:
        code = partner.get("organisation")
        partner["organisation"] = known.get(code.strip().upper()) if code else None


def _set_fields(payload: Any, nullable: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields the request gave. Null clears the ``nullable`` ones (a baseline, a target, a
    parent); for a field that must hold a value, null is the same as leaving it out."""
    changes = payload.dict(exclude_unset=True)
    return {k: v for k, v in changes.items() if v is not None or k in nullable}


@router.patch(
    "/projects/{project_id}", summary="Change a project's fields and partners (heads of its entity)"
)
def change_project(
    request: AuthenticatedHttpRequest, project_id: int, payload: ProjectPatch
) -> dict[str, Any]:
    project = access.access_project(request.user, project_id)
    changes = _set_fields(payload)
    for key in ("partners", "donors", "implementers"):
        if changes.get(key) is not None:
            _organisations_of(changes[key])
    project = projects.update_project(acting_user=request.user, project=project, **changes)
    return project_dict(project)


@router.get("/projects/{project_id}", summary="One project with its whole results framework")
def get_project(request: AuthenticatedHttpRequest, project_id: int) -> dict[str, Any]:
    project = access.access_project(request.user, project_id)
    return project_detail_dict(project, reports.project_framework(project))


@router.post(
    "/projects/{project_id}/marking",
    summary="Raise (a reader) or lower (the owner) a project's marking",
)
def change_marking(
    request: AuthenticatedHttpRequest, project_id: int, payload: MarkingIn
) -> dict[str, Any]:
    project = access.access_project(request.user, project_id)
    project = projects.change_project_marking(
        acting_user=request.user, project=project, **payload.dict()
    )
    return project_dict(project)


@router.post("/projects/{project_id}/documents", response={201: dict}, summary="Attach a document")
def add_document(
    request: AuthenticatedHttpRequest,
    project_id: int,
    file: File[UploadedFile],
    title: Form[str] = "",
) -> Status:
    project = access.access_project(request.user, project_id)
    doc = projects.add_document(
        acting_user=request.user,
        project=project,
        title=title,
        new_file=storage.NewFile.from_upload(file),
    )
    return Status(201, {"id": doc.pk, "title": doc.title, "size": doc.size, "sha256": doc.sha256})


@router.get("/documents/{document_id}", summary="Download a project document")
def get_document(request: AuthenticatedHttpRequest, document_id: int) -> FileResponse:
    doc = access.access_document(request.user, document_id)
    return storage.serve(doc.sha256, doc.content_type, doc.file_name)


@router.post("/projects/{project_id}/results", response={201: dict}, summary="Add a result")
def add_result(request: AuthenticatedHttpRequest, project_id: int, payload: ResultIn) -> Status:
    project = access.access_project(request.user, project_id)
    data = payload.dict()
    parent_id = data.pop("parent", None)
    parent = access.access_result(request.user, parent_id) if parent_id else None
    result = framework.add_result(acting_user=request.user, project=project, parent=parent, **data)
    return Status(201, result_dict(result))


@router.post("/results/{result_id}/indicators", response={201: dict}, summary="Add an indicator")
def add_indicator(
    request: AuthenticatedHttpRequest, result_id: int, payload: IndicatorIn
) -> Status:
    result = access.access_result(request.user, result_id)
    indicator = framework.add_indicator(acting_user=request.user, result=result, **payload.dict())
    return Status(201, indicator_dict(indicator))


@router.post(
    "/indicators/{indicator_id}/periods",
    response={201: dict},
    summary="Add a period with its target",
)
def add_period(request: AuthenticatedHttpRequest, indicator_id: int, payload: PeriodIn) -> Status:
    indicator = access.access_indicator(request.user, indicator_id)
    period = framework.add_period(acting_user=request.user, indicator=indicator, **payload.dict())
    return Status(201, period_dict(period, indicator))


@router.patch("/results/{result_id}", summary="Change a result (heads of the entity)")
def change_result(
    request: AuthenticatedHttpRequest, result_id: int, payload: ResultPatch
) -> dict[str, Any]:
    result = access.access_result(request.user, result_id)
    changes = _set_fields(payload, nullable=("parent",))
    if "parent" in changes and changes["parent"] is not None:
        changes["parent"] = access.access_result(request.user, changes["parent"])
    result = framework.update_result(acting_user=request.user, result=result, **changes)
    return result_dict(result)


@router.patch("/indicators/{indicator_id}", summary="Change an indicator (heads of the entity)")
def change_indicator(
    request: AuthenticatedHttpRequest, indicator_id: int, payload: IndicatorPatch
) -> dict[str, Any]:
    indicator = access.access_indicator(request.user, indicator_id)
    indicator = framework.update_indicator(
        acting_user=request.user,
        indicator=indicator,
        **_set_fields(payload, nullable=("baseline_year", "baseline_value")),
    )
    return indicator_dict(indicator)


@router.patch(
    "/periods/{period_id}",
    summary="Change a period's dates and targets (heads of the entity; 409 once locked)",
)
def change_period(
    request: AuthenticatedHttpRequest, period_id: int, payload: PeriodPatch
) -> dict[str, Any]:
    period = access.access_period(request.user, period_id)
    period = framework.update_period(
        acting_user=request.user,
        period=period,
        **_set_fields(payload, nullable=("target_value",)),
    )
    return period_dict(period, period.indicator)


# Deleting framework rows: only rows nobody has reported on (``services.framework``: 400 with
# the reason once an update exists, 409 for a locked period: a Conflict, core.conflicts).


@router.delete(
    "/results/{result_id}",
    response={204: None},
    summary="Delete a result with its indicators and periods (heads of the entity; not once "
    "reported on)",
)
def delete_result(request: AuthenticatedHttpRequest, result_id: int) -> Status:
    result = access.access_result(request.user, result_id)
    framework.delete_result(acting_user=request.user, result=result)
    return Status(204, None)


@router.delete(
    "/indicators/{indicator_id}",
    response={204: None},
    summary="Delete an indicator with its periods (heads of the entity; not once reported on)",
)
def delete_indicator(request: AuthenticatedHttpRequest, indicator_id: int) -> Status:
    indicator = access.access_indicator(request.user, indicator_id)
    framework.delete_indicator(acting_user=request.user, indicator=indicator)
    return Status(204, None)


@router.delete(
    "/periods/{period_id}",
    response={204: None},
    summary="Delete a period (heads of the entity; not once reported on; 409 once locked)",
)
def delete_period(request: AuthenticatedHttpRequest, period_id: int) -> Status:
    period = access.access_period(request.user, period_id)
    framework.delete_period(acting_user=request.user, period=period)
    return Status(204, None)
