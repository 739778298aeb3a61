"""Refusals shared by the consultation endpoints (the pages say the same with decorators)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ctnet.consultations.policy import policy


def require_consultations(user: Any) -> None:
    if not policy.can_use(user):
        raise PermissionDenied(_("Your role does not take part in consultations."))
