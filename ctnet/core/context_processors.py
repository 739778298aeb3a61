from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ctnet.core.capabilities import menu_rows, waiting_for_request
from ctnet.core.notifications import unread_count
from ctnet.core.policy import policy


def _through_the_door(user: Any) -> bool:
    """Signed in with every factor the account has or its role needs.

    Until then (the second-factor and enrolment pages) nothing of the platform is shown, not
    even the menu: a stolen password alone must not reveal which parts a role opens.
    """
    is_verified = getattr(user, "is_verified", None)  # set by OTPMiddleware
    if is_verified is not None and is_verified():
        return True
    if policy.requires_otp(user):
        return False
    from django_otp import user_has_device

    # Roles free of a second factor: shut out only while a device they chose is not yet used.
    return not user_has_device(user)


def membership(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person's membership, the menu entries their role opens with the badges of
    what waits behind them, and their unread notifications.

    The counts are lazy: a page that shows no menu (an error page, the sign-in page) asks
    nothing, and the menu and the home page share one computation per request.
    """
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated and _through_the_door(user)
    m = user.active_membership if user is not None and signed_in else None
    return {
        "membership": m,
        "can_read_audit": signed_in and policy.can_read_audit(user),
        "can_manage_own_org": m is not None and policy.can_manage_members(user, m.organisation),
        # Each capability says what it adds to the menu (``CapabilityConfig.menu``) and what
        # waits for this person (``CapabilityConfig.waiting``).
        "capability_menu": SimpleLazyObject(
            lambda: menu_rows(user, waiting_for_request(request)) if m is not None else []
        ),
        "waiting": SimpleLazyObject(lambda: waiting_for_request(request)),
        "unread_notifications": SimpleLazyObject(
            lambda: unread_count(user) if m is not None else 0
        ),
    }
