"""What waits for a person in coordination: counts for the home page and the menu badge.

Counts only, never a title: the lists they link to apply the access rules again, and each list
filters with the same queryset as its count, so the number and the rows are the same ones. Each
count is a queryset that core counts with every other capability's in one query
(``core.capabilities.waiting_for``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctnet.coordination import access, groups
from ctnet.coordination.models import (
    ActionPlan,
    AssistanceNeed,
    FollowUp,
    MatchStatus,
    Milestone,
    NeedStatus,
)
from ctnet.coordination.policy import groups_policy, policy
from ctnet.coordination.services.deadlines import DUE_WITHIN_DAYS
from ctnet.core.capabilities import Waiting

MENU = "coordination"

# The filters of the lists the counts link to (``?waiting=<key>``).
ASSESS = "assess"
LATE = "late"
DUE = "due"
ACCEPT = "accept"


def _org_id(user: Any) -> int | None:
    membership = policy.membership(user)
    return membership.organisation_id if membership is not None else None


def plans_to_assess(user: Any) -> QuerySet[ActionPlan]:
    """Plans one may read with a commitment whose owner asked the person's organisation to
    assess it (cleared once it has); for those who assess for their organisation."""
    if not policy.has_role(user, *policy.ASSESSOR_ROLES):
        return ActionPlan.objects.none()
    return (
        access.visible_plans(user)
        .filter(commitments__assessment_requested_from_id=_org_id(user))
        .distinct()
    )


def own_milestones(user: Any, which: str) -> QuerySet[Milestone]:
    """Milestones of the person's organisation's plans not done: ``late`` (past their date) or
    ``due`` (within the week the due notice speaks of); for the plans' authors."""
    if not policy.can_author_plans(user):
        return Milestone.objects.none()
    today = timezone.localdate()
    qs = Milestone.objects.filter(done_at=None, commitment__plan__originator_id=_org_id(user))
    if which == LATE:
        return qs.filter(due_date__lt=today)
    return qs.filter(due_date__gte=today, due_date__lte=today + timedelta(days=DUE_WITHIN_DAYS))


def needs_to_accept(user: Any) -> QuerySet[AssistanceNeed]:
    """The state's open needs with an offer the platform proposed and nobody accepted yet; for
    those who accept for the state (``policy.can_accept_match``)."""
    if not policy.can_record_need(user):
        return AssistanceNeed.objects.none()
    return (
        access.visible_needs(user)
        .filter(
            originator_id=_org_id(user),
            status=NeedStatus.OPEN,
            matches__status=MatchStatus.PROPOSED,
        )
        .distinct()
    )


def own_follow_ups_late(user: Any) -> QuerySet[FollowUp]:
    """Follow-ups of working groups that the person's organisation owes, past their date; for
    those who act for it in coordination (the roles that may report on one)."""
    if not policy.has_role(user, *policy.OFFER_ROLES) or not groups_policy.can_read_groups(user):
        return FollowUp.objects.none()
    return groups.late_follow_ups(user, _org_id(user))


def coordination_waiting(user: Any) -> list[Waiting]:
    if not policy.can_use_coordination(user):
        return []
    found: list[Waiting] = []
    if policy.has_role(user, *policy.ASSESSOR_ROLES):
        found.append(
            Waiting(
                _("Plans with an assessment asked of your organisation"),
                plans_to_assess(user),
                f"{reverse('coordination')}?waiting={ASSESS}",
                MENU,
            )
        )
    if policy.can_author_plans(user):
        late = reverse("coordination-late")
        found += [
            Waiting(
                _("Milestones of your plans late"),
                own_milestones(user, LATE),
                f"{late}?waiting={LATE}",
                MENU,
                urgent=True,
            ),
            Waiting(
                _("Milestones of your plans due within a week"),
                own_milestones(user, DUE),
                f"{late}?waiting={DUE}",
                MENU,
            ),
        ]
    if policy.can_record_need(user):
        found.append(
            Waiting(
                _("Needs with an offer to accept"),
                needs_to_accept(user),
                f"{reverse('coordination-needs')}?waiting={ACCEPT}",
                MENU,
            )
        )
    if policy.has_role(user, *policy.OFFER_ROLES) and groups_policy.can_read_groups(user):
        found.append(
            Waiting(
                _("Working-group follow-ups of your organisation late"),
                own_follow_ups_late(user),
                f"{reverse('coordination-follow-ups-late')}?mine=1",
                MENU,
                urgent=True,
            )
        )
    return found
