"""The demo: eight national and two regional plans, every status, idempotent."""

from __future__ import annotations

from django.test import TestCase
from django.utils import timezone

from ctnet.coordination.demo import GROUPS, load_coordination_demo
from ctnet.coordination.models import (
    ActionPlan,
    AssistanceNeed,
    AssistanceOffer,
    Commitment,
    FollowUp,
    Match,
    Milestone,
    Status,
    WorkingGroup,
    WorkItem,
)
from ctnet.core.demo import load_demo_people


class DemoTests(TestCase):
    def test_demo_has_plans_at_every_status_and_loads_once(self) -> None:
        load_demo_people()
        self.assertEqual(load_coordination_demo(), 10)
        self.assertEqual(load_coordination_demo(), 0)
        self.assertEqual(ActionPlan.objects.filter(scope="national").count(), 8)
        self.assertEqual(ActionPlan.objects.filter(scope="regional").count(), 2)
        self.assertEqual(
            set(Commitment.objects.values_list("self_status", flat=True)),
            {Status.NOT_STARTED, Status.LIMITED, Status.SUBSTANTIAL, Status.COMPLETE},
        )
        self.assertEqual(
            set(
                Commitment.objects.exclude(assessed_status="").values_list(
                    "assessed_status", flat=True
                )
            ),
            set(Status.values),
        )
        self.assertTrue(Commitment.objects.filter(assessed_status="").exists())
        self.assertTrue(
            Milestone.objects.filter(done_at=None, due_date__lt=timezone.localdate()).exists()
        )
        self.assertEqual(AssistanceNeed.objects.count(), 3)
        self.assertEqual(AssistanceOffer.objects.count(), 4)
        self.assertTrue(Match.objects.filter(status="agreed").exists())
        self.assertTrue(Match.objects.filter(status="proposed").exists())
        # The Compact's working groups, each with a programme and meetings; follow-ups late and
        # done (INTERPOL reported one).
        self.assertEqual(WorkingGroup.objects.count(), len(GROUPS))
        for group in WorkingGroup.objects.all():
            self.assertTrue(group.work_items.exists(), group.name)
            self.assertEqual(group.meetings.count(), 2, group.name)
        follow_ups = FollowUp.objects.all()
        self.assertTrue(follow_ups.filter(status="done", responsible__code="INTERPOL").exists())
        late = follow_ups.filter(status="planned", due_date__lt=timezone.localdate())
        self.assertTrue(late.exists())
        self.assertEqual(
            set(WorkItem.objects.values_list("status", flat=True)),
            {"planned", "in_progress", "done"},
        )
