"""IATI 2.03: export of the projects you may see, import of an activity file."""

from django.conf import settings
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from ctnet.core.http import AuthenticatedHttpRequest

from .. import access, iati
from ..presenters import project_dict
from ..services.iati_import import ImportRefused, import_activities
from .projects import require_monitoring

router = Router()


@router.get("/iati.xml", summary="IATI 2.03 activity file of the projects you may see")
def export(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    require_monitoring(request)
    return iati.export_response(request.user, access.visible_projects(request.user))


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
