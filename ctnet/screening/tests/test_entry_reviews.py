"""Review dates act (issue 12, item 6): entries whose review date has come are listed for their
owner, who is reminded by e-mail (no names) and marks them reviewed; refusal paths."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ctnet.core.models import AuditEvent
from ctnet.screening.models import Entry
from ctnet.screening.reminders import send_review_reminders
from ctnet.screening.services import watchlists
from ctnet.screening.tests.helpers import NATIONAL_CSV, ScreeningTestCase


class EntryReviewTests(ScreeningTestCase):
    def setUp(self) -> None:
        super().setUp()
        # Shared with KEN: Charlie may screen against it, but it is not his to review.
        self.watchlist = self.national_list(recipients=(self.state_b,))
        self.today = timezone.localdate()
        Entry.objects.filter(ref="FRA-1").update(review_date=self.today - timedelta(days=3))
        Entry.objects.filter(ref="FRA-2").update(review_date=self.today)
        self.due = Entry.objects.get(ref="FRA-1")
        self.page = f"/screening/watchlists/{self.watchlist.pk}/review/"
        self.api_due = f"/screening/watchlists/{self.watchlist.pk}/entries/due"

    def test_owner_lists_due_entries(self) -> None:
        body = self.api("get", self.api_due, self.alice).json()
        self.assertEqual([e["ref"] for e in body["items"]], ["FRA-1", "FRA-2"])
        self.assertEqual(body["count"], 2)
        self.assertTrue(all(e["review_due"] for e in body["items"]))
        self.assertTrue(
            AuditEvent.objects.filter(
                action="core.read", detail__why__startswith="entries due"
            ).exists()
            or AuditEvent.objects.filter(detail__icontains="entries due").exists()
        )
        self.login(self.alice)
        page = self.client.get(self.page)
        self.assertContains(page, "FRA-1")
        self.assertContains(page, "FRA-2")
        self.assertNotContains(page, "FRA-3")
        # The list and its entries show what is due.
        listing = self.client.get(f"/screening/watchlists/{self.watchlist.pk}/")
        self.assertContains(listing, 'id="due-count"')
        self.assertContains(listing, "due for review", count=2)
        self.assertContains(self.client.get("/screening/watchlists/"), self.page)
        self.assertEqual(
            self.api("get", f"/screening/watchlists/{self.watchlist.pk}", self.alice).json()[
                "entries"
            ]["due_for_review"],
            2,
        )

    def test_refusals(self) -> None:
        entry_url = f"/screening/entries/{self.due.pk}/review"
        # Anonymous.
        self.assertEqual(self.api("get", self.api_due).status_code, 401)
        self.assertEqual(self.api("post", entry_url, data={}).status_code, 401)
        anonymous = self.client.get(self.page)
        self.assertEqual(anonymous.status_code, 302)
        # Outsider (may screen against the list, does not own it): 404 like a missing list.
        self.assertEqual(self.api("get", self.api_due, self.charlie).status_code, 404)
        self.assertEqual(self.api("post", entry_url, self.charlie, {}).status_code, 404)
        self.assertEqual(
            self.api("get", "/screening/watchlists/999999/entries/due", self.alice).status_code, 404
        )
        # Wrong role: an officer of the owner, civil society, oversight.
        for user in (self.bob, self.cso, self.olga):
            self.assertEqual(self.api("get", self.api_due, user).status_code, 403, user)
            self.assertEqual(self.api("post", entry_url, user, {}).status_code, 403, user)
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.page).status_code, 404)
        self.assertEqual(
            self.client.post(f"/screening/entries/{self.due.pk}/reviewed/").status_code, 404
        )
        self.login(self.bob)
        self.assertEqual(self.client.get(self.page).status_code, 403)
        self.assertEqual(
            self.client.post(f"/screening/entries/{self.due.pk}/reviewed/").status_code, 403
        )
        # Wrong method.
        self.login(self.alice)
        self.assertEqual(self.client.post(self.page).status_code, 405)
        self.assertEqual(
            self.client.get(f"/screening/entries/{self.due.pk}/reviewed/").status_code, 405
        )
        self.assertEqual(self.api("get", entry_url, self.alice).status_code, 405)
        self.assertEqual(self.api("delete", self.api_due, self.alice).status_code, 405)
        # Nothing was written.
        self.due.refresh_from_db()
        self.assertEqual(self.due.review_date, self.today - timedelta(days=3))
        self.assertFalse(AuditEvent.objects.filter(action="screening.entry.review").exists())

    def test_mark_reviewed(self) -> None:
        url = f"/screening/entries/{self.due.pk}/review"
        response = self.api("post", url, self.alice, {})
        self.assertEqual(response.status_code, 200, response.content)
        expected = self.today + timedelta(days=self.watchlist.review_days)
        self.assertEqual(response.json()["review_date"], expected.isoformat())
        self.assertFalse(response.json()["review_due"])
        event = AuditEvent.objects.get(action="screening.entry.review")
        self.assertEqual(event.detail["to"], expected.isoformat())
        self.assertNotIn("Yasin", str(event.detail))
        refs = [e["ref"] for e in self.api("get", self.api_due, self.alice).json()["items"]]
        self.assertEqual(refs, ["FRA-2"])
        # A chosen date, through the page.
        self.login(self.alice)
        chosen = self.today + timedelta(days=30)
        entry = Entry.objects.get(ref="FRA-2")
        response = self.client.post(
            f"/screening/entries/{entry.pk}/reviewed/", {"review_date": chosen.isoformat()}
        )
        self.assertRedirects(response, self.page)
        entry.refresh_from_db()
        self.assertEqual(entry.review_date, chosen)

    def test_bad_dates_are_refused_and_change_nothing(self) -> None:
        url = f"/screening/entries/{self.due.pk}/review"
        past = (self.today - timedelta(days=1)).isoformat()
        far = (self.today + timedelta(days=self.watchlist.review_days + 1)).isoformat()
        for value in (past, self.today.isoformat(), far):
            response = self.api("post", url, self.alice, {"review_date": value})
            self.assertEqual(response.status_code, 400, value)
            self.assertIn("next review date", response.json()["detail"])
        self.assertEqual(
            self.api("post", url, self.alice, {"review_date": "next year"}).status_code, 422
        )
        self.login(self.alice)
        page = self.client.post(
            f"/screening/entries/{self.due.pk}/reviewed/", {"review_date": past}
        )
        self.assertContains(page, "next review date", status_code=400)
        page = self.client.post(
            f"/screening/entries/{self.due.pk}/reviewed/", {"review_date": "31/31/2020"}
        )
        self.assertEqual(page.status_code, 400)
        self.due.refresh_from_db()
        self.assertEqual(self.due.review_date, self.today - timedelta(days=3))
        self.assertFalse(AuditEvent.objects.filter(action="screening.entry.review").exists())

    def test_a_delisted_entry_is_not_reviewed(self) -> None:
        without_first = "\n".join(
            line for line in NATIONAL_CSV.splitlines() if not line.startswith("FRA-1,")
        )
        watchlists.import_watchlist(
            acting_user=self.alice,
            watchlist=self.watchlist,
            data=(without_first + "\n").encode(),
            file_name="v2.csv",
        )
        response = self.api("post", f"/screening/entries/{self.due.pk}/review", self.alice, {})
        self.assertEqual(response.status_code, 400)
        self.assertIn("de-listed", response.json()["detail"])

    def test_an_import_re_confirms_the_entries_it_holds(self) -> None:
        watchlists.import_watchlist(
            acting_user=self.alice,
            watchlist=self.watchlist,
            data=NATIONAL_CSV.encode(),
            file_name="again.csv",
        )
        self.assertEqual(self.api("get", self.api_due, self.alice).json()["count"], 0)

    def test_reminders_go_to_the_owners_heads_without_names(self) -> None:
        sent = send_review_reminders.call()
        self.assertEqual(sent, 1)
        (message,) = mail.outbox
        self.assertEqual(message.to, [self.alice.email])  # not the officer, not KEN
        for secret in ("Yasin", "Benali", "FRA-1", "FRA-2"):
            self.assertNotIn(secret, f"{message.subject} {message.body}")
        self.assertIn("2", message.subject)
        self.assertIn("/screening/watchlists/", message.body)
        event = AuditEvent.objects.get(action="screening.review_reminders")
        self.assertEqual(event.detail["due"], {str(self.state_a.pk): 2})
        out = StringIO()
        call_command("screening_review_reminders", "--now", stdout=out)
        self.assertIn("sent 1", out.getvalue())
        out = StringIO()
        call_command("screening_review_reminders", stdout=out)
        self.assertIn("queued", out.getvalue())

    def test_nothing_due_sends_nothing(self) -> None:
        Entry.objects.update(review_date=self.today + timedelta(days=10))
        self.assertEqual(send_review_reminders.call(), 0)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(AuditEvent.objects.filter(action="screening.review_reminders").exists())
