"""Milestones coming due: the owners are told once per milestone, a week ahead."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ctnet.coordination import notices
from ctnet.coordination.models import Milestone
from ctnet.core import audit

DUE_WITHIN_DAYS = 7


def notify_milestones_due() -> int:
    """One notice per plan with milestones due within ``DUE_WITHIN_DAYS`` and not yet told."""
    today = timezone.localdate()
    with transaction.atomic():
        due = list(
            Milestone.objects.select_for_update()
            .filter(
                done_at=None,
                due_notice_sent_on=None,
                due_date__gte=today,
                due_date__lte=today + timedelta(days=DUE_WITHIN_DAYS),
            )
            .values_list("pk", "commitment__plan_id", "commitment__plan__originator_id")
        )
        if not due:
            return 0
        Milestone.objects.filter(pk__in=[pk for pk, _plan, _org in due]).update(
            due_notice_sent_on=today
        )
        plans = {plan_id: org_id for _pk, plan_id, org_id in due}
        for plan_id, org_id in sorted(plans.items()):
            notices.queue("milestones_due", [org_id], notices.plan_path(plan_id))
        audit.record(
            "coordination.milestones_due",
            object_type="coordination.milestone",
            detail={"milestones": len(due), "plans": len(plans)},
        )
    return len(plans)
