from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from ctnet.core.models import AuditEvent, Notification
from ctnet.directory.models import ContactPoint, ReminderSent
from ctnet.directory.tasks import send_reconfirmation_reminders
from ctnet.directory.tests.helpers import make_contact
from ctnet.testing.base import CtnetTestCase


@override_settings(DIRECTORY_RECONFIRM_DAYS=180)
class ReminderTests(CtnetTestCase):
    def _run(self) -> int:
        with self.captureOnCommitCallbacks(execute=True):
            return send_reconfirmation_reminders.call()

    def test_thirty_and_seven_days_before_once_each(self) -> None:
        make_contact(self.state_a, "Fresh", age_days=10)
        month = make_contact(self.state_a, "Month", age_days=155)  # due in 25 days
        make_contact(self.state_b, "Gone stale", age_days=200)  # already stale: flagged, not mailed
        self.assertEqual(self._run(), 1)
        # The coordinator of its organisation (in the platform too) and the entry's own address.
        self.assertEqual(
            sorted(m.to for m in mail.outbox), [["alice@example.org"], ["month@example.gov"]]
        )
        for message in mail.outbox:
            self.assertIn("Month", message.subject)
            self.assertIn("30", message.subject)
        notice = Notification.objects.get(recipient=self.alice)
        self.assertEqual(
            (notice.kind, notice.link), ("directory.reconfirm", f"/directory/contacts/{month.pk}/")
        )
        self.assertEqual(self._run(), 0)  # nothing twice
        ContactPoint.objects.filter(pk=month.pk).update(
            last_confirmed_at=month.last_confirmed_at - timedelta(days=20)  # due in 5 days
        )
        self.assertEqual(self._run(), 1)
        self.assertIn("within 7 days", mail.outbox[2].subject)
        self.assertEqual(
            sorted(ReminderSent.objects.values_list("days_before", flat=True)), [7, 30]
        )
        self.assertEqual(AuditEvent.objects.filter(action="directory.reminder").count(), 2)

    def test_reconfirmation_starts_a_new_cycle(self) -> None:
        contact = make_contact(self.state_a, "Month", age_days=155)
        self.assertEqual(self._run(), 1)
        ContactPoint.objects.filter(pk=contact.pk).update(
            last_confirmed_at=contact.last_confirmed_at + timedelta(seconds=1)
        )
        self.assertEqual(self._run(), 1)

    def test_management_command_enqueues_the_task(self) -> None:
        make_contact(self.state_a, "Month", age_days=175)  # due in 5 days
        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("directory_reminders", stdout=out)
        self.assertIn("queued", out.getvalue())
        # Tests run tasks immediately: the reminder has gone out (coordinator, entry address).
        self.assertEqual(len(mail.outbox), 2)
        self.assertIn("within 7 days", mail.outbox[0].subject)


class DemoTests(CtnetTestCase):
    def test_demo_is_idempotent_and_covers_every_group(self) -> None:
        from ctnet.directory.demo import load_directory_demo

        created = load_directory_demo()
        self.assertGreater(created, 40)
        self.assertEqual(load_directory_demo(), 0)
        heads = ContactPoint.objects.filter(function="NATIONAL_COORDINATOR")
        self.assertGreaterEqual(heads.count(), 30)
        groups = set(heads.values_list("organisation__un_group", flat=True))
        self.assertEqual(len(groups), 5)
        self.assertTrue(any(c.is_stale for c in heads))
        self.assertTrue(heads.exclude(deputy=None).exists())
        route = self.api(
            "GET", "/directory/route?country=FRA&topic=terrorist-financing", self.charlie
        )
        self.assertEqual(route.status_code, 200)
        self.assertIsNotNone(route.json()["contact"])
