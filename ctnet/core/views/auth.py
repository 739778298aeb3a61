"""Sign-in with password then second factor, enrolment, sign-out, sudo re-confirmation."""

from __future__ import annotations

import base64
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctnet import ratelimits
from ctnet.core import ratelimit, services
from ctnet.core.decorators import grant_sudo, member_required
from ctnet.core.forms import LoginForm, OTPForm, PasswordConfirmForm, SecondFactorForm
from ctnet.core.http import AuthenticatedHttpRequest, SignedInHttpRequest
from ctnet.core.middleware import client_ip
from ctnet.core.models import User
from ctnet.core.policy import policy
from ctnet.core.tasks import notify_failed_sign_ins

ENROL_KEY = "ctnet_enrol_device"


def totp_code_already_used(device: TOTPDevice, code: str) -> bool:
    """Whether ``code`` is one this device accepted already, still within its time window.

    django-otp refuses a code whose time step is not after the last one accepted (``last_t``),
    and says only "no"; the person should hear why, and that waiting for the next code helps.
    """
    try:
        token = int(code)
    except ValueError:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    for offset in range(-device.tolerance, device.tolerance + 1):
        totp.drift = device.drift + offset
        if totp.t() <= device.last_t and totp.token() == token:
            return True
    return False


def _safe_next(request: HttpRequest, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _after_password(request: HttpRequest, user: User) -> HttpResponse:
    """Where a person goes once the password is right: the second factor, or in."""
    if user_has_device(user):
        return redirect(f"{reverse('login-otp')}?{urlencode({'next': _safe_next(request)})}")
    if policy.requires_otp(user):
        return redirect("otp-setup")
    services.record_sign_in(user=user, method="password")
    return redirect(_safe_next(request))


def set_language_cookie(response: HttpResponse, language: str) -> None:
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            max_age=365 * 24 * 3600,
        )


def _may_try_password(username: str, ip: str) -> bool:
    """Refused only where the failures were: at this address, or for this account at it."""
    account = username.lower()
    return ratelimit.peek(ratelimits.LOGIN_PER_IP, ip) and ratelimit.peek(
        ratelimits.LOGIN_PER_ACCOUNT_AND_IP, f"{account}|{ip}"
    )


def _charge_wrong_password(username: str, ip: str) -> None:
    # Charged only on failure, so a person who signs in daily, or an office, never runs out.
    account = username.lower()
    ratelimit.authorize(ratelimits.LOGIN_PER_IP, ip)
    ratelimit.authorize(ratelimits.LOGIN_PER_ACCOUNT_AND_IP, f"{account}|{ip}")
    # The account-wide count locks nobody out (a stranger could use it against the owner); when
    # it runs out, the owner is told, once a day at most.
    if not ratelimit.authorize(ratelimits.LOGIN_FAILURES_PER_ACCOUNT, account) and (
        ratelimit.authorize(ratelimits.LOGIN_FAILURE_NOTICES_PER_ACCOUNT, account)
    ):
        transaction.on_commit(lambda: notify_failed_sign_ins.enqueue(account))


@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST":
        ip = client_ip(request) or "unknown"
        if not form.is_valid():
            status = 400
        elif not _may_try_password(form.cleaned_data["username"], ip):
            form.add_error(None, _("Too many attempts. Wait a few minutes and try again."))
            status = 429
        else:
            username = form.cleaned_data["username"]
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None or not policy.is_member(user):
                _charge_wrong_password(username, ip)
                services.record_failed_sign_in(username=username, reason="password")
                form.add_error(None, _("Wrong username or password."))
                status = 400
            else:
                login(request, user)
                response = _after_password(request, user)
                set_language_cookie(response, user.preferred_language)
                return response
    return render(request, "ctnet/login.html", {"form": form}, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def login_otp_view(request: SignedInHttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():  # type: ignore[attr-defined]  # set by OTPMiddleware
        return redirect(_safe_next(request))
    form = SecondFactorForm(request.POST or None)
    status = 200
    if request.method == "POST":
        key = user.get_username().lower()
        if not form.is_valid():
            status = 400
        elif not ratelimit.peek(ratelimits.OTP_PER_ACCOUNT, key):
            form.add_error(None, _("Too many attempts. Wait a few minutes and try again."))
            status = 429
        else:
            code = form.cleaned_data["code"].strip().lower()
            # The authenticator app first; then a recovery code, which is used up by matching.
            devices = [
                *TOTPDevice.objects.devices_for_user(user),
                *StaticDevice.objects.devices_for_user(user),
            ]
            device = next((d for d in devices if d.verify_token(code)), None)
            if device is None:
                ratelimit.authorize(ratelimits.OTP_PER_ACCOUNT, key)
                # A code is good once (django-otp keeps the last time step used): a second
                # submit of the same form, or a replay by someone who saw it, is told so.
                reused = any(
                    totp_code_already_used(d, code) for d in devices if isinstance(d, TOTPDevice)
                )
                services.record_failed_sign_in(
                    username=key, reason="second factor reused" if reused else "second factor"
                )
                form.add_error(
                    "code",
                    _("This code was already used. Wait for the next one in your app.")
                    if reused
                    else _("This code is not right. Try the newest one."),
                )
                status = 400
            elif isinstance(device, StaticDevice):
                otp_login(request, device)
                services.record_sign_in(user=user, method="password+recovery-code")
                left = services.recovery_codes_left(user)
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(left)d left. Set up your "
                        "authenticator app again now."
                    )
                    % {"left": left},
                )
                return redirect("otp-setup")
            else:
                otp_login(request, device)
                services.record_sign_in(user=user, method="password+totp")
                return redirect(_safe_next(request))
    return render(request, "ctnet/login_otp.html", {"form": form}, status=status)


def _qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup_view(request: SignedInHttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan, type the code it shows, done."""
    user = request.user
    device = None
    device_id = request.session.get(ENROL_KEY)
    if device_id:
        device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        device = services.start_totp_enrolment(acting_user=user)
        request.session[ENROL_KEY] = device.pk
    form = OTPForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and services.confirm_totp_enrolment(
            acting_user=user,
            device=device,
            code=form.cleaned_data["code"],
        ):
            request.session.pop(ENROL_KEY, None)
            otp_login(request, device)
            services.record_sign_in(user=user, method="password+totp-enrolment")
            messages.success(request, _("Your authenticator app is set up."))
            return redirect("home")
        if form.is_valid():
            form.add_error("code", _("This code is not right. Try the newest one."))
        status = 400
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "ctnet/otp_setup.html",
        {"form": form, "secret": secret, "qr": _qr_data_uri(device.config_url)},
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


@never_cache
@member_required
@require_http_methods(["GET", "POST"])
def sudo_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PasswordConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and request.user.check_password(form.cleaned_data["password"]):
            grant_sudo(request)
            return redirect(_safe_next(request))
        form.add_error("password", _("Wrong password."))
        status = 400
    return render(request, "ctnet/sudo.html", {"form": form}, status=status)
