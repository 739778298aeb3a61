"""The coordination pages: record a plan, add a commitment, report, assess; refusals."""

from __future__ import annotations

from ctnet.coordination.models import ActionPlan, Assessment, Commitment
from ctnet.coordination.tests.helpers import plan_data
from ctnet.core.models import OrgKind, Role
from ctnet.testing.base import CtnetTestCase, make_org, make_person

PLAN_FORM = {
    "title": "National PVE plan",
    "focus": "pve",
    "pillars": ["I", "IV"],
    "period_start": "2025-01-01",
    "period_end": "2027-12-31",
    "visibility": "network",
}


class PageTests(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.unodc = make_org("UNODC", OrgKind.UN_ENTITY)
        cls.ursula = make_person("ursula", cls.unodc, Role.ENTITY_FOCAL_POINT)

    def test_anonymous_is_sent_to_sign_in(self) -> None:
        response = self.client.get("/coordination/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])

    def test_record_a_plan_then_a_commitment_then_progress(self) -> None:
        self.login(self.alice)
        self.assertContains(self.client.get("/coordination/"), "Record an action plan")
        response = self.client.post("/coordination/plans/new/", PLAN_FORM)
        self.assertEqual(response.status_code, 302, response.content[:500])
        plan = ActionPlan.objects.get()
        self.assertEqual((plan.focus, plan.pillars, plan.tlp), ("pve", ["I", "IV"], "GREEN"))
        response = self.client.post(
            f"/coordination/plans/{plan.pk}/commitments/",
            {
                "title": "Community resilience programme",
                "pillar": "I",
                "references": ["UNSCR-2178:16", "GCTS-I"],
                "free_references": "Regional strategy",
            },
        )
        self.assertEqual(response.status_code, 302)
        commitment = Commitment.objects.get()
        self.assertEqual(
            sorted(commitment.references.values_list("code", "paragraph")),
            [("GCTS-I", ""), ("UNSCR-2178", "16")],
        )
        bad = self.client.post(
            f"/coordination/commitments/{commitment.pk}/milestones/",
            {"title": "Outside", "due_date": "2030-01-01"},
        )
        self.assertContains(bad, "outside the plan", status_code=400)
        done = self.client.post(
            f"/coordination/commitments/{commitment.pk}/progress/",
            {"status": "complete", "progress": "100"},
        )
        self.assertContains(done, "only with evidence", status_code=400)
        ok = self.client.post(
            f"/coordination/commitments/{commitment.pk}/progress/",
            {"status": "limited", "progress": "30", "note": "Pilot in two cities"},
        )
        self.assertEqual(ok.status_code, 302)
        page = self.client.get(f"/coordination/plans/{plan.pk}/")
        self.assertContains(page, "Pilot in two cities")
        self.assertNotContains(page, "Assess independently")

    def test_form_errors_are_400_and_write_nothing(self) -> None:
        self.login(self.alice)
        bad = {**PLAN_FORM, "period_end": "2024-01-01"}
        self.assertContains(
            self.client.post("/coordination/plans/new/", bad), "ends before", status_code=400
        )
        self.assertEqual(ActionPlan.objects.count(), 0)

    def test_wrong_role_and_outsider(self) -> None:
        plan = self.api(
            "POST", "/coordination/plans", self.alice, plan_data(visibility="private")
        ).json()
        self.login(self.ursula)
        self.assertEqual(self.client.get("/coordination/plans/new/").status_code, 403)
        self.assertEqual(self.client.get(f"/coordination/plans/{plan['id']}/").status_code, 404)
        self.login(self.olga)
        self.assertEqual(self.client.get("/coordination/").status_code, 403)
        self.login(self.charlie)
        cid = plan["commitments"][0]["id"]
        self.assertEqual(
            self.client.post(
                f"/coordination/commitments/{cid}/assess/", {"status": "limited"}
            ).status_code,
            404,
        )
        self.assertEqual(self.client.get("/coordination/plans/new/", {}).status_code, 200)
        self.assertEqual(self.client.put("/coordination/plans/new/").status_code, 405)

    def test_assessor_assesses_on_the_page_and_the_implementer_is_refused(self) -> None:
        plan = self.api("POST", "/coordination/plans", self.alice, plan_data()).json()
        cid = plan["commitments"][0]["id"]
        self.login(self.alice)
        self.assertEqual(
            self.client.post(
                f"/coordination/commitments/{cid}/assess/", {"status": "limited"}
            ).status_code,
            403,
        )
        self.login(self.charlie)
        page = self.client.get(f"/coordination/plans/{plan['id']}/")
        self.assertContains(page, "Assess independently")
        response = self.client.post(
            f"/coordination/commitments/{cid}/assess/", {"status": "limited", "note": "Law drafted"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Assessment.objects.get().assessor, self.state_b)

    def test_the_owner_asks_for_an_assessment_on_the_page(self) -> None:
        from django.core import mail

        from ctnet.core.models import Notification

        plan = self.api("POST", "/coordination/plans", self.alice, plan_data()).json()
        cid = plan["commitments"][0]["id"]
        url = f"/coordination/plans/{plan['id']}/assessment-request/"
        self.login(self.alice)
        page = self.client.get(f"/coordination/plans/{plan['id']}/")
        self.assertContains(page, "Ask for an independent assessment")
        # The implementer (France itself) is refused with the reason; nothing is asked.
        bad = self.client.post(url, {"commitment": cid, "assessor": self.state_a.pk})
        self.assertContains(bad, "independent", status_code=400)
        self.assertIsNone(Commitment.objects.get(pk=cid).assessment_requested_from)
        bad = self.client.post(url, {"commitment": 999999, "assessor": self.state_b.pk})
        self.assertEqual(bad.status_code, 400)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {"commitment": cid, "assessor": self.state_b.pk})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Commitment.objects.get(pk=cid).assessment_requested_from, self.state_b)
        self.assertTrue(
            Notification.objects.filter(
                kind="coordination.assessment_requested", recipient=self.charlie
            ).exists()
        )
        self.assertContains(
            self.client.get(f"/coordination/plans/{plan['id']}/"), "assessment is asked of KEN"
        )
        del mail.outbox[:]
        # Another state reads the plan but may not ask on its behalf; it is not offered the form.
        self.login(self.charlie)
        self.assertNotContains(
            self.client.get(f"/coordination/plans/{plan['id']}/"), "Ask for an independent"
        )
        refused = self.client.post(url, {"commitment": cid, "assessor": self.state_b.pk})
        self.assertEqual(refused.status_code, 403)

    def test_the_owner_edits_the_plan_and_who_may_read_it(self) -> None:
        from ctnet.core.models import AuditEvent

        plan = self.api("POST", "/coordination/plans", self.alice, plan_data()).json()
        url = f"/coordination/plans/{plan['id']}/edit/"
        # Kenya reads the network-wide plan but may not edit it; the secretariat neither.
        self.login(self.charlie)
        self.assertNotContains(self.client.get(f"/coordination/plans/{plan['id']}/"), url)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.alice)
        form = self.client.get(url)
        self.assertContains(form, 'value="network" selected')
        data = {**PLAN_FORM, "title": "Revised plan", "visibility": "private"}
        # A period that would leave a milestone out: refused, nothing changed.
        bad = self.client.post(
            url, {**data, "period_start": "2030-01-01", "period_end": "2031-12-31"}
        )
        self.assertContains(bad, "outside the new period", status_code=400)
        self.assertEqual(ActionPlan.objects.get().title, plan["title"])
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.content[:2000])
        saved = ActionPlan.objects.get()
        self.assertEqual(
            (saved.title, saved.visibility, saved.tlp), ("Revised plan", "private", "AMBER+STRICT")
        )
        self.assertEqual(
            set(saved.recipient_orgs.values_list("code", flat=True)), {"UNOCT"}
        )  # the secretariat's office
        event = AuditEvent.objects.get(action="coordination.plan_updated")
        self.assertEqual(event.detail["visibility"], ["network", "private"])
        self.assertIn("title", event.detail["fields"])
        # Private now: Kenya no longer reads it.
        self.assertEqual(
            self.api("GET", f"/coordination/plans/{plan['id']}", self.charlie).status_code, 404
        )
        # The API corrects one field and keeps the rest; a shared plan must name its readers.
        patched = self.api(
            "PATCH", f"/coordination/plans/{plan['id']}", self.alice, {"summary": "Updated"}
        )
        self.assertEqual(patched.status_code, 200, patched.content)
        self.assertEqual(
            (patched.json()["summary"], patched.json()["title"]), ("Updated", "Revised plan")
        )
        shared = self.api(
            "PATCH", f"/coordination/plans/{plan['id']}", self.alice, {"visibility": "shared"}
        )
        self.assertEqual(shared.status_code, 400)
        self.assertEqual(ActionPlan.objects.get().visibility, "private")
        self.assertEqual(
            self.api(
                "PATCH", f"/coordination/plans/{plan['id']}", self.sam, {"summary": "x"}
            ).status_code,
            403,
        )

    def test_the_owner_corrects_a_commitment(self) -> None:
        from ctnet.core.models import AuditEvent

        plan = self.api("POST", "/coordination/plans", self.alice, plan_data()).json()
        cid = plan["commitments"][0]["id"]
        url = f"/coordination/commitments/{cid}/edit/"
        self.login(self.charlie)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.alice)
        self.assertContains(self.client.get(f"/coordination/plans/{plan['id']}/"), url)
        form = self.client.get(url)
        self.assertContains(form, plan["commitments"][0]["title"])
        bad = self.client.post(url, {"title": "", "references": ["UNSCR-2396:13"]})
        self.assertEqual(bad.status_code, 400)
        response = self.client.post(
            url,
            {"title": "Watch lists, revised", "pillar": "II", "references": ["UNSCR-2178:6"]},
        )
        self.assertEqual(response.status_code, 302)
        commitment = Commitment.objects.get(pk=cid)
        self.assertEqual(commitment.title, "Watch lists, revised")
        self.assertEqual(
            list(commitment.references.values_list("code", "paragraph")), [("UNSCR-2178", "6")]
        )
        self.assertTrue(commitment.milestones.exists())  # milestones stay
        self.assertTrue(
            AuditEvent.objects.filter(action="coordination.commitment_updated").exists()
        )
        # The API keeps what is left out; an unknown paragraph is refused, nothing changed.
        path = f"/coordination/commitments/{cid}"
        ok = self.api("PATCH", path, self.alice, {"description": "Border posts first."})
        self.assertEqual(ok.status_code, 200, ok.content)
        self.assertEqual(ok.json()["title"], "Watch lists, revised")
        bad = self.api(
            "PATCH", path, self.alice, {"references": [{"code": "UNSCR-2396", "paragraph": "999"}]}
        )
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(Commitment.objects.get(pk=cid).references.get().code, "UNSCR-2178")
        self.assertEqual(self.api("PATCH", path, self.charlie, {"title": "x"}).status_code, 403)

    def test_report_and_csv(self) -> None:
        evil = plan_data()
        evil["commitments"][0]["title"] = '=HYPERLINK("http://x")'
        plan = self.api("POST", "/coordination/plans", self.alice, evil).json()
        self.login(self.charlie)
        report = self.client.get(f"/coordination/plans/{plan['id']}/report/")
        self.assertContains(report, "TLP:GREEN")
        self.assertContains(report, "<svg")
        csv = self.client.get(f"/coordination/plans/{plan['id']}/export.csv")
        self.assertEqual(csv["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("'=HYPERLINK", csv.content.decode())

    def test_plan_page_query_count_does_not_grow_with_commitments(self) -> None:
        plan = self.api("POST", "/coordination/plans", self.alice, plan_data()).json()
        self.login(self.charlie)
        url = f"/coordination/plans/{plan['id']}/"
        self.client.get(url)
        with _Counter(self) as first:
            self.client.get(url)
        from ctnet.coordination.tests.helpers import commitment_data

        for _ in range(4):
            self.api(
                "POST",
                f"/coordination/plans/{plan['id']}/commitments",
                self.alice,
                commitment_data(),
            )
        with _Counter(self) as more:
            self.client.get(url)
        self.assertEqual(first.count, more.count)


class _Counter:
    def __init__(self, tc: CtnetTestCase) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.ctx = CaptureQueriesContext(connection)

    def __enter__(self) -> _Counter:
        self.ctx.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.ctx.__exit__(*exc)
        self.count = len(self.ctx.captured_queries)
