"""What waits in monitoring (``waiting.py``): counts per role on the home page, the filtered
lists they link to, a home page whose query count does not grow; and every notice through
core's ``notify`` (in the platform, and by e-mail as each person chose)."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ctnet.core.capabilities import waiting_for
from ctnet.core.models import NoticeEmail, Notification
from ctnet.monitoring import notices
from ctnet.monitoring.tests.helpers import MonitoringTestCase

APPROVE = "Project updates to approve"
RETURNED = "Project updates returned to you"
DUE = "Project reports due"
LATE = "Project reports late"
KINDS = {APPROVE, RETURNED, DUE, LATE}


def counts(user: object) -> dict[str, int]:
    return {str(w.label): w.number for w in waiting_for(user) if str(w.label) in KINDS}


class WaitingTests(MonitoringTestCase):
    def setUp(self) -> None:
        super().setUp()
        today = timezone.localdate()
        self.project = self.make_project()
        indicator = self.make_indicator(self.project["id"], dimensions={})
        self.indicator = indicator
        # Long past its end (late), ended last week (due), still running (neither).
        self.late = self.make_period(indicator["id"], start="2025-01-01", end="2025-03-31")
        recent = today - timedelta(days=5)
        self.due = self.make_period(
            indicator["id"], start=str(recent - timedelta(days=90)), end=str(recent)
        )
        self.make_period(
            indicator["id"], start=str(recent + timedelta(days=1)), end=str(today + timedelta(90))
        )

    def draft(self, user, period) -> int:
        body = self.ok("POST", f"/monitoring/periods/{period['id']}/updates", user, {"value": "9"})
        return body["id"]

    def submit(self, user, period) -> int:
        uid = self.draft(user, period)
        self.ok("POST", f"/monitoring/updates/{uid}/submit", user, status=200)
        return uid

    def test_each_role_counts_its_own_work(self) -> None:
        # The owner's heads approve and report; the implementing partner's coordinator reports.
        self.assertEqual(counts(self.sam), {APPROVE: 0, RETURNED: 0, DUE: 1, LATE: 1})
        self.assertEqual(counts(self.charlie), {RETURNED: 0, DUE: 1, LATE: 1})
        # France neither owns nor implements the project (and does not see it: AMBER).
        self.assertEqual(counts(self.alice), {RETURNED: 0, DUE: 0, LATE: 0})
        self.assertEqual(counts(self.bob), {RETURNED: 0, DUE: 0, LATE: 0})
        # Oversight reads no content: nothing of monitoring waits for it.
        self.assertEqual(counts(self.olga), {})

    def test_four_eyes_returned_and_approved(self) -> None:
        by_charlie = self.submit(self.charlie, self.late)
        by_sam = self.submit(self.sam, self.due)
        # Each head sees what the other submitted, never their own submission.
        self.assertEqual(counts(self.sam)[APPROVE], 1)
        self.assertEqual(counts(self.una)[APPROVE], 2)
        self.ok(
            "POST",
            f"/monitoring/updates/{by_charlie}/return",
            self.sam,
            {"comment": "Add the evidence."},
            status=200,
        )
        self.assertEqual(counts(self.charlie)[RETURNED], 1)
        self.assertEqual(counts(self.sam)[RETURNED], 0)  # returned to its submitter only
        self.assertEqual(counts(self.una)[APPROVE], 1)
        self.ok("POST", f"/monitoring/updates/{by_sam}/approve", self.una, {}, status=200)
        # The due period now has its approved actual; the late one still waits.
        self.assertEqual(counts(self.charlie), {RETURNED: 1, DUE: 0, LATE: 1})
        self.assertEqual(counts(self.una)[APPROVE], 0)

    def test_counts_link_to_lists_of_exactly_those(self) -> None:
        uid = self.submit(self.charlie, self.late)
        self.login(self.una)
        home = self.client.get("/")
        self.assertContains(
            home,
            '<a href="/monitoring/due/?show=approve"><span class="count">1</span> '
            "Project updates to approve",
        )
        listed = self.client.get("/monitoring/due/?show=approve")
        self.assertContains(listed, f'href="/monitoring/updates/{uid}/"')
        self.assertNotContains(listed, 'id="due"')  # only the list asked for
        late = self.client.get("/monitoring/due/?show=late")
        self.assertContains(late, f"/monitoring/periods/{self.late['id']}/report/")
        self.assertNotContains(late, f"/monitoring/periods/{self.due['id']}/report/")
        self.assertNotContains(late, 'id="waiting"')
        due = self.client.get("/monitoring/due/?show=due")
        self.assertContains(due, f"/monitoring/periods/{self.due['id']}/report/")
        self.assertNotContains(due, f"/monitoring/periods/{self.late['id']}/report/")
        # An unknown filter shows everything rather than nothing.
        every = self.client.get("/monitoring/due/?show=nonsense")
        self.assertContains(every, 'id="waiting"')
        self.assertContains(every, 'id="due"')
        self.client.logout()
        self.login(self.charlie)  # a partner reports, never approves: no such list for them
        self.assertNotContains(self.client.get("/monitoring/due/"), 'id="waiting"')

    def test_home_query_count_does_not_grow_with_the_data(self) -> None:
        self.login(self.una)

        def home() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get("/").status_code, 200)
            return len(ctx.captured_queries)

        before = home()
        for n in range(3):
            made = self.make_project(iati_identifier=f"XI-CTNET-UNOCT-W{n}")
            indicator = self.make_indicator(made["id"], dimensions={})
            period = self.make_period(indicator["id"])
            self.make_period(indicator["id"], start="2025-04-01", end="2025-06-30")
            self.submit(self.sam, period)
        self.assertEqual(counts(self.una)[APPROVE], 3)
        self.assertEqual(home(), before)


class NoticeTests(MonitoringTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.project = self.make_project()
        indicator = self.make_indicator(self.project["id"], dimensions={})
        self.period = self.make_period(indicator["id"])

    def test_submitted_update_is_a_notice_to_the_other_heads(self) -> None:
        self.una.notice_email = NoticeEmail.NONE
        self.una.save(update_fields=["notice_email"])
        uid = self.ok(
            "POST", f"/monitoring/periods/{self.period['id']}/updates", self.sam, {"value": "9"}
        )["id"]
        with self.captureOnCommitCallbacks(execute=True):
            self.ok("POST", f"/monitoring/updates/{uid}/submit", self.sam, status=200)
        notice = Notification.objects.get(kind="monitoring.update_to_approve")
        self.assertEqual(notice.recipient, self.una)  # never the submitter: four eyes
        self.assertEqual(notice.link, f"/monitoring/updates/{uid}/")
        self.assertNotIn(self.project["title"], notice.title + notice.body)
        self.assertEqual(mail.outbox, [])  # una reads her notices in the platform only
        with self.captureOnCommitCallbacks(execute=True):
            self.ok(
                "POST",
                f"/monitoring/updates/{uid}/return",
                self.una,
                {"comment": "Why nine?"},
                status=200,
            )
        returned = Notification.objects.get(kind="monitoring.update_returned")
        self.assertEqual(returned.recipient, self.sam)
        self.assertNotIn("Why nine?", returned.title + returned.body)
        self.assertEqual([m.to for m in mail.outbox], [["sam@example.org"]])
        self.assertIsNotNone(returned.emailed_at)

    def test_reports_due_reach_the_owners_reporters(self) -> None:
        sent = notices.send_reports_due.call()
        reached = set(
            Notification.objects.filter(kind="monitoring.reports_due").values_list(
                "recipient__username", flat=True
            )
        )
        # The owner's reporters (the period ended long ago and has no approved report).
        self.assertEqual(reached, {"sam", "una"})
        self.assertEqual(sent, 2)
        notice = Notification.objects.filter(kind="monitoring.reports_due").first()
        assert notice is not None
        self.assertEqual(notice.link, "/monitoring/due/")
        self.assertIn("1 period", notice.body)
