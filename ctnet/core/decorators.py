"""View decorators that put security on the face of each view (STYLE.md 4)."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from ctnet.core.http import attach_membership
from ctnet.core.policy import policy

# Any response: a page, a redirect, or a streamed download (the IATI export).
View = Callable[..., HttpResponseBase]

# How long a password re-confirmation ("sudo mode") lasts before sensitive acts.
SUDO_SECONDS = 10 * 60
SUDO_KEY = "ctnet_sudo_until"


def member_required(view: View) -> View:
    """Signed in, second factor done where the role needs it, and a member of the network."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        if attach_membership(request, user) is None:
            raise PermissionDenied
        if not user.is_verified():  # type: ignore[attr-defined]  # set by OTPMiddleware
            from django_otp import user_has_device

            if user_has_device(user):
                return redirect("login-otp")
            if policy.requires_otp(user):
                return redirect("otp-setup")
        return view(request, *args, **kwargs)

    return wrapper


def require_role_check(check: Callable[[Any], bool]) -> Callable[[View], View]:
    """403 unless ``check(user)`` holds; stack under ``member_required``."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def require_sudo_mode(view: View) -> View:
    """Ask for the password again before a sensitive act, then allow such acts for 10 minutes."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        until = request.session.get(SUDO_KEY, 0)
        if not isinstance(until, int) or until < int(time.time()):
            return redirect(f"{reverse('sudo')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper


def grant_sudo(request: HttpRequest) -> None:
    request.session[SUDO_KEY] = int(time.time()) + SUDO_SECONDS
