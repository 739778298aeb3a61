"""Recording action plans: the plan with its first commitments, more commitments, milestones.

A plan and everything sent with it are written in one transaction after every check, so a bad
milestone date or an unknown reference in the tenth commitment leaves nothing behind.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.coordination import validation
from ctnet.coordination.models import (
    ActionPlan,
    Commitment,
    CommitmentReference,
    Milestone,
    Visibility,
)
from ctnet.coordination.policy import policy
from ctnet.core import audit
from ctnet.core.markings import TLP
from ctnet.core.models import Organisation, Role, User
from ctnet.core.policy import acting_org

# The marking each visibility is stored as; the core marking rule then decides who reads.
TLP_BY_VISIBILITY = {
    Visibility.NETWORK: TLP.GREEN,
    Visibility.SHARED: TLP.AMBER,
    Visibility.PRIVATE: TLP.AMBER_STRICT,
}


def secretariat_orgs() -> list[Organisation]:
    """The organisations the network secretariat works in (a private plan reaches them)."""
    return list(
        Organisation.objects.filter(
            memberships__role=Role.SECRETARIAT, memberships__is_active=True, is_active=True
        ).distinct()
    )


def _recipients(visibility: str, shared_with: list[Organisation]) -> list[Organisation]:
    if visibility == Visibility.SHARED:
        if not shared_with:
            raise ValidationError(_("Name the organisations a shared plan is shared with."))
        return shared_with
    if visibility == Visibility.PRIVATE:
        return secretariat_orgs()
    return []


def _require_editor(user: User, plan: ActionPlan) -> None:
    if not policy.can_edit_plan(user, plan):
        raise PermissionDenied(_("Only the plan's owner records its commitments and progress."))


def _check_commitment(plan: ActionPlan, data: dict[str, Any]) -> dict[str, Any]:
    """Every check of one commitment and its milestones, before anything is written."""
    pillar = data.get("pillar") or ""
    if pillar:
        validation.clean_pillars([pillar])
    milestones = []
    for m in data.get("milestones") or []:
        validation.clean_due_date(plan, m["due_date"])
        orgs = validation.responsible_organisations(plan, m.get("responsible") or [])
        milestones.append((m, orgs))
    return {
        "title": data["title"],
        "description": data.get("description") or "",
        "pillar": pillar,
        "free_references": validation.clean_free_references(data.get("free_references") or []),
        "references": validation.clean_references(data.get("references") or []),
        "milestones": milestones,
    }


def _write_commitment(plan: ActionPlan, checked: dict[str, Any]) -> Commitment:
    commitment = Commitment.objects.create(
        plan=plan,
        title=checked["title"],
        description=checked["description"],
        pillar=checked["pillar"],
        free_references=checked["free_references"],
    )
    CommitmentReference.objects.bulk_create(
        CommitmentReference(commitment=commitment, code=code, paragraph=paragraph)
        for code, paragraph in checked["references"]
    )
    for data, orgs in checked["milestones"]:
        _write_milestone(commitment, data, orgs)
    return commitment


def _write_milestone(
    commitment: Commitment, data: dict[str, Any], orgs: list[Organisation]
) -> Milestone:
    milestone = Milestone.objects.create(
        commitment=commitment,
        title=data["title"],
        due_date=data["due_date"],
        responsible_office=(data.get("responsible_office") or "").strip(),
    )
    milestone.responsible_orgs.set(orgs)
    return milestone


def create_plan(
    *,
    acting_user: User,
    data: dict[str, Any],
    shared_with: list[Organisation] | None = None,
    commitments: list[dict[str, Any]] | None = None,
) -> ActionPlan:
    """Record a plan of the acting person's state or regional organisation."""
    if not policy.can_author_plans(acting_user):
        raise PermissionDenied(
            _(
                "Action plans are recorded by a state's coordinators and officers or a regional "
                "organisation's focal points."
            )
        )
    owner = acting_org(acting_user)
    validation.clean_period(data["period_start"], data["period_end"])
    visibility = data["visibility"]
    if visibility not in Visibility.values:
        raise ValidationError(_("Unknown visibility %(v)s.") % {"v": visibility})
    recipients = _recipients(visibility, shared_with or [])
    plan = ActionPlan(
        originator=owner,
        created_by=acting_user,
        scope=validation.SCOPE_BY_OWNER_KIND[owner.kind],
        focus=data["focus"],
        visibility=visibility,
        tlp=TLP_BY_VISIBILITY[visibility],
        title=data["title"],
        summary=data.get("summary") or "",
        pillars=validation.clean_pillars(data.get("pillars") or []),
        period_start=data["period_start"],
        period_end=data["period_end"],
    )
    checked = [_check_commitment(plan, c) for c in commitments or []]
    with transaction.atomic():
        plan.save()
        plan.recipient_orgs.set(recipients)
        for item in checked:
            _write_commitment(plan, item)
        audit.record(
            "coordination.plan_created",
            actor=acting_user,
            obj=plan,
            detail={"visibility": visibility, "commitments": len(checked)},
        )
    return plan


# What the owner may change once a plan is recorded (its owner and scope never change).
EDITABLE_PLAN_FIELDS = ("title", "summary", "focus", "pillars", "period_start", "period_end")


def update_plan(
    *,
    acting_user: User,
    plan: ActionPlan,
    data: dict[str, Any],
    shared_with: list[Organisation] | None = None,
) -> ActionPlan:
    """The owner corrects its plan: the text, focus, pillars, period (every milestone must stay
    inside it) and who may read it. Only the owner edits a plan, so narrowing who reads it is
    the originator lowering its own marking (core's rule); the recipients follow the new
    visibility, as on creation."""
    _require_editor(acting_user, plan)
    changes = {k: data[k] for k in EDITABLE_PLAN_FIELDS if k in data}
    start = changes.get("period_start", plan.period_start)
    end = changes.get("period_end", plan.period_end)
    validation.clean_period(start, end)
    outside = Milestone.objects.filter(commitment__plan=plan).exclude(due_date__range=(start, end))
    if outside.exists():
        raise ValidationError(
            _("%(n)d milestones would fall outside the new period: move them first.")
            % {"n": outside.count()}
        )
    if "pillars" in changes:
        changes["pillars"] = validation.clean_pillars(changes["pillars"] or [])
    if "summary" in changes:
        changes["summary"] = changes["summary"] or ""
    visibility = data.get("visibility", plan.visibility)
    if visibility not in Visibility.values:
        raise ValidationError(_("Unknown visibility %(v)s.") % {"v": visibility})
    recipients = None
    if visibility != plan.visibility or shared_with is not None:
        recipients = _recipients(visibility, list(shared_with or []))
    with transaction.atomic():
        before = {"visibility": plan.visibility, "tlp": plan.tlp}
        changed = sorted(k for k, v in changes.items() if getattr(plan, k) != v)
        for key, value in changes.items():
            setattr(plan, key, value)
        plan.visibility = visibility
        plan.tlp = TLP_BY_VISIBILITY[visibility]
        plan.updated_at = timezone.now()
        plan.save()
        if recipients is not None:
            plan.recipient_orgs.set(recipients)
        audit.record(
            "coordination.plan_updated",
            actor=acting_user,
            obj=plan,
            detail={
                "fields": changed,
                "visibility": [before["visibility"], visibility],
                "tlp": [before["tlp"], plan.tlp],
                "recipients": None if recipients is None else sorted(o.code for o in recipients),
            },
        )
    return plan


def add_commitment(*, acting_user: User, plan: ActionPlan, data: dict[str, Any]) -> Commitment:
    _require_editor(acting_user, plan)
    checked = _check_commitment(plan, data)
    with transaction.atomic():
        commitment = _write_commitment(plan, checked)
        ActionPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
        audit.record(
            "coordination.commitment_added",
            actor=acting_user,
            obj=commitment,
            detail={"plan": plan.pk, "milestones": len(checked["milestones"])},
        )
    return commitment


def update_commitment(
    *, acting_user: User, commitment: Commitment, data: dict[str, Any]
) -> Commitment:
    """The owner corrects a commitment's text, pillar and references (its milestones, reports
    and assessments stay; each has its own service)."""
    plan = commitment.plan
    _require_editor(acting_user, plan)
    checked = _check_commitment(plan, {**data, "milestones": []})
    with transaction.atomic():
        before = sorted(commitment.references.values_list("code", "paragraph"))
        for key in ("title", "description", "pillar", "free_references"):
            setattr(commitment, key, checked[key])
        commitment.save(update_fields=["title", "description", "pillar", "free_references"])
        commitment.references.all().delete()
        CommitmentReference.objects.bulk_create(
            CommitmentReference(commitment=commitment, code=code, paragraph=paragraph)
            for code, paragraph in checked["references"]
        )
        ActionPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
        audit.record(
            "coordination.commitment_updated",
            actor=acting_user,
            obj=commitment,
            detail={
                "plan": plan.pk,
                "references": [
                    [f"{c}:{p}" if p else c for c, p in before],
                    [f"{c}:{p}" if p else c for c, p in checked["references"]],
                ],
            },
        )
    return commitment


def add_milestone(*, acting_user: User, commitment: Commitment, data: dict[str, Any]) -> Milestone:
    plan = commitment.plan
    _require_editor(acting_user, plan)
    validation.clean_due_date(plan, data["due_date"])
    orgs = validation.responsible_organisations(plan, data.get("responsible") or [])
    with transaction.atomic():
        milestone = _write_milestone(commitment, data, orgs)
        audit.record(
            "coordination.milestone_added",
            actor=acting_user,
            obj=milestone,
            detail={"commitment": commitment.pk, "due": data["due_date"]},
        )
    return milestone


def complete_milestone(
    *, acting_user: User, milestone: Milestone, done_on: date | None = None
) -> Milestone:
    _require_editor(acting_user, milestone.commitment.plan)
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError(_("A milestone cannot be done on a day still to come."))
    with transaction.atomic():
        milestone.done_at = done_on
        milestone.save(update_fields=["done_at"])
        audit.record(
            "coordination.milestone_done", actor=acting_user, obj=milestone, detail={"on": done_on}
        )
    return milestone
