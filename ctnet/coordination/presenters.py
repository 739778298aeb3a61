"""Plans as the API and the pages show them: plain dicts, read with a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ctnet.coordination.models import (
    ActionPlan,
    Assessment,
    AssistanceNeed,
    AssistanceOffer,
    Commitment,
    Match,
    Milestone,
)
from ctnet.coordination.policy import policy
from ctnet.coordination.references import reference_label


def plan_summary(plan: ActionPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "owner": plan.originator.code,
        "owner_name": plan.originator.name,
        "scope": plan.scope,
        "focus": plan.focus,
        "visibility": plan.visibility,
        "tlp": plan.tlp,
        "title": plan.title,
        "pillars": plan.pillars,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
    }


def with_details(qs: QuerySet[Commitment]) -> QuerySet[Commitment]:
    """A commitment's references, milestones (with their organisations), evidence and
    assessments in one query each, whatever their number."""
    return qs.select_related("assessed_by", "assessment_requested_from").prefetch_related(
        "references",
        Prefetch("milestones", queryset=Milestone.objects.prefetch_related("responsible_orgs")),
        "evidence",
        Prefetch("assessments", queryset=Assessment.objects.select_related("assessor")),
    )


def milestone_detail(m: Milestone, today: Any = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    return {
        "id": m.pk,
        "title": m.title,
        "due_date": m.due_date,
        "done_at": m.done_at,
        "late": m.done_at is None and m.due_date < today,
        "responsible": [o.code for o in m.responsible_orgs.all()],
        "responsible_office": m.responsible_office,
    }


def _evidence(items: list[Any]) -> list[dict[str, Any]]:
    return [
        {"id": e.pk, "url": e.url, "filename": e.filename, "organisation_id": e.organisation_id}
        for e in items
    ]


def commitment_detail(user: Any, c: Commitment) -> dict[str, Any]:
    evidence = list(c.evidence.all())
    today = timezone.localdate()
    return {
        "id": c.pk,
        "plan_id": c.plan_id,
        "title": c.title,
        "description": c.description,
        "pillar": c.pillar,
        "references": [
            {
                "code": r.code,
                "paragraph": r.paragraph,
                "label": reference_label(r.code, r.paragraph),
            }
            for r in c.references.all()
        ],
        "free_references": c.free_references,
        "self_status": c.self_status,
        "self_status_label": c.get_self_status_display(),
        "assessed_status_label": c.get_assessed_status_display() if c.assessed_status else "",
        "self_progress": c.self_progress,
        "self_note": c.self_note,
        "self_evidence": _evidence([e for e in evidence if e.assessment_id is None]),
        "assessed_status": c.assessed_status,
        "assessed_by": c.assessed_by.code if c.assessed_by else "",
        "assessment_requested_from": (
            c.assessment_requested_from.code if c.assessment_requested_from else ""
        ),
        "assessments": [
            {
                "id": a.pk,
                "assessor": a.assessor.code,
                "status": a.status,
                "note": a.note,
                "created_at": a.created_at,
                "evidence": _evidence([e for e in evidence if e.assessment_id == a.pk]),
            }
            for a in c.assessments.all()
        ],
        "milestones": [milestone_detail(m, today) for m in c.milestones.all()],
        "can_report": policy.can_edit_plan(user, c.plan),
        "is_implementer": policy.is_implementer(user, c),
        "can_assess": policy.can_assess(user, c),
    }


def plan_commitments(plan: ActionPlan) -> list[Commitment]:
    commitments = list(with_details(plan.commitments.all()))
    for c in commitments:
        c.plan = plan  # the plan is in hand: no query per commitment to read it again
    return commitments


def plan_detail(user: Any, plan: ActionPlan) -> dict[str, Any]:
    return {
        **plan_summary(plan),
        "summary": plan.summary,
        "shared_with": [o.code for o in plan.recipient_orgs.all()],
        "commitments": [commitment_detail(user, c) for c in plan_commitments(plan)],
        "can_edit": policy.can_edit_plan(user, plan),
    }


def needs_with_matches(qs: QuerySet[AssistanceNeed]) -> QuerySet[AssistanceNeed]:
    return qs.select_related("originator").prefetch_related(
        Prefetch("matches", queryset=Match.objects.select_related("offer__organisation"))
    )


def match_detail(m: Match) -> dict[str, Any]:
    return {
        "id": m.pk,
        "need_id": m.need_id,
        "offer_id": m.offer_id,
        "offered_by": m.offer.organisation.code,
        "offer_title": m.offer.title,
        "score": m.score,
        "status": m.status,
        "project_id": m.project_id,
    }


def need_detail(n: AssistanceNeed) -> dict[str, Any]:
    return {
        "id": n.pk,
        "state": n.originator.code,
        "topic": n.topic,
        "region": n.region,
        "languages": n.languages,
        "urgency": n.urgency,
        "title": n.title,
        "existing": n.existing,
        "status": n.status,
        "closing_report": n.closing_report,
        "matches": [match_detail(m) for m in n.matches.all()],
    }


def offer_detail(o: AssistanceOffer) -> dict[str, Any]:
    return {
        "id": o.pk,
        "organisation": o.organisation.code,
        "topic": o.topic,
        "regions": o.regions,
        "languages": o.languages,
        "title": o.title,
        "description": o.description,
    }
