from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ctnet.core.capabilities import menu_for
from ctnet.core.policy import policy


def membership(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person's membership and the menu entries their role opens."""
    user = getattr(request, "user", None)
    m = user.active_membership if user is not None and user.is_authenticated else None
    return {
        "membership": m,
        "can_read_audit": policy.can_read_audit(user),
        "can_manage_own_org": m is not None and policy.can_manage_members(user, m.organisation),
        # Each capability says what it adds to the menu (``CapabilityConfig.menu``).
        "capability_menu": menu_for(user) if m is not None else [],
    }
