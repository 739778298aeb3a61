"""Action plans through the API: recording, reading by marking, and every refusal."""

from __future__ import annotations

from ctnet.coordination.models import ActionPlan, Commitment, CommitmentReference, Milestone
from ctnet.coordination.tests.helpers import commitment_data, plan_data
from ctnet.core.models import AuditEvent, OrgKind, Role
from ctnet.testing.base import CtnetTestCase, make_org, make_person


class PlanApiTests(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.au = make_org("AU", OrgKind.REGIONAL)
        cls.aurelie = make_person("aurelie", cls.au, Role.ENTITY_FOCAL_POINT)
        cls.unodc = make_org("UNODC", OrgKind.UN_ENTITY)
        cls.ursula = make_person("ursula", cls.unodc, Role.ENTITY_FOCAL_POINT)

    def create(self, user=None, **over):
        return self.api("POST", "/coordination/plans", user or self.alice, plan_data(**over))

    def test_coordinator_records_a_plan_with_commitments_and_milestones(self) -> None:
        response = self.create()
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["owner"], "FRA")
        self.assertEqual(body["scope"], "national")
        self.assertEqual(body["tlp"], "GREEN")
        (c,) = body["commitments"]
        self.assertEqual(c["references"][0]["code"], "UNSCR-2396")
        self.assertEqual(c["self_status"], "not_started")
        self.assertEqual([m["responsible"] for m in c["milestones"]], [["FRA"], ["UNOCT"]])
        self.assertTrue(
            AuditEvent.objects.filter(
                action="coordination.plan_created", object_id=str(body["id"])
            ).exists()
        )

    def test_regional_organisation_records_a_regional_plan(self) -> None:
        response = self.create(self.aurelie, commitments=[commitment_data(milestones=[])])
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["scope"], "regional")

    def test_network_plan_is_read_by_other_states_not_by_oversight(self) -> None:
        plan_id = self.create().json()["id"]
        self.assertEqual(
            self.api("GET", f"/coordination/plans/{plan_id}", self.charlie).status_code, 200
        )
        self.assertEqual(
            self.api("GET", f"/coordination/plans/{plan_id}", self.olga).status_code, 404
        )
        # GREEN is the community's: civil society sees it only when shared with it.
        self.assertEqual(
            self.api("GET", f"/coordination/plans/{plan_id}", self.cso).status_code, 404
        )

    def test_private_plan_reaches_the_secretariat_and_no_other_state(self) -> None:
        plan_id = self.create(visibility="private").json()["id"]
        self.assertEqual(
            self.api("GET", f"/coordination/plans/{plan_id}", self.sam).status_code, 200
        )
        self.assertEqual(
            self.api("GET", f"/coordination/plans/{plan_id}", self.bob).status_code, 200
        )
        missing = self.api("GET", "/coordination/plans/987654", self.charlie)
        hidden = self.api("GET", f"/coordination/plans/{plan_id}", self.charlie)
        self.assertEqual((hidden.status_code, hidden.json()), (404, missing.json()))
        listed = self.api("GET", "/coordination/plans", self.charlie).json()
        self.assertEqual(listed["count"], 0)

    def test_shared_plan_reaches_the_named_organisations_only(self) -> None:
        body = self.create(visibility="shared", shared_with=["UNODC"]).json()
        self.assertEqual(body["tlp"], "AMBER")
        self.assertEqual(
            self.api("GET", f"/coordination/plans/{body['id']}", self.ursula).status_code, 200
        )
        self.assertEqual(
            self.api("GET", f"/coordination/plans/{body['id']}", self.sam).status_code, 404
        )
        # Reading AMBER material is audited.
        self.assertTrue(
            AuditEvent.objects.filter(
                action="read", actor=self.ursula, object_id=str(body["id"])
            ).exists()
        )

    def test_shared_without_recipients_is_refused(self) -> None:
        response = self.create(visibility="shared")
        self.assertEqual(response.status_code, 400)
        self.assertIn("shared with", response.json()["detail"])
        self.assertEqual(ActionPlan.objects.count(), 0)

    def test_anonymous_is_401(self) -> None:
        self.assertEqual(
            self.api("POST", "/coordination/plans", None, plan_data()).status_code, 401
        )
        self.assertEqual(self.api("GET", "/coordination/plans").status_code, 401)

    def test_wrong_roles_cannot_record_a_plan(self) -> None:
        for user in (self.sam, self.cso, self.pat, self.ursula):
            with self.subTest(user=user.username):
                self.assertEqual(self.create(user).status_code, 403)
        self.assertEqual(self.create(self.olga).status_code, 403)
        self.assertEqual(ActionPlan.objects.count(), 0)

    def test_milestone_outside_the_period_writes_nothing(self) -> None:
        bad = commitment_data(milestones=[{"title": "Too late", "due_date": "2029-01-01"}])
        response = self.create(commitments=[commitment_data(), bad])
        self.assertEqual(response.status_code, 400)
        self.assertIn("outside the plan's period", response.json()["detail"])
        self.assertEqual(
            (ActionPlan.objects.count(), Commitment.objects.count(), Milestone.objects.count()),
            (0, 0, 0),
        )

    def test_unknown_reference_is_refused(self) -> None:
        for ref in ({"code": "UNSCR-9999"}, {"code": "UNSCR-2396", "paragraph": "99"}):
            with self.subTest(ref=ref):
                response = self.create(commitments=[commitment_data(references=[ref])])
                self.assertEqual(response.status_code, 400)
        self.assertEqual(CommitmentReference.objects.count(), 0)

    def test_bad_input_is_a_clear_4xx(self) -> None:
        cases = [
            ({"period_start": "2027-01-01", "period_end": "2025-01-01"}, 400, "ends before"),
            ({"pillars": ["V"]}, 400, "Unknown pillar"),
            ({"focus": "war"}, 422, "focus"),
            ({"visibility": "everyone"}, 422, "visibility"),
            ({"shared_with": ["ZZZ"], "visibility": "shared"}, 400, "ZZZ"),
        ]
        for over, status, words in cases:
            with self.subTest(over=over):
                response = self.create(**over)
                self.assertEqual(response.status_code, status, response.content)
                self.assertIn(words, response.json()["detail"])
        # Another state cannot be made responsible for France's milestone.
        other = commitment_data(
            milestones=[{"title": "x", "due_date": "2025-03-01", "responsible": ["KEN"]}]
        )
        response = self.create(commitments=[other])
        self.assertEqual(response.status_code, 400)
        self.assertIn("KEN", response.json()["detail"])
        self.assertEqual(ActionPlan.objects.count(), 0)

    def test_message_in_the_callers_language(self) -> None:
        bad = commitment_data(milestones=[{"title": "Trop tard", "due_date": "2029-01-01"}])
        response = self.api(
            "POST",
            "/coordination/plans",
            self.alice,
            plan_data(commitments=[bad]),
            HTTP_ACCEPT_LANGUAGE="fr",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("hors de la période", response.json()["detail"])

    def test_owner_adds_commitment_and_milestone_others_cannot(self) -> None:
        plan_id = self.create(commitments=[]).json()["id"]
        response = self.api(
            "POST", f"/coordination/plans/{plan_id}/commitments", self.bob, commitment_data()
        )
        self.assertEqual(response.status_code, 201, response.content)
        commitment_id = response.json()["id"]
        refused = self.api(
            "POST", f"/coordination/plans/{plan_id}/commitments", self.charlie, commitment_data()
        )
        self.assertEqual(refused.status_code, 403)
        path = f"/coordination/commitments/{commitment_id}/milestones"
        ok = self.api("POST", path, self.alice, {"title": "Pilot", "due_date": "2026-01-01"})
        self.assertEqual(ok.status_code, 201)
        late = self.api("POST", path, self.alice, {"title": "Pilot", "due_date": "2024-12-31"})
        self.assertEqual(late.status_code, 400)
        self.assertEqual(
            self.api(
                "POST", path, self.charlie, {"title": "x", "due_date": "2026-01-01"}
            ).status_code,
            403,
        )
        self.assertEqual(Milestone.objects.filter(commitment_id=commitment_id).count(), 3)

    def test_list_filters_by_owner_and_resolution(self) -> None:
        self.create()
        self.create(
            commitments=[commitment_data(references=[{"code": "UNSCR-2178", "paragraph": "9"}])]
        )
        self.assertEqual(
            self.api("GET", "/coordination/plans?resolution=UNSCR-2396", self.sam).json()["count"],
            1,
        )
        self.assertEqual(
            self.api("GET", "/coordination/plans?owner=fra", self.sam).json()["count"], 2
        )
        self.assertEqual(
            self.api("GET", "/coordination/plans?owner=KEN", self.sam).json()["count"], 0
        )
