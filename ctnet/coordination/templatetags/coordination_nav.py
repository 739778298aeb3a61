"""What coordination's sub-menu offers a person: only the pages their policy lets them open."""

from typing import Any

from django import template

from ctnet.coordination.policy import groups_policy

register = template.Library()


@register.filter
def reads_working_groups(user: Any) -> bool:
    # Civil-society members use action plans but not the Compact's working groups (403 there).
    return groups_policy.can_read_groups(user)
