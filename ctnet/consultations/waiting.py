"""What waits for a person in consultations: counts for the home page and the menu badge.

Counts only, never a title or a subject (an at-risk consultation's topic says too much). Each
count is a queryset that core counts with every other capability's in one query
(``core.capabilities.waiting_for``). The list page filtered by ``?waiting=<key>`` shows the
consultations that hold exactly the counted rows (``consultations_waiting``), so the number and
the list come from the same querysets.

- The opening organisation's unit: inputs without a theme, or in a theme without a response,
  once the window has closed (closed or in synthesis); reported inputs a moderator has not
  decided; appeals not yet decided.
- A civil-society member: consultations of their audience open now that they have not answered.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctnet.consultations.access import visible_consultations
from ctnet.consultations.models import Consultation, Status, Submission
from ctnet.consultations.policy import policy
from ctnet.core.capabilities import Waiting

MENU = "consultations"
# After the window, before the response is published: the unit's synthesis work.
AFTER_WINDOW = (Status.CLOSED, Status.SYNTHESIS)


def managed(user: Any) -> QuerySet[Consultation]:
    """The consultations the person's organisation opened, if the person opens them."""
    if not policy.can_open_consultations(user):
        return Consultation.objects.none()
    return visible_consultations(user).filter(originator_id=user.active_membership.organisation_id)


def unanswered_inputs(user: Any) -> QuerySet[Submission]:
    """The same rule as ``configuring.unanswered_count`` (what blocks publishing)."""
    return Submission.objects.filter(
        consultation__in=managed(user).filter(status__in=AFTER_WINDOW).values("pk"),
        hidden=False,
    ).filter(Q(theme__isnull=True) | Q(theme__response=""))


def reports_to_moderate(user: Any) -> QuerySet[Submission]:
    """Reported inputs without a moderator's decision (hidden or not yet)."""
    return Submission.objects.filter(
        consultation__in=managed(user).values("pk"), moderation="", reports__isnull=False
    )


def appeals_to_decide(user: Any) -> QuerySet[Submission]:
    return Submission.objects.filter(
        consultation__in=managed(user).values("pk"), moderation="", hidden=True
    ).exclude(appeal="")


def to_answer(user: Any) -> QuerySet[Consultation]:
    """Open consultations of the member's audience, still accepting, they have not answered."""
    if not policy.is_participant_role(user):
        return Consultation.objects.none()
    return (
        visible_consultations(user)
        .filter(status=Status.OPEN)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=timezone.now()))
        .exclude(participations__user=user)
    )


INPUT_WAITS = {
    "unanswered": unanswered_inputs,
    "reports": reports_to_moderate,
    "appeals": appeals_to_decide,
}


# The list page's filters, as the page names them (beside a link back to the whole list).
FILTER_LABELS = {
    "unanswered": _("Consultations with inputs without a response"),
    "reports": _("Consultations with reported inputs to moderate"),
    "appeals": _("Consultations with appeals to decide"),
    "to_answer": _("Open consultations you have not answered"),
}


def consultations_waiting(user: Any, key: str) -> QuerySet[Consultation] | None:
    """The consultations that hold what the count ``key`` counts; None for an unknown key."""
    if key == "to_answer":
        return to_answer(user)
    rows = INPUT_WAITS.get(key)
    if rows is None:
        return None
    return visible_consultations(user).filter(pk__in=rows(user).values("consultation_id"))


def consultations_waiting_for(user: Any) -> list[Waiting]:
    url = reverse("consultations")
    if policy.can_open_consultations(user):
        return [
            Waiting(
                _("Consultation inputs without a response"),
                unanswered_inputs(user),
                f"{url}?waiting=unanswered",
                MENU,
            ),
            Waiting(
                _("Reported inputs to moderate"),
                reports_to_moderate(user),
                f"{url}?waiting=reports",
                MENU,
            ),
            Waiting(
                _("Appeals to decide"),
                appeals_to_decide(user),
                f"{url}?waiting=appeals",
                MENU,
            ),
        ]
    if policy.is_participant_role(user):
        return [
            Waiting(
                _("Open consultations you have not answered"),
                to_answer(user),
                f"{url}?waiting=to_answer",
                MENU,
            )
        ]
    return []
