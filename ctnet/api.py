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
from ninja.utils import check_csrf

from ctnet import ratelimits
from ctnet.core import ratelimit, services
from ctnet.core.conflicts import Conflict
from ctnet.core.http import attach_membership
from ctnet.core.middleware import client_ip
from ctnet.core.policy import policy

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BearerToken(HttpBearer):
    """``Authorization: Bearer ctn_<prefix>_<secret>``; read-only tokens may only read."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # The token first: failures of others at the same address (an office gateway) or with
        # the same prefix never refuse a valid token; only the failing caller meets a 429.
        api_token = services.authenticate_token(token)
        if api_token is None:
            _charge_token_failure(token, client_ip(request) or "unknown")
            return None
        if attach_membership(request, api_token.user) is None:
            return None
        if api_token.read_only and request.method not in SAFE_METHODS:
            raise HttpError(403, _("This token is read-only."))
        request.user = api_token.user
        return api_token.user


def _charge_token_failure(token: str, ip: str) -> None:
    """Count a failed token per address and per presented prefix; 429 once either runs out."""
    allowed = ratelimit.authorize(ratelimits.TOKEN_FAILURES_PER_IP, ip)
    parts = token.split("_", 2)
    # Only the public prefix of a well-formed token is a subject; the secret never is.
    prefix = parts[1] if len(parts) == 3 and parts[0] == services.TOKEN_PREFIX else ""
    if prefix:
        allowed = ratelimit.authorize(ratelimits.TOKEN_FAILURES_PER_PREFIX, prefix) and allowed
    if not allowed:
        raise HttpError(429, _("Too many failed attempts. Try again later."))


class VerifiedSession(APIKeyCookie):
    """The browser session, for pages that call the API; CSRF-checked and second-factor complete."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            # No session to ride on, so nothing for a forged request to abuse: the caller is
            # simply unauthenticated (401), not refused a CSRF check (ninja's 403).
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("CSRF check failed: reload the page and try again."))
        return request.COOKIES.get(self.param_name)

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


@api.exception_handler(Conflict)
def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    # Every capability's "not at this step" or "changed meanwhile" (core/conflicts.py).
    return api.create_response(request, {"detail": exc.message}, status=409)


@api.exception_handler(DjangoValidationError)
def on_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=400)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    # Keep pydantic's per-field list (machine-readable) but say in words what went wrong.
    fields = [".".join(str(p) for p in e.get("loc", [])) for e in exc.errors]
    detail = _("Invalid input: %(fields)s") % {"fields": ", ".join(fields)}
    bounds = [b for b in (_bound(e) for e in exc.errors) if b]
    if bounds:
        detail = f"{detail} ({'; '.join(bounds)})"
    return api.create_response(request, {"detail": detail, "errors": exc.errors}, status=422)


def _bound(error: dict[str, Any]) -> str:
    """A number out of range said in words (a page ``limit`` over its maximum, say)."""
    loc = error.get("loc") or ["?"]
    limit = (error.get("ctx") or {}).get("le", (error.get("ctx") or {}).get("ge"))
    values = {"field": loc[-1], "limit": limit}
    if error.get("type") == "less_than_equal":
        return _("%(field)s must be at most %(limit)s") % values
    if error.get("type") == "greater_than_equal":
        return _("%(field)s must be at least %(limit)s") % values
    return ""


def _register_routers() -> None:
    from ctnet.consultations.api import router as consultations_router
    from ctnet.coordination.api import router as coordination_router
    from ctnet.core.api import router as core_router
    from ctnet.directory.api import router as directory_router
    from ctnet.exchange.api import router as exchange_router
    from ctnet.hashes.api import router as hashes_router
    from ctnet.monitoring.api import router as monitoring_router
    from ctnet.practices.api import router as practices_router
    from ctnet.screening.api import router as screening_router

    api.add_router("/", core_router)
    api.add_router("/consultations/", consultations_router)
    api.add_router("/directory/", directory_router)
    api.add_router("/exchange/", exchange_router)
    api.add_router("/hashes/", hashes_router)
    api.add_router("/monitoring/", monitoring_router)
    api.add_router("/practices/", practices_router)
    api.add_router("/screening/", screening_router)
    api.add_router("/coordination/", coordination_router)


_register_routers()
