"""What waits in coordination (home page and menu badge), notices in the platform, the
organisation pickers of the forms, and labels and bidi isolation on the pages."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ctnet.coordination.models import ActionPlan, Milestone
from ctnet.coordination.tests.helpers import plan_data
from ctnet.core.capabilities import waiting_for
from ctnet.core.models import NoticeEmail, Notification, OrgKind, Role
from ctnet.testing.base import CtnetTestCase, make_org, make_person

NEED = {
    "topic": "border-security",
    "urgency": "high",
    "languages": ["en", "fr"],
    "title": "Training of border guards in document checks",
}
ASSESS = "Plans with an assessment asked of your organisation"
LATE = "Milestones of your plans late"
DUE = "Milestones of your plans due within a week"
ACCEPT = "Needs with an offer to accept"
# Working groups: every role that acts for its organisation in coordination (tested in test_groups).
FOLLOW = "Working-group follow-ups of your organisation late"


class WaitingTests(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.unodc = make_org("UNODC", OrgKind.UN_ENTITY)
        cls.ursula = make_person("ursula", cls.unodc, Role.ENTITY_FOCAL_POINT)

    def setUp(self) -> None:
        super().setUp()
        self.plan = self.record_plan("National counter-terrorism action plan 2025-2027")

    def record_plan(self, title: str) -> dict:
        """A plan of France whose two milestones (2025-06-30, 2026-06-30) are late, and one
        more due in three days."""
        plan = self.api("POST", "/coordination/plans", self.alice, plan_data(title=title)).json()
        cid = plan["commitments"][0]["id"]
        Milestone.objects.create(
            commitment_id=cid, title="Due soon", due_date=timezone.localdate() + timedelta(days=3)
        )
        return plan

    def counts(self, user) -> dict[str, int]:
        user.forget_membership()
        return {str(w.label): w.number for w in waiting_for(user) if w.menu == "coordination"}

    def ask_assessment(self, plan: dict, code: str = "KEN") -> None:
        cid = plan["commitments"][0]["id"]
        path = f"/coordination/commitments/{cid}/assessment-request"
        with self.captureOnCommitCallbacks(execute=True):
            response = self.api("POST", path, self.alice, {"assessor": code})
        self.assertEqual(response.status_code, 200, response.content)

    def need_with_offer(self) -> dict:
        self.api(
            "POST",
            "/coordination/offers",
            self.ursula,
            {"topic": "border-security", "languages": ["fr"], "title": "Document checks course"},
        )
        return self.api("POST", "/coordination/needs", self.alice, NEED).json()

    def test_counts_per_role(self) -> None:
        self.assertEqual(
            self.counts(self.alice), {ASSESS: 0, LATE: 2, DUE: 1, ACCEPT: 0, FOLLOW: 0}
        )
        self.assertEqual(
            self.counts(self.charlie), {ASSESS: 0, LATE: 0, DUE: 0, ACCEPT: 0, FOLLOW: 0}
        )
        self.ask_assessment(self.plan)
        need = self.need_with_offer()
        self.assertEqual(self.counts(self.charlie)[ASSESS], 1)
        self.assertEqual(
            self.counts(self.alice), {ASSESS: 0, LATE: 2, DUE: 1, ACCEPT: 1, FOLLOW: 0}
        )
        # An officer authors plans and accepts offers, but does not assess for the state.
        self.assertEqual(self.counts(self.bob), {LATE: 2, DUE: 1, ACCEPT: 1, FOLLOW: 0})
        # A Compact entity's focal point assesses; it neither authors plans nor records needs.
        self.assertEqual(self.counts(self.ursula), {ASSESS: 0, FOLLOW: 0})
        self.assertEqual(self.counts(self.olga), {})
        # Done work stops waiting: an assessment recorded, a milestone done, a match accepted.
        cid = self.plan["commitments"][0]["id"]
        self.api(
            "POST",
            f"/coordination/commitments/{cid}/assessments",
            self.charlie,
            {"status": "limited", "note": "Draft seen"},
        )
        Milestone.objects.filter(title="Due soon").update(done_at=timezone.localdate())
        self.api("POST", f"/coordination/matches/{need['matches'][0]['id']}/accept", self.bob)
        self.assertEqual(self.counts(self.charlie)[ASSESS], 0)
        self.assertEqual(
            self.counts(self.alice), {ASSESS: 0, LATE: 2, DUE: 0, ACCEPT: 0, FOLLOW: 0}
        )

    def test_the_counts_link_to_lists_of_exactly_those(self) -> None:
        self.ask_assessment(self.plan)
        other = self.record_plan("Second plan, not asked")
        self.need_with_offer()
        links = {str(w.label): w.url for w in waiting_for(self.charlie)}
        kenya = self.login(self.charlie, Client())
        page = kenya.get(links[ASSESS])
        self.assertContains(page, self.plan["title"])
        self.assertNotContains(page, other["title"])
        self.login(self.alice)
        links = {str(w.label): w.url for w in waiting_for(self.alice)}
        due = self.client.get(links[DUE])
        self.assertContains(due, "Due soon", count=2)  # one per plan
        self.assertNotContains(due, "Law adopted")
        late = self.client.get(links[LATE])
        self.assertContains(late, "Law adopted", count=2)
        self.assertNotContains(late, "Due soon")
        needs = self.client.get(links[ACCEPT])
        self.assertContains(needs, NEED["title"])
        self.assertContains(needs, "Accept")
        # Someone else's state: nothing of France's is listed as waiting for Kenya.
        self.assertNotContains(kenya.get(links[ACCEPT]), NEED["title"])
        self.assertNotContains(kenya.get(links[DUE]), "Due soon")

    def test_home_page_queries_do_not_grow_with_the_data(self) -> None:
        self.login(self.alice)
        self.client.get("/")
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get("/").status_code, 200)
        for n in range(3):
            plan = self.record_plan(f"More plans {n}")
            self.ask_assessment(plan, "UNODC")
        self.need_with_offer()
        with CaptureQueriesContext(connection) as many:
            page = self.client.get("/")
        self.assertContains(page, LATE)
        self.assertEqual(len(many), len(few))


class NoticeTests(CtnetTestCase):
    def test_a_notice_is_in_the_platform_and_mailed_as_each_chose(self) -> None:
        kofi = make_person("kofi", self.state_b, Role.OFFICER)
        kofi.notice_email = NoticeEmail.DIGEST
        kofi.save(update_fields=["notice_email"])
        plan = self.api("POST", "/coordination/plans", self.alice, plan_data()).json()
        cid = plan["commitments"][0]["id"]
        path = f"/coordination/commitments/{cid}/assessment-request"
        with self.captureOnCommitCallbacks(execute=True):
            self.api("POST", path, self.alice, {"assessor": "KEN"})
        rows = Notification.objects.filter(kind="coordination.assessment_requested")
        self.assertEqual(
            sorted(rows.values_list("recipient__username", flat=True)), ["charlie", "kofi"]
        )
        self.assertEqual({n.link for n in rows}, {f"/coordination/plans/{plan['id']}/"})
        self.assertEqual([m.to for m in mail.outbox], [["charlie@example.org"]])  # kofi: digest
        for notice in rows:
            self.assertNotIn("passenger", notice.body.lower())  # no plan content


class FormTests(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.unodc = make_org("UNODC", OrgKind.UN_ENTITY)

    def test_plan_shared_through_the_picker(self) -> None:
        self.login(self.alice)
        form = self.client.get("/coordination/plans/new/")
        self.assertContains(form, "<fieldset>", count=3)
        data = {
            "title": "Shared plan",
            "focus": "ct",
            "period_start": "2025-01-01",
            "period_end": "2027-12-31",
            "visibility": "shared",
            "shared_with": [str(self.unodc.pk)],
        }
        bad = self.client.post("/coordination/plans/new/", {**data, "shared_with": ["999999"]})
        self.assertEqual(bad.status_code, 400)
        self.assertFalse(ActionPlan.objects.exists())
        response = self.client.post("/coordination/plans/new/", data)
        self.assertEqual(response.status_code, 302, response.content[:500])
        plan = ActionPlan.objects.get()
        self.assertEqual([o.code for o in plan.recipient_orgs.all()], ["UNODC"])

    def test_responsible_organisations_are_the_owner_or_its_supporters(self) -> None:
        plan = self.api("POST", "/coordination/plans", self.alice, plan_data()).json()
        cid = plan["commitments"][0]["id"]
        self.login(self.alice)
        url = f"/coordination/commitments/{cid}/milestones/"
        base = {"title": "Centre opened", "due_date": "2026-03-01"}
        refused = self.client.post(url, {**base, "responsible": [str(self.cso_org.pk)]})
        self.assertEqual(refused.status_code, 400)
        self.assertFalse(Milestone.objects.filter(title="Centre opened").exists())
        ok = self.client.post(
            url, {**base, "responsible": [str(self.unodc.pk), str(self.state_a.pk)]}
        )
        self.assertEqual(ok.status_code, 302)
        found = Milestone.objects.get(title="Centre opened")
        self.assertEqual(sorted(o.code for o in found.responsible_orgs.all()), ["FRA", "UNODC"])

    def test_plan_page_shows_labels_and_isolates_periods_and_text(self) -> None:
        plan = self.api("POST", "/coordination/plans", self.alice, plan_data()).json()
        self.alice.preferred_language = "ar"
        self.alice.save(update_fields=["preferred_language"])
        self.login(self.alice)
        page = self.client.get(f"/coordination/plans/{plan['id']}/", HTTP_ACCEPT_LANGUAGE="ar")
        html = page.content.decode()
        self.assertIn('<bdi dir="ltr" class="period">', html)
        self.assertIn(f'<h1 dir="auto">{plan["title"]}</h1>', html)
        self.assertIn('<bdi dir="ltr" class="tlp">TLP:GREEN</bdi>', html)
        self.assertNotIn(">not_started<", html)
        self.assertNotIn(">ct<", html)
