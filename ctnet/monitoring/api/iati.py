"""IATI 2.03: export of the projects you may see, import of an activity file."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from ctnet.core import audit
from ctnet.core.http import AuthenticatedHttpRequest

from .. import access, iati
from ..presenters import project_dict
from ..services.iati_import import ImportRefused, import_activities
from .projects import require_monitoring

router = Router()


@router.get("/iati.xml", summary="IATI 2.03 activity file of the projects you may see")
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_monitoring(request)
    projects = access.visible_projects(request.user)
    data = iati.export_bytes(projects)
    audit.record(
        "monitoring.iati.export",
        actor=request.user,
        object_type="monitoring.project",
        detail={"bytes": len(data)},
    )
    response = HttpResponse(data, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ctnet-iati-activities.xml"'
    return response


@router.post(
    "/iati",
    response={201: dict, 400: dict},
    summary="Import an IATI 2.03 activity file (all or nothing)",
)
def import_file(request: AuthenticatedHttpRequest, file: File[UploadedFile]) -> Status:
    require_monitoring(request)
    if (file.size or 0) > settings.MONITORING_MAX_IATI_BYTES:
        raise HttpError(413, _("The file is too large."))
    try:
        created = import_activities(acting_user=request.user, data=file.read())
    except ImportRefused as exc:
        return Status(400, {"detail": str(exc), "errors": exc.problems})
    return Status(201, {"items": [project_dict(p) for p in created], "count": len(created)})
