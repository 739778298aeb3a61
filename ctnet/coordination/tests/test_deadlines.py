"""The scheduled job: owners are told once about milestones due within the week."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from ctnet.coordination.models import Milestone
from ctnet.coordination.services.deadlines import notify_milestones_due
from ctnet.coordination.tests.helpers import commitment_data, plan_data
from ctnet.core.models import AuditEvent
from ctnet.testing.base import CtnetTestCase


class DeadlineTests(CtnetTestCase):
    def test_milestones_due_are_told_once(self) -> None:
        today = timezone.localdate()
        soon, later = today + timedelta(days=3), today + timedelta(days=30)
        milestones = [
            {"title": "Soon", "due_date": soon.isoformat()},
            {"title": "Later", "due_date": later.isoformat()},
        ]
        period = {
            "period_start": (today - timedelta(days=10)).isoformat(),
            "period_end": (today + timedelta(days=400)).isoformat(),
        }
        data = plan_data(commitments=[commitment_data(milestones=milestones)], **period)
        self.assertEqual(self.api("POST", "/coordination/plans", self.alice, data).status_code, 201)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(notify_milestones_due(), 1)
        self.assertEqual(len(mail.outbox), 2)  # alice and bob act for France
        self.assertNotIn("Soon", mail.outbox[0].body)  # no content in a mail
        self.assertEqual(Milestone.objects.get(title="Soon").due_notice_sent_on, today)
        self.assertIsNone(Milestone.objects.get(title="Later").due_notice_sent_on)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(notify_milestones_due(), 0)
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(AuditEvent.objects.filter(action="coordination.milestones_due").count(), 1)
