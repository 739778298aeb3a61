from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ctnet.core.capabilities import menu_rows, waiting_for_request
from ctnet.core.notifications import unread_count
from ctnet.core.policy import policy


def membership(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person's membership, the menu entries their role opens with the badges of
    what waits behind them, and their unread notifications.

    The counts are lazy: a page that shows no menu (an error page, the sign-in page) asks
    nothing, and the menu and the home page share one computation per request.
    """
    user = getattr(request, "user", None)
    m = user.active_membership if user is not None and user.is_authenticated else None
    return {
        "membership": m,
        "can_read_audit": policy.can_read_audit(user),
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
