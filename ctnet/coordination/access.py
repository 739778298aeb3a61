"""Fetch helpers: the object, or Http404 for missing and forbidden alike.

A commitment or milestone is reached through its plan: one may open it only if one may read
the plan. Opening AMBER material is written to the audit log here (``core.access``), so pages
and API audit the same way.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404

from ctnet.coordination.models import (
    ActionPlan,
    AssistanceNeed,
    AssistanceOffer,
    Commitment,
    Evidence,
    Match,
    Milestone,
)
from ctnet.coordination.policy import policy
from ctnet.coordination.presenters import needs_with_matches
from ctnet.coordination.services.reporting import storage_dir
from ctnet.core import services
from ctnet.core.access import access_marked
from ctnet.core.markings import AUDITED_READ_TLP


def visible_plans(user: Any) -> QuerySet[ActionPlan]:
    if not policy.can_use_coordination(user):
        return ActionPlan.objects.none()
    return ActionPlan.objects.visible_to(user)


def access_plan(user: Any, plan_id: int) -> ActionPlan:
    if not policy.can_use_coordination(user):
        raise Http404
    return access_marked(user, ActionPlan, plan_id)


def _audit_read(user: Any, plan: ActionPlan) -> None:
    if plan.tlp in AUDITED_READ_TLP:
        services.record_read(acting_user=user, obj=plan, why=f"TLP:{plan.tlp}")


def access_commitment(user: Any, commitment_id: int) -> Commitment:
    found = (
        Commitment.objects.select_related("plan", "plan__originator")
        .filter(pk=commitment_id, plan__in=visible_plans(user))
        .first()
    )
    if found is None:
        raise Http404
    _audit_read(user, found.plan)
    return found


def evidence_download(user: Any, evidence_id: int) -> FileResponse:
    """A stored evidence file, for those who may read its plan (the read audited as the
    plan's); a link-only evidence, or one out of reach, answers 404."""
    found = (
        Evidence.objects.select_related("commitment__plan")
        .filter(pk=evidence_id, commitment__plan__in=visible_plans(user))
        .exclude(digest="")
        .first()
    )
    if found is None:
        raise Http404
    _audit_read(user, found.commitment.plan)
    return FileResponse(
        (storage_dir() / found.digest).open("rb"),
        as_attachment=True,
        filename=found.filename,
        content_type=found.content_type,
    )


def access_milestone(user: Any, milestone_id: int) -> Milestone:
    found = (
        Milestone.objects.select_related("commitment", "commitment__plan")
        .filter(pk=milestone_id, commitment__plan__in=visible_plans(user))
        .first()
    )
    if found is None:
        raise Http404
    _audit_read(user, found.commitment.plan)
    return found


def visible_needs(user: Any) -> QuerySet[AssistanceNeed]:
    if not policy.can_use_coordination(user):
        return AssistanceNeed.objects.none()
    return AssistanceNeed.objects.visible_to(user)


def access_need(user: Any, need_id: int) -> AssistanceNeed:
    found = needs_with_matches(visible_needs(user).filter(pk=need_id)).first()
    if found is None:
        raise Http404
    return found


def visible_offers(user: Any) -> QuerySet[AssistanceOffer]:
    """Offers are for the community that may ask for them (states, entities, organisations)."""
    if not policy.can_offer(user) and not policy.can_record_need(user):
        return AssistanceOffer.objects.none()
    return AssistanceOffer.objects.filter(is_active=True)


def access_match(user: Any, match_id: int) -> Match:
    found = (
        Match.objects.select_related("need", "offer", "offer__organisation")
        .filter(pk=match_id, need__in=visible_needs(user))
        .first()
    )
    if found is None:
        raise Http404
    return found
