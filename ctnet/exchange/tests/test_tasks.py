from __future__ import annotations

from datetime import timedelta
from io import StringIO
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ctnet.core.models import AuditEvent, Role
from ctnet.exchange.models import Delivery
from ctnet.exchange.tests.helpers import ExchangeTestCase, person_data
from ctnet.testing.base import make_person


class OverdueTests(ExchangeTestCase):
    def test_overdue_flagged_once_to_both_sides_and_the_senders_coordinator(self) -> None:
        # An officer sends; the coordinator of the sending state must hear of the delay too.
        r = self.send(user=self.bob)
        answered = self.send(user=self.bob)
        answered.deliveries.update(status="answered")
        later = timezone.now() + timedelta(hours=9)
        mail.outbox.clear()
        with mock.patch("django.utils.timezone.now", return_value=later):
            with self.captureOnCommitCallbacks(execute=True):
                call_command("exchange_overdue", stdout=StringIO())
            rows = self.api("GET", "/exchange/requests?box=overdue", self.alice).json()
            self.assertEqual([row["request_id"] for row in rows["items"]], [r.pk])
            self.assertTrue(rows["items"][0]["overdue"])
            theirs = self.api("GET", "/exchange/requests?box=overdue", self.charlie).json()
            self.assertEqual(theirs["count"], 1)
        d = r.deliveries.get()
        self.assertIsNotNone(d.overdue_notified_at)
        told = {addr for m in mail.outbox for addr in m.to}
        self.assertTrue({"alice@example.org", "bob@example.org", "charlie@example.org"} <= told)
        self.assertNotIn("diego@example.org", told)
        self.assertNotIn(r.subject, " ".join(f"{m.subject} {m.body}" for m in mail.outbox))
        self.assertEqual(AuditEvent.objects.filter(action="exchange.request.overdue").count(), 1)
        # Once only.
        with (
            mock.patch("django.utils.timezone.now", return_value=later),
            self.captureOnCommitCallbacks(execute=True),
        ):
            call_command("exchange_overdue", "--now", stdout=StringIO())
        self.assertEqual(AuditEvent.objects.filter(action="exchange.request.overdue").count(), 1)

    def test_not_overdue_before_the_deadline(self) -> None:
        self.send()
        out = StringIO()
        call_command("exchange_overdue", "--now", stdout=out)
        self.assertIn("flagged 0", out.getvalue())
        self.assertFalse(Delivery.objects.exclude(overdue_notified_at=None).exists())


class NoticeTests(ExchangeTestCase):
    def test_sending_notifies_the_recipient_without_content(self) -> None:
        make_person("ken.officer", self.state_b, Role.OFFICER)
        with self.captureOnCommitCallbacks(execute=True):
            r = self.send()
        to = {addr for m in mail.outbox for addr in m.to}
        self.assertEqual(to, {"charlie@example.org", "ken.officer@example.org"})
        self.assertIn(f"/exchange/requests/{r.pk}/", mail.outbox[0].body)
        self.assertNotIn(r.subject, mail.outbox[0].body)


class PurgeCommandTests(ExchangeTestCase):
    def test_purge_command(self) -> None:
        r = self.send(people=[person_data()])
        later = timezone.now() + timedelta(days=400)
        out = StringIO()
        with mock.patch("django.utils.timezone.now", return_value=later):
            call_command("exchange_purge", stdout=out)
        self.assertIn("queued", out.getvalue())
        self.assertFalse(r.people.exists())
