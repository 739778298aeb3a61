"""``{% directory_perms as dperms %}``: which links the directory's own sub-navigation shows.

Used by ``directory/_head.html`` only; the site menu comes from the app config. Links only; every
page checks the policy again on its own.
"""

from __future__ import annotations

from typing import Any

from django import template

from ctnet.directory.policy import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def directory_perms(context: dict[str, Any]) -> dict[str, Any]:
    user = getattr(context.get("request"), "user", None)
    membership = policy.membership(user)
    own = membership.organisation if membership is not None else None
    return {
        "own_org_id": own.pk if own is not None and policy.can_edit_directory(user, own) else None,
        "overview": policy.can_see_directory_overview(user),
        "comm_tests": policy.can_run_communication_test(user),
    }
