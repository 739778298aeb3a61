"""The API root: authentication, error shapes, and each app's router.

Errors are always JSON ``{"detail": ...}`` with a fitting status, in the caller's language
(Accept-Language); a request never ends in a 500 because of what the client sent.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from ctnet import ratelimits
from ctnet.core import ratelimit, services
from ctnet.core.http import attach_membership
from ctnet.core.middleware import client_ip
from ctnet.core.policy import policy

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BearerToken(HttpBearer):
    """``Authorization: Bearer ctn_<prefix>_<secret>``; read-only tokens may only read."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        ip = client_ip(request) or "unknown"
        if not ratelimit.peek(ratelimits.TOKEN_FAILURES_PER_IP, ip):
            raise HttpError(429, _("Too many failed attempts. Try again later."))
        api_token = services.authenticate_token(token)
        if api_token is None:
            ratelimit.authorize(ratelimits.TOKEN_FAILURES_PER_IP, ip)
            return None
        if attach_membership(request, api_token.user) is None:
            return None
        if api_token.read_only and request.method not in SAFE_METHODS:
            raise HttpError(403, _("This token is read-only."))
        request.user = api_token.user
        return api_token.user


class VerifiedSession(APIKeyCookie):
    """The browser session, for pages that call the API; CSRF-checked and second-factor complete."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not policy.is_member(user):
            return None
        if policy.requires_otp(user) and not user.is_verified():
            return None
        attach_membership(request, user)
        return user


api = NinjaAPI(
    title="ctnet API",
    version="1",
    description=(
        "API of the Global Network of Counter-Terrorism Coordinators. "
        "Authenticate with `Authorization: Bearer <token>` (create one with "
        "`ctnet token create USERNAME` or on your profile page)."
    ),
    urls_namespace="api",
    auth=[BearerToken(), VerifiedSession()],
    docs_url="/docs",
)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Authentication required: a valid, unexpired token.")}, status=401
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    message = str(exc) or _("You do not have permission to do this.")
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(DjangoValidationError)
def on_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=400)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    # Keep pydantic's per-field list (machine-readable) but say in words what went wrong.
    fields = [".".join(str(p) for p in e.get("loc", [])) for e in exc.errors]
    return api.create_response(
        request,
        {
            "detail": _("Invalid input: %(fields)s") % {"fields": ", ".join(fields)},
            "errors": exc.errors,
        },
        status=422,
    )


def _register_routers() -> None:
    from ctnet.core.api import router as core_router
    from ctnet.directory.api import router as directory_router
    from ctnet.exchange.api import router as exchange_router
    from ctnet.hashes.api import router as hashes_router
    from ctnet.practices.api import router as practices_router
    from ctnet.screening.api import router as screening_router

    api.add_router("/", core_router)
    api.add_router("/directory/", directory_router)
    api.add_router("/exchange/", exchange_router)
    api.add_router("/hashes/", hashes_router)
    api.add_router("/practices/", practices_router)
    api.add_router("/screening/", screening_router)


_register_routers()
