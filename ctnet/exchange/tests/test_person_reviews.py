"""Person records due for review (DESIGN.md rule 3: the review date acts): the originator's due
list (page and API), marking reviewed, and the daily reminder without names."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ctnet.core.models import AuditEvent, Role
from ctnet.exchange.models import PersonRecord, Request
from ctnet.exchange.services import people
from ctnet.exchange.tasks import send_person_review_reminders
from ctnet.exchange.tests.helpers import ExchangeTestCase, person_data
from ctnet.testing.base import make_person

DUE = "/exchange/people/due"


class DueTestCase(ExchangeTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.today = timezone.localdate()
        self.request_obj: Request = self.send(
            people=[person_data(family_name="Duepersonson"), person_data(family_name="Laterby")]
        )
        self.due, self.later = self.request_obj.people.order_by("pk")
        PersonRecord.objects.filter(pk=self.due.pk).update(review_date=self.today)

    def release_copy(self) -> PersonRecord:
        """A copy on a released request, as an approved release makes it."""
        target = self.send(self.state_c)
        people.copy_people(acting_user=self.alice, source=self.request_obj, target=target)
        return PersonRecord.objects.get(copy_of=self.due)


class DueListTests(DueTestCase):
    def test_api_lists_own_due_originals_only_and_audits_ids(self) -> None:
        copy = self.release_copy()
        body = self.api("GET", DUE, self.bob).json()
        self.assertEqual(body["count"], 1)
        self.assertEqual([item["id"] for item in body["items"]], [self.due.pk])
        self.assertNotIn(copy.pk, [item["id"] for item in body["items"]])
        row = AuditEvent.objects.filter(action="read", object_type="exchange.personrecord").last()
        assert row is not None
        self.assertEqual(row.detail["records"], [self.due.pk])
        self.assertNotIn("Duepersonson", str(row.detail))

    def test_outsiders_see_none_of_another_organisations(self) -> None:
        for user in (self.charlie, self.diego, self.sam):
            body = self.api("GET", DUE, user).json()
            self.assertEqual(body, {"items": [], "count": 0})

    def test_wrong_role_403_anonymous_401_bounded_limit(self) -> None:
        for user in (self.olga, self.cso, self.pat):
            self.assertEqual(self.api("GET", DUE, user).status_code, 403)
        self.assertEqual(self.api("GET", DUE).status_code, 401)
        self.assertEqual(self.api("GET", f"{DUE}?limit=100000", self.alice).status_code, 422)

    def test_withdrawn_and_not_yet_due_are_not_listed(self) -> None:
        people.withdraw_person(acting_user=self.alice, record=self.due, reason="")
        self.assertEqual(self.api("GET", DUE, self.alice).json()["count"], 0)

    def test_page_and_inbox_link(self) -> None:
        self.login(self.bob)
        inbox = self.client.get(reverse("exchange"))
        self.assertContains(inbox, reverse("exchange-people-due"))
        self.assertContains(inbox, "1 person record of your organisation is due for review.")
        page = self.client.get(reverse("exchange-people-due"))
        self.assertContains(page, "Duepersonson")
        self.assertNotContains(page, "Laterby")
        self.assertEqual(self.client.post(reverse("exchange-people-due")).status_code, 405)

    def test_page_refusals(self) -> None:
        url = reverse("exchange-people-due")
        anonymous = self.client.get(url)
        self.assertEqual(anonymous.status_code, 302)
        self.login(self.olga)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.charlie)
        inbox = self.client.get(reverse("exchange"))
        self.assertNotContains(inbox, reverse("exchange-people-due"))
        self.assertNotContains(self.client.get(url), "Duepersonson")


class MarkReviewedTests(DueTestCase):
    def url(self, record: PersonRecord) -> str:
        return f"/exchange/people/{record.pk}/review"

    def test_default_moves_a_year_on_for_every_copy_audited(self) -> None:
        copy = self.release_copy()
        r = self.api("POST", self.url(self.due), self.bob, {})
        self.assertEqual(r.status_code, 200, r.content)
        expected = min(
            self.today + timedelta(days=people.DEFAULT_REVIEW_DAYS), self.due.retain_until
        )
        self.assertEqual(r.json()["review_date"], expected.isoformat())
        copy.refresh_from_db()
        self.assertEqual(copy.review_date, expected)
        row = AuditEvent.objects.get(action="exchange.person.review")
        self.assertEqual(
            row.detail,
            {
                "records": sorted([self.due.pk, copy.pk]),
                "from": self.today.isoformat(),
                "to": expected.isoformat(),
            },
        )
        self.assertEqual(self.api("GET", DUE, self.alice).json()["count"], 0)

    def test_chosen_date_and_legal_status_through_the_correction(self) -> None:
        chosen = self.today + timedelta(days=30)
        r = self.api(
            "POST",
            self.url(self.due),
            self.alice,
            {"review_date": chosen.isoformat(), "legal_status": "charged"},
        )
        self.assertEqual(r.status_code, 200, r.content)
        self.due.refresh_from_db()
        self.assertEqual((self.due.review_date, self.due.legal_status), (chosen, "charged"))
        self.assertTrue(AuditEvent.objects.filter(action="exchange.person.correct").exists())

    def test_beyond_retention_or_not_after_today_is_400_with_a_message(self) -> None:
        for day in (self.due.retain_until + timedelta(days=1), self.today):
            r = self.api("POST", self.url(self.due), self.alice, {"review_date": day.isoformat()})
            self.assertEqual(r.status_code, 400)
            self.assertIn("retention date", r.content.decode())
        self.due.refresh_from_db()
        self.assertEqual(self.due.review_date, self.today)
        self.assertFalse(AuditEvent.objects.filter(action="exchange.person.review").exists())

    def test_non_date_422_unknown_status_400(self) -> None:
        r = self.api("POST", self.url(self.due), self.alice, {"review_date": "next week"})
        self.assertEqual(r.status_code, 422)
        r = self.api("POST", self.url(self.due), self.alice, {"legal_status": "guilty"})
        self.assertEqual(r.status_code, 400)

    def test_refusals(self) -> None:
        copy = self.release_copy()
        # A recipient who reads the record may not review it: 403, as for a correction.
        self.assertEqual(self.api("POST", self.url(self.due), self.charlie, {}).status_code, 403)
        self.assertEqual(self.api("POST", self.url(copy), self.diego, {}).status_code, 403)
        # The originator is told to review the original, which the copy follows.
        r = self.api("POST", self.url(copy), self.alice, {})
        self.assertEqual(r.status_code, 400)
        self.assertIn("original", r.content.decode())
        # A record nobody may see, or none at all: 404, audited.
        missing = self.url(self.due).replace(f"/{self.due.pk}/", "/999999/")
        self.assertEqual(self.api("POST", missing, self.alice, {}).status_code, 404)
        self.assertTrue(AuditEvent.objects.filter(action="exchange.denied").exists())
        self.assertEqual(self.api("POST", self.url(self.due), self.olga, {}).status_code, 403)
        self.assertEqual(self.api("POST", self.url(self.due), None, {}).status_code, 401)
        self.assertEqual(self.api("GET", self.url(self.due), self.alice).status_code, 405)
        self.assertFalse(AuditEvent.objects.filter(action="exchange.person.review").exists())

    def test_page_marks_reviewed_and_shows_refusal(self) -> None:
        self.login(self.alice)
        url = reverse("exchange-person-review", args=[self.due.pk])
        bad = self.client.post(url, {"review_date": "2999-01-01"})
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "retention date", status_code=400)
        ok = self.client.post(url, {"review_date": "", "legal_status": ""})
        self.assertRedirects(ok, reverse("exchange-people-due"))
        self.due.refresh_from_db()
        self.assertGreater(self.due.review_date, self.today)
        self.assertEqual(self.client.get(url).status_code, 405)
        self.login(self.charlie)  # reads the record as a recipient, may not review it
        self.assertEqual(self.client.post(url, {}).status_code, 403)


class ReminderTests(DueTestCase):
    def test_heads_get_a_count_and_link_without_names(self) -> None:
        make_person("ken.head", self.state_b, Role.NATIONAL_COORDINATOR)
        mail.outbox.clear()
        sent = send_person_review_reminders.call()
        self.assertEqual(sent, 1)
        (message,) = mail.outbox
        self.assertEqual(message.to, ["alice@example.org"])  # the head, not the officer
        text = f"{message.subject} {message.body}"
        self.assertIn(reverse("exchange-people-due"), text)
        self.assertIn("1 person record", text)
        for content in (
            "Duepersonson",
            "Laterby",
            "Jordan",
            "X123456",
            f"#{self.due.pk}",
            f"/{self.due.pk}/",
        ):
            self.assertNotIn(content, text)
        row = AuditEvent.objects.get(action="exchange.person.review_reminders")
        self.assertEqual(row.detail, {"due": {str(self.state_a.pk): 1}, "mails": 1})

    def test_nothing_due_nothing_sent(self) -> None:
        PersonRecord.objects.update(review_date=date.max)
        mail.outbox.clear()
        self.assertEqual(send_person_review_reminders.call(), 0)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(AuditEvent.objects.filter(action="exchange.person.review_reminders"))

    def test_command_runs_now_or_queues(self) -> None:
        out = StringIO()
        call_command("exchange_review_reminders", "--now", stdout=out)
        self.assertIn("sent 1 reminder(s)", out.getvalue())
        out = StringIO()
        call_command("exchange_review_reminders", stdout=out)
        self.assertIn("queued", out.getvalue())
