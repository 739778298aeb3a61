"""``{% directory_perms as perms %}``: which directory menu entries the signed-in person sees.

Menus only; every page checks the policy again on its own.
"""

from __future__ import annotations

from typing import Any

from django import template

from ctnet.directory.policy import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def directory_perms(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    membership = user.active_membership if user is not None and user.is_authenticated else None
    own = membership.organisation if membership is not None else None
    return {
        "own_org_id": own.pk if own is not None and policy.can_edit_directory(user, own) else None,
        "use": policy.can_use_directory(user),
        "overview": policy.can_see_directory_overview(user),
        "comm_tests": policy.can_run_communication_test(user),
    }
