"""What waits in good practices: submissions for the secretariat to review (a queryset that
core counts with the other capabilities' in one query)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import Waiting
from ctnet.practices import access
from ctnet.practices.policy import policy
from ctnet.practices.vocab import Status


def practices_waiting(user: Any) -> list[Waiting]:
    if not policy.can_review_practices(user):
        return []
    # The review page's own list (``views.review_queue``).
    submitted = access.visible_practices(user).filter(status=Status.SUBMITTED)
    return [Waiting(_("Practices to review"), submitted, reverse("practice-review"), "practices")]
