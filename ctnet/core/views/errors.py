"""Error pages in the user's language, light enough for a slow link."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(
        request, "ctnet/error.html", {"message": message, "status": status}, status=status
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, _("The request could not be understood."), 400)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return _error(request, message or _("You do not have permission to do this."), 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, _("This page does not exist, or you may not see it."), 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, _("Something went wrong on our side. It has been logged."), 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request, _("Your session has expired or the form was tampered with. Reload and retry."), 403
    )
