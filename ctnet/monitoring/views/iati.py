"""IATI pages: download the export of the projects one may see; import a file (heads only)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest

from .. import access, iati
from ..forms import ImportForm
from ..policy import policy
from ..services.iati_import import ImportRefused, import_activities
from .common import monitoring_required


@member_required
@monitoring_required
@require_GET
def export_page(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    return iati.export_response(request.user, access.visible_projects(request.user))


@member_required
@monitoring_required
@require_http_methods(["GET", "POST"])
def import_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    can_import = policy.can_import_iati(request.user)
    form = ImportForm(request.POST or None, request.FILES or None) if can_import else None
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > settings.MONITORING_MAX_IATI_BYTES:
                problems = [_("The file is too large.")]
            else:
                try:
                    created = import_activities(acting_user=request.user, data=upload.read())
                except ImportRefused as exc:
                    problems = exc.problems
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(n)d project imported.", "%(n)d projects imported.", len(created)
                        )
                        % {"n": len(created)},
                    )
                    return redirect("monitoring")
        status = 400
    return render(
        request, "monitoring/iati_import.html", {"form": form, "problems": problems}, status=status
    )
