"""Every input gets an answer: themes, responses, the publish guard, results, and what a
participant sees of their own input."""

from __future__ import annotations

from typing import Any

from ctnet.consultations.tests.test_consultations import ConsultationTestCase
from ctnet.core.models import Role
from ctnet.testing.base import make_person


class TraceTests(ConsultationTestCase):
    def move(self, c: dict[str, Any], to: str) -> Any:
        return self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": to})

    def closed_with_inputs(self, mode: str = "identified") -> tuple[dict, list[str], str]:
        c = self.open(mode=mode)
        receipt = self.send(c).json()["receipt"]
        other = make_person("cso2", self.cso_org, Role.CSO_MEMBER, otp=False)
        self.send(c, other, answers=self.answers(c, "Protect women's groups from closure"))
        self.move(c, "closed")
        items = self.get(c, self.sam, "/submissions").json()["items"]
        return c, [i["id"] for i in items], receipt

    def theme(self, c: dict[str, Any], ids: list[str], title: str = "Youth") -> dict[str, Any]:
        response = self.api(
            "POST",
            f"/consultations/{c['id']}/themes",
            self.sam,
            {"title": title, "submission_ids": ids},
        )
        assert response.status_code == 201, response.content
        return response.json()

    def respond(self, theme: dict[str, Any], **over: Any) -> Any:
        body = {
            "response": "taken_up",
            "reason": "The plan now funds youth centres in every region.",
            "change_link": "https://example.org/plan/v2#youth",
            "change_label": "Action plan v2, commitment 4",
        } | over
        return self.api("POST", f"/consultations/themes/{theme['id']}/response", self.sam, body)

    def test_cannot_publish_while_an_input_lacks_a_response(self) -> None:
        c, ids, _ = self.closed_with_inputs()
        youth = self.theme(c, ids[:1])
        self.assertEqual(self.move(c, "synthesis").status_code, 200)
        response = self.move(c, "published")
        self.assertEqual(response.status_code, 409)
        self.assertIn("2 inputs have no response", response.json()["detail"])
        self.respond(youth)
        response = self.move(c, "published")
        self.assertEqual(response.status_code, 409)
        self.assertIn("1 inputs", response.json()["detail"])
        other = self.theme(c, ids[1:], "Civic space")
        self.assertEqual(
            self.respond(other, response="not_taken_up", change_link="").status_code, 200
        )
        self.assertEqual(self.move(c, "published").status_code, 200)

    def test_participant_sees_what_became_of_their_input(self) -> None:
        c, ids, _ = self.closed_with_inputs()
        mine_id = self.get(c, self.cso, "/mine").json()["id"]
        theme = self.theme(c, ids)
        self.move(c, "synthesis")
        self.respond(theme)
        # Not before the response is published.
        self.assertIsNone(self.get(c, self.cso, "/mine").json()["theme"])
        self.move(c, "published")
        mine = self.get(c, self.cso, "/mine").json()
        self.assertEqual(mine["id"], mine_id)
        self.assertEqual(mine["theme"]["response"], "taken_up")
        self.assertEqual(mine["theme"]["change_link"], "https://example.org/plan/v2#youth")

    def test_anonymous_sender_sees_the_answer_with_the_receipt(self) -> None:
        c, ids, receipt = self.closed_with_inputs(mode="anonymous")
        theme = self.theme(c, ids)
        self.move(c, "synthesis")
        self.respond(theme)
        self.move(c, "published")
        response = self.client.post("/consultations/receipt/", {"code": receipt})
        self.assertContains(response, "Action plan v2, commitment 4")
        self.assertContains(response, "Taken up")

    def test_refusals_of_grouping_and_answering(self) -> None:
        c = self.open(mode="identified")
        self.send(c)
        # Not while the window is open.
        response = self.api("POST", f"/consultations/{c['id']}/themes", self.sam, {"title": "T"})
        self.assertEqual(response.status_code, 409)
        self.move(c, "closed")
        self.assertEqual(
            self.api(
                "POST", f"/consultations/{c['id']}/themes", self.cso, {"title": "T"}
            ).status_code,
            403,
        )
        bad = self.api(
            "POST",
            f"/consultations/{c['id']}/themes",
            self.sam,
            {"title": "T", "submission_ids": ["not-a-uuid"]},
        )
        self.assertEqual(bad.status_code, 400)
        theme = self.theme(c, [])
        self.assertEqual(self.respond(theme, reason="short").status_code, 400)
        self.assertEqual(self.respond(theme, response="maybe").status_code, 400)
        self.assertEqual(self.respond(theme, change_link="").status_code, 400)
        self.assertEqual(self.respond(theme, change_link="javascript:alert(1)").status_code, 400)
        self.assertEqual(
            self.api(
                "POST",
                f"/consultations/themes/{theme['id']}/response",
                self.alice,
                {"response": "taken_up", "reason": "A long enough reason."},
            ).status_code,
            404,
        )

    def test_results_roll_up_weighted_progress(self) -> None:
        c, ids, _ = self.closed_with_inputs()
        theme = self.theme(c, ids)
        url = f"/consultations/{c['id']}/results"
        parent = self.api(
            "POST", url, self.sam, {"title": "Youth programme", "theme_ids": [theme["id"]]}
        )
        self.assertEqual(parent.status_code, 201)
        pid = parent.json()["id"]
        for title, weight, progress in (("Centres", 3.0, 100.0), ("Training", 1.0, 20.0)):
            body = {"title": title, "parent_id": pid, "weight": weight, "progress": progress}
            self.assertEqual(self.api("POST", url, self.sam, body).status_code, 201)
        tree = self.get(c, self.sam).json()["results"]
        self.assertEqual(tree[0]["progress"], 80.0)  # (3*100 + 1*20) / 4
        self.assertEqual([k["title"] for k in tree[0]["children"]], ["Centres", "Training"])
        self.assertEqual(
            self.api("POST", url, self.sam, {"title": "X", "weight": 0}).status_code, 400
        )
