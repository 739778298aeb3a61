"""Request middleware: security headers, API body size, request context for the audit log,
idle sessions,
the person's time zone."""

from __future__ import annotations

import ipaddress
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ctnet.core.audit import RequestContext, current_request
from ctnet.core.capabilities import api_body_limits
from ctnet.core.timezones import zone_or_none

# Django 5.2 has no built-in Content-Security-Policy (it arrives in 6.0). Pages load only our own
# scripts and styles, so one strict header is enough and needs no extra package.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Every page, the API docs (Swagger UI from our own static files) included.
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


API_PREFIX = "/api/v1/"
# Multipart framing (boundaries, part headers, small fields) allowed on top of the body limit.
BODY_OVERHEAD = 64 * 1024


def declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class ApiBodySizeMiddleware:
    """Refuse an API body larger than ``CTNET_MAX_UPLOAD_BYTES`` with a JSON 413, by its declared
    length and before a byte of it is read (Django alone answers an HTML 400, and only once the
    endpoint reads it; multipart files would even be spooled to disk first). Paths whose
    capability declares a larger upload (``CapabilityConfig.api_body_limits``) get that one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.limits: dict[str, int] | None = None  # read once the app registry is ready

    def _limit(self, path: str) -> int:
        if self.limits is None:
            self.limits = api_body_limits()
        default = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + BODY_OVERHEAD
        return max(default, self.limits.get(path, 0))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            limit = self._limit(request.path)
            if declared_length(request) > limit:
                return self._too_large(request, limit - BODY_OVERHEAD)
        return self.get_response(request)

    @staticmethod
    def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
        # Before LocaleMiddleware: the caller's language is read here, as it would be there.
        with translation.override(translation.get_language_from_request(request)):
            message = _("The request body is larger than %(max)d MB.") % {
                "max": max(1, limit // (1024 * 1024))
            }
        return JsonResponse({"detail": message}, status=413)


def client_ip(request: HttpRequest) -> str | None:
    """The client address, trusting X-Forwarded-For only as far as configured proxies go."""
    candidate = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= hops:
            candidate = forwarded[-hops]
    try:
        # Canonical form, so the same address always hashes the same way in the audit chain.
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class RequestContextMiddleware:
    """Make who/where of the current request available to the audit log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ctx = RequestContext(
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            request_id=secrets.token_hex(8),
        )
        token = current_request.set(ctx)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response.headers["X-Request-ID"] = ctx.request_id
        return response


class SessionIdleTimeoutMiddleware:
    """End a signed-in session after CTNET_SESSION_IDLE_MINUTES without a request.

    The session cookie's own age is the absolute limit (CTNET_SESSION_MAX_HOURS); this adds the
    idle limit, so a forgotten browser in a shared office does not stay signed in all day.
    """

    KEY = "ctnet_last_seen"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get(self.KEY)
            if isinstance(last, int) and now - last > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
            # Written at most once a minute so that most requests do not rewrite the session.
            elif not isinstance(last, int) or now - last > 60:
                request.session[self.KEY] = now
        return self.get_response(request)


class TimeZoneMiddleware:
    """Show times in the signed-in person's zone (their profile); UTC for everyone else.

    Rows hold UTC; Django converts on display (``|when``, ``|date``, forms) to the zone active for
    the request. The zone is deactivated afterwards so that a reused thread starts from UTC.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone = zone_or_none(user.time_zone) if user is not None and user.is_authenticated else None
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
