"""Consultations: opening, the window, taking part in each mode, and every refusal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from ctnet.consultations.models import Consultation, Participation, Question, Submission
from ctnet.consultations.tests.helpers import consultation_data
from ctnet.core.models import OrgKind, Role, UNGroup
from ctnet.testing.base import CtnetTestCase, make_org, make_person


class ConsultationTestCase(CtnetTestCase):
    def create(self, **over: Any) -> dict[str, Any]:
        response = self.api("POST", "/consultations/", self.sam, consultation_data(**over))
        assert response.status_code == 201, response.content
        return response.json()

    def open(self, **over: Any) -> dict[str, Any]:
        c = self.create(**over)
        response = self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": "open"})
        assert response.status_code == 200, response.content
        return response.json()

    def answers(self, c: dict[str, Any], text: str = "Fund youth centres") -> dict[str, Any]:
        q = {x["kind"]: x["id"] for x in c["questions"]}
        return {
            str(q["text"]): text,
            str(q["single"]): "Yes",
            str(q["multiple"]): ["Schools", "Online"],
            str(q["statement"]): "agree",
        }

    def get(self, c: dict[str, Any], user: Any, tail: str = "") -> Any:
        return self.api("GET", f"/consultations/{c['id']}{tail}", user)

    def send(self, c: dict[str, Any], user: Any = None, **over: Any) -> Any:
        body = {"answers": self.answers(c), "language": "ar"} | over
        return self.api("POST", f"/consultations/{c['id']}/submissions", user or self.cso, body)


class OpeningTests(ConsultationTestCase):
    def test_secretariat_opens_a_draft_with_its_questions(self) -> None:
        c = self.create()
        self.assertEqual(c["status"], "draft")
        self.assertEqual(
            [q["kind"] for q in c["questions"]], ["text", "single", "multiple", "statement"]
        )
        self.assertEqual(c["originator"], "UNOCT")
        # A draft is the unit's alone: civil society does not see it yet.
        self.assertEqual(self.api("GET", f"/consultations/{c['id']}", self.cso).status_code, 404)

    def test_compact_entity_focal_point_may_open(self) -> None:
        unodc = make_org("UNODC", OrgKind.UN_ENTITY)
        focal = make_person("focal", unodc, Role.ENTITY_FOCAL_POINT)
        response = self.api("POST", "/consultations/", focal, consultation_data())
        self.assertEqual(response.status_code, 201)

    def test_states_civil_society_and_oversight_may_not_open(self) -> None:
        for user in (self.alice, self.cso, self.olga, self.pat):
            response = self.api("POST", "/consultations/", user, consultation_data())
            self.assertEqual(response.status_code, 403, user)
        self.assertEqual(Consultation.objects.count(), 0)

    def test_anonymous_consultation_refuses_a_unique_identifying_field(self) -> None:
        questions = [{"kind": "text", "text": "Your registration number", "unique_answer": True}]
        response = self.api(
            "POST", "/consultations/", self.sam, consultation_data(questions=questions)
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("identify", response.json()["detail"])
        self.assertEqual(Consultation.objects.count(), 0)
        # The same question is fine where the sender is identified anyway.
        response = self.api(
            "POST",
            "/consultations/",
            self.sam,
            consultation_data(questions=questions, mode="identified"),
        )
        self.assertEqual(response.status_code, 201)

    def test_bad_configuration_is_400_and_writes_nothing(self) -> None:
        bad = [
            {"languages": ["xx"]},
            {"audience": "region"},
            {"audience": "named", "named_orgs": ["NOPE"]},
            {"mode": "secret"},
            {"subject_kind": "memo"},
            {"questions": []},
            {"questions": [{"kind": "single", "text": "Pick", "choices": ["Only one"]}]},
            {"closes_at": (timezone.now() - timedelta(days=1)).isoformat()},
        ]
        for over in bad:
            response = self.api("POST", "/consultations/", self.sam, consultation_data(**over))
            self.assertEqual(response.status_code, 400, over)
            self.assertTrue(response.json()["detail"])
        self.assertEqual(Consultation.objects.count(), 0)
        self.assertEqual(Question.objects.count(), 0)

    def test_error_in_the_callers_language(self) -> None:
        response = self.api(
            "POST",
            "/consultations/",
            self.sam,
            consultation_data(mode="secret"),
            HTTP_ACCEPT_LANGUAGE="fr",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("participe", response.json()["detail"])


class WindowTests(ConsultationTestCase):
    def test_window_moves_one_step_at_a_time(self) -> None:
        c = self.create()
        url = f"/consultations/{c['id']}/move"
        self.assertEqual(self.api("POST", url, self.sam, {"to": "closed"}).status_code, 409)
        for step in ("open", "closed", "synthesis"):
            self.assertEqual(self.api("POST", url, self.sam, {"to": step}).status_code, 200)
        self.assertEqual(self.api("POST", url, self.sam, {"to": "open"}).status_code, 409)

    def test_only_the_opening_organisation_moves_the_window(self) -> None:
        c = self.open()
        url = f"/consultations/{c['id']}/move"
        self.assertEqual(self.api("POST", url, self.cso, {"to": "closed"}).status_code, 403)
        # A state's coordinator has no part in consultations: it does not exist for them.
        self.assertEqual(self.api("POST", url, self.alice, {"to": "closed"}).status_code, 404)

    def test_submission_outside_the_window_is_409_and_writes_nothing(self) -> None:
        c = self.open()
        self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": "closed"})
        response = self.send(c)
        self.assertEqual(response.status_code, 409)
        self.assertIn("not open", response.json()["detail"])
        self.assertEqual(Submission.objects.count() + Participation.objects.count(), 0)

    def test_submission_after_the_closing_time_is_409(self) -> None:
        c = self.open()
        Consultation.objects.filter(pk=c["id"]).update(
            closes_at=timezone.now() - timedelta(minutes=1)
        )
        self.assertEqual(self.send(c).status_code, 409)


class TakingPartTests(ConsultationTestCase):
    def test_anonymous_submission_gets_a_receipt_and_is_linked_to_nobody(self) -> None:
        c = self.open()
        response = self.send(c)
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertRegex(body["receipt"], r"^[A-Z2-7]{5}(-[A-Z2-7]{5}){3}$")
        s = Submission.objects.get()
        self.assertIsNone(s.author_id)
        self.assertIsNone(s.organisation_id)
        self.assertEqual(s.alias, "")
        self.assertEqual(s.submitted_on, timezone.localdate())
        self.assertNotIn(body["receipt"], s.receipt_hash)
        # The person cannot read it back through their account.
        self.assertEqual(self.get(c, self.cso, "/mine").status_code, 404)
        self.assertTrue(self.api("GET", f"/consultations/{c['id']}", self.cso).json()["taken_part"])

    def test_second_submission_is_409(self) -> None:
        c = self.open()
        self.assertEqual(self.send(c).status_code, 201)
        response = self.send(c)
        self.assertEqual(response.status_code, 409)
        self.assertIn("already", response.json()["detail"])
        self.assertEqual(Submission.objects.count(), 1)

    def test_identified_submission_is_the_organisations_and_readable_back(self) -> None:
        c = self.open(mode="identified")
        self.assertEqual(self.send(c).json()["receipt"], "")
        mine = self.api("GET", f"/consultations/{c['id']}/mine", self.cso).json()
        self.assertEqual(mine["organisation"], "CSO-X")
        self.assertEqual(mine["alias"], "")

    def test_pseudonymous_alias_is_stable_and_the_organisation_known_to_the_unit_only(self) -> None:
        c = self.open(mode="pseudonymous")
        self.send(c)
        mine = self.api("GET", f"/consultations/{c['id']}/mine", self.cso).json()
        self.assertRegex(mine["alias"], r"^P-[A-Z2-7]{6}$")
        self.assertIsNone(mine["organisation"])
        unit = self.api("GET", f"/consultations/{c['id']}/submissions", self.sam).json()
        self.assertEqual(unit["items"][0]["organisation"], "CSO-X")
        self.assertEqual(unit["items"][0]["alias"], mine["alias"])

    def test_at_risk_identified_sender_also_gets_a_receipt(self) -> None:
        c = self.open(mode="identified", at_risk=True)
        self.assertTrue(self.send(c).json()["receipt"])

    def test_bad_answers_are_400_and_write_nothing(self) -> None:
        c = self.open()
        q = {x["kind"]: x["id"] for x in c["questions"]}
        bad = [
            {"answers": {"987654": "x"}, "language": "ar"},
            {"answers": {str(q["single"]): "Yes"}, "language": "ar"},  # required text missing
            {"answers": self.answers(c) | {str(q["single"]): "Maybe"}, "language": "ar"},
            {"answers": self.answers(c) | {str(q["statement"]): "perhaps"}, "language": "ar"},
            {"answers": self.answers(c), "language": "ru"},  # not a language of it
        ]
        for body in bad:
            response = self.api("POST", f"/consultations/{c['id']}/submissions", self.cso, body)
            self.assertEqual(response.status_code, 400, body)
        self.assertEqual(Submission.objects.count() + Participation.objects.count(), 0)

    def test_outside_the_audience_is_404_and_wrong_role_403(self) -> None:
        c = self.open(audience="region", region=UNGroup.AFRICAN)
        # cso-X has no region: it is not in the audience and may not know the consultation.
        self.assertEqual(self.send(c).status_code, 404)
        self.assertEqual(self.send(c, self.alice).status_code, 404)
        # The unit sees it but does not take part in its own consultation.
        self.assertEqual(self.send(c, self.sam).status_code, 403)
        african = make_org("CSO-KE", OrgKind.CIVIL_SOCIETY, un_group=UNGroup.AFRICAN)
        member = make_person("kenyan_cso", african, Role.CSO_MEMBER, otp=False)
        self.assertEqual(self.send(c, member).status_code, 201)

    def test_named_audience(self) -> None:
        other = make_org("CSO-Y", OrgKind.CIVIL_SOCIETY)
        c = self.open(audience="named", named_orgs=["CSO-Y"])
        self.assertEqual(self.send(c).status_code, 404)
        member = make_person("ycso", other, Role.CSO_MEMBER, otp=False)
        self.assertEqual(self.send(c, member).status_code, 201)

    def test_anonymous_api_is_401(self) -> None:
        c = self.open()
        response = self.client.post(
            f"/api/v1/consultations/{c['id']}/submissions", "{}", content_type="application/json"
        )
        self.assertEqual(response.status_code, 401)

    def test_breakdowns_hidden_until_closed_and_k_participants(self) -> None:
        c = self.open()
        self.send(c)
        self.assertIsNone(self.get(c, self.sam).json()["breakdown"])
        others = []
        for i in range(4):
            others.append(make_person(f"m{i}", self.cso_org, Role.CSO_MEMBER, otp=False))
            self.send(c, others[-1])
        self.assertIsNone(self.get(c, self.sam).json()["breakdown"])
        self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": "closed"})
        rows = self.api("GET", f"/consultations/{c['id']}", self.cso).json()["breakdown"]
        statement = next(r for r in rows if r["question"] == c["questions"][3]["id"])
        self.assertEqual(statement["counts"], {"agree": 5, "pass": 0, "disagree": 0})

    def test_breakdowns_stay_hidden_below_k_after_closing(self) -> None:
        c = self.open()
        self.send(c)
        self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": "closed"})
        self.assertIsNone(self.get(c, self.sam).json()["breakdown"])
        export = self.api("GET", f"/consultations/{c['id']}/export.csv", self.sam)
        self.assertEqual(export.status_code, 409)
