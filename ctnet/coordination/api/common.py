"""Refusals shared by the coordination endpoints (the pages say the same with decorators)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ctnet.coordination.policy import policy


def require_coordination(user: Any) -> None:
    if not policy.can_use_coordination(user):
        raise PermissionDenied(_("Your role does not take part in coordination."))
