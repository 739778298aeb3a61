"""Results and milestones through the unit's pages and the API, the printable result tree, and
taking an input out of every theme (issue 15, item 3): each with its refusals (anonymous,
outsider 404, participant 403, bad input 4xx with nothing written)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from ctnet.consultations.models import Consultation, Milestone, Result, Submission, Theme
from ctnet.consultations.services import WrongState, answering
from ctnet.consultations.tests.test_consultations import ConsultationTestCase
from ctnet.core.models import AuditEvent, Role
from ctnet.testing.base import make_person

RESPONSE = {
    "response": "taken_up",
    "reason": "The plan now funds youth centres in every region.",
    "change_link": "https://example.org/plan/v2#youth",
}


def result_form(**over: Any) -> dict[str, Any]:
    data = {
        "result-title": "Youth programme",
        "result-parent": "",
        "result-weight": "1",
        "result-status": "in_progress",
        "result-progress": "0",
    }
    return data | {f"result-{k}": v for k, v in over.items()}


class ResultsTestCase(ConsultationTestCase):
    def move(self, c: dict[str, Any], to: str) -> Any:
        return self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": to})

    def closed(self) -> tuple[dict[str, Any], list[str]]:
        """Closed, with two identified inputs."""
        c = self.open(mode="identified")
        self.send(c)
        other = make_person("cso2", self.cso_org, Role.CSO_MEMBER, otp=False)
        self.send(c, other, answers=self.answers(c, "Protect women's groups from closure"))
        self.move(c, "closed")
        items = self.get(c, self.sam, "/submissions").json()["items"]
        return c, [i["id"] for i in items]

    def theme(self, c: dict[str, Any], ids: list[str], title: str = "Youth") -> dict[str, Any]:
        body = {"title": title, "submission_ids": ids}
        response = self.api("POST", f"/consultations/{c['id']}/themes", self.sam, body)
        assert response.status_code == 201, response.content
        return response.json()

    def result(self, c: dict[str, Any], **body: Any) -> dict[str, Any]:
        response = self.api(
            "POST", f"/consultations/{c['id']}/results", self.sam, {"title": "Plan"} | body
        )
        assert response.status_code == 201, response.content
        return response.json()


class UngroupTests(ResultsTestCase):
    def test_service_takes_an_input_out_and_publishing_waits_for_it(self) -> None:
        c, ids = self.closed()
        theme = self.theme(c, ids)
        t = Theme.objects.get(pk=theme["id"])
        answering.respond_to_theme(acting_user=self.sam, theme=t, **RESPONSE)
        consultation = Consultation.objects.get(pk=c["id"])
        moved = answering.ungroup_inputs(
            acting_user=self.sam, consultation=consultation, submission_ids=ids[:1]
        )
        self.assertEqual(moved, 1)
        self.assertIsNone(Submission.objects.get(pk=ids[0]).theme_id)
        self.assertEqual(Submission.objects.get(pk=ids[1]).theme_id, t.pk)
        event = AuditEvent.objects.get(action="consultations.inputs_ungrouped")
        self.assertEqual((event.actor, event.detail["inputs"]), (self.sam, 1))
        # The input in no theme lacks a response: publishing is refused with the count.
        self.assertEqual(self.move(c, "synthesis").status_code, 200)
        refused = self.move(c, "published")
        self.assertEqual(refused.status_code, 409)
        self.assertIn("1", refused.json()["detail"])
        # Put back in the answered theme, it has a response again.
        answering.assign_inputs(acting_user=self.sam, theme=t, submission_ids=ids[:1])
        self.assertEqual(self.move(c, "published").status_code, 200)

    def test_service_refusals_write_nothing(self) -> None:
        c, ids = self.closed()
        theme = self.theme(c, ids)
        consultation = Consultation.objects.get(pk=c["id"])
        with self.assertRaises(PermissionDenied):
            answering.ungroup_inputs(
                acting_user=self.cso, consultation=consultation, submission_ids=ids
            )
        for bad in ([], ["not-a-uuid"], [ids[0], "00000000-0000-0000-0000-000000000000"]):
            with self.assertRaises(ValidationError):
                answering.ungroup_inputs(
                    acting_user=self.sam, consultation=consultation, submission_ids=bad
                )
        self.assertEqual(Submission.objects.filter(theme_id=theme["id"]).count(), 2)
        self.assertFalse(AuditEvent.objects.filter(action="consultations.inputs_ungrouped"))
        # Not once the response is published (the trace is what the audience read).
        self.move(c, "synthesis")
        self.api("POST", f"/consultations/themes/{theme['id']}/response", self.sam, RESPONSE)
        self.assertEqual(self.move(c, "published").status_code, 200)
        consultation.refresh_from_db()
        with self.assertRaises(WrongState):
            answering.ungroup_inputs(
                acting_user=self.sam, consultation=consultation, submission_ids=ids
            )

    def test_api(self) -> None:
        c, ids = self.closed()
        theme = self.theme(c, ids)
        url = f"/consultations/{c['id']}/inputs/ungroup"
        self.assertEqual(self.api("POST", url, None, {"submission_ids": ids}).status_code, 401)
        self.assertEqual(
            self.api("POST", url, self.alice, {"submission_ids": ids}).status_code, 404
        )
        self.assertEqual(self.api("POST", url, self.cso, {"submission_ids": ids}).status_code, 403)
        bad = self.api("POST", url, self.sam, {"submission_ids": [ids[0], "not-a-uuid"]})
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(Submission.objects.filter(theme_id=theme["id"]).count(), 2)
        done = self.api("POST", url, self.sam, {"submission_ids": ids})
        self.assertEqual((done.status_code, done.json()), (200, {"inputs": 2}))
        self.assertFalse(Submission.objects.filter(theme__isnull=False).exists())

    def test_api_while_open_is_409(self) -> None:
        c = self.open(mode="identified")
        self.send(c)
        url = f"/consultations/{c['id']}/inputs/ungroup"
        self.assertEqual(self.api("POST", url, self.sam, {"submission_ids": []}).status_code, 409)

    def test_page(self) -> None:
        c, ids = self.closed()
        theme = self.theme(c, ids)
        url = f"/consultations/{c['id']}/themes/ungroup/"
        self.assertIn("/login/", self.client.post(url, {"inputs": ids})["Location"])
        self.login(self.cso)
        self.assertEqual(self.client.post(url, {"inputs": ids}).status_code, 403)
        self.login(self.alice)
        self.assertEqual(self.client.post(url, {"inputs": ids}).status_code, 404)
        self.login(self.sam)
        page = self.client.get(f"/consultations/{c['id']}/themes/")
        self.assertContains(page, url)
        self.assertEqual(self.client.post(url, {"inputs": []}).status_code, 400)
        self.assertEqual(self.client.post(url, {"inputs": ["x"]}).status_code, 400)
        self.assertEqual(Submission.objects.filter(theme_id=theme["id"]).count(), 2)
        self.assertEqual(self.client.post(url, {"inputs": ids[:1]}).status_code, 302)
        self.assertIsNone(Submission.objects.get(pk=ids[0]).theme_id)
        answers = self.client.get(f"/consultations/{c['id']}/answers/")
        self.assertContains(answers, "1 input in no theme")


class ResultPagesTests(ResultsTestCase):
    def test_the_unit_builds_the_tree_and_the_audience_reads_it_once_published(self) -> None:
        c, ids = self.closed()
        theme = self.theme(c, ids)
        self.login(self.sam)
        answers = self.client.get(f"/consultations/{c['id']}/answers/")
        self.assertContains(answers, "result-form")
        self.assertNotContains(answers, "milestone-form")  # no result to add one to yet
        add = f"/consultations/{c['id']}/results/add/"
        sent = self.client.post(add, result_form(themes=[theme["id"]]))
        self.assertEqual(sent.status_code, 302, sent.content.decode()[:2000])
        parent = Result.objects.get()
        self.assertEqual([t.pk for t in parent.themes.all()], [theme["id"]])
        for title, weight, progress in (("Centres", "3", "100"), ("Training", "1", "20")):
            body = result_form(title=title, parent=parent.pk, weight=weight, progress=progress)
            self.assertEqual(self.client.post(add, body).status_code, 302)
        self.assertEqual(AuditEvent.objects.filter(action="consultations.result_added").count(), 3)
        training = Result.objects.get(title="Training")
        milestone = {
            "milestone-result": training.pk,
            "milestone-on": "2027-03-01",
            "milestone-title": "Review meeting",
            "milestone-description": "Partners and the unit review what the training changed.",
        }
        done = self.client.post(f"/consultations/{c['id']}/results/milestones/", milestone)
        self.assertEqual(done.status_code, 302)
        self.assertEqual(training.milestones.get().on, date(2027, 3, 1))
        self.assertTrue(AuditEvent.objects.filter(action="consultations.milestone_added"))
        # The tree, rolled up: (3 * 100 + 1 * 20) / 4 = 80 %.
        tree = self.client.get(f"/consultations/{c['id']}/results/")
        self.assertContains(tree, 'value="80.0"')
        self.assertContains(tree, '<bdi dir="ltr">80</bdi> % (')
        self.assertContains(tree, "Review meeting")
        self.assertContains(tree, "review what the training changed")
        self.assertContains(tree, "Youth")
        # The audience reads it with the published response, not before.
        self.login(self.cso)
        self.assertEqual(self.client.get(f"/consultations/{c['id']}/results/").status_code, 409)
        self.move(c, "synthesis")
        self.api("POST", f"/consultations/themes/{theme['id']}/response", self.sam, RESPONSE)
        self.assertEqual(self.move(c, "published").status_code, 200)
        self.client.post("/i18n/setlang/", {"language": "ar"})
        read = self.client.get(f"/consultations/{c['id']}/results/")
        self.assertContains(read, 'dir="rtl"')
        self.assertContains(read, "محسوب من أجزائها")  # "rolled up from its parts"
        self.assertContains(read, "Review meeting")
        self.assertNotContains(read, "result-form")
        detail = self.client.get(f"/consultations/{c['id']}/")
        self.assertContains(detail, f"/consultations/{c['id']}/results/")

    def test_refusals_write_nothing(self) -> None:
        c, _ids = self.closed()
        other, _ = self.closed_other()
        foreign = Result.objects.get(consultation_id=other["id"])
        add = f"/consultations/{c['id']}/results/add/"
        milestones = f"/consultations/{c['id']}/results/milestones/"
        read = f"/consultations/{c['id']}/results/"
        for url in (add, milestones):
            self.assertIn("/login/", self.client.post(url, result_form())["Location"])
        self.assertIn("/login/", self.client.get(read)["Location"])
        self.login(self.alice)
        self.assertEqual(self.client.get(read).status_code, 404)
        self.assertEqual(self.client.post(add, result_form()).status_code, 404)
        self.login(self.cso)
        self.assertEqual(self.client.post(add, result_form()).status_code, 403)
        self.login(self.sam)
        for bad in (
            result_form(parent=foreign.pk),  # a result of another consultation
            result_form(weight="0"),
            result_form(progress="101"),
            result_form(status="maybe"),
            result_form(title=""),
            result_form(themes=["999999"]),
        ):
            self.assertEqual(self.client.post(add, bad).status_code, 400, bad)
        own = self.result(c)
        before = AuditEvent.objects.count()
        on_foreign = {
            "milestone-result": foreign.pk,
            "milestone-on": "2027-03-01",
            "milestone-title": "Review",
        }
        self.assertEqual(self.client.post(milestones, on_foreign).status_code, 400)
        bad_date = on_foreign | {"milestone-result": own["id"], "milestone-on": "soon"}
        self.assertEqual(self.client.post(milestones, bad_date).status_code, 400)
        self.assertEqual(Result.objects.filter(consultation_id=c["id"]).count(), 1)
        self.assertFalse(Milestone.objects.exists())
        self.assertEqual(AuditEvent.objects.count(), before)

    def test_not_before_the_window_closes(self) -> None:
        c = self.open(mode="identified")
        self.login(self.sam)
        sent = self.client.post(f"/consultations/{c['id']}/results/add/", result_form())
        self.assertEqual(sent.status_code, 409)
        self.assertFalse(Result.objects.exists())

    def closed_other(self) -> tuple[dict[str, Any], list[str]]:
        """Another closed consultation of the same unit, with one result."""
        c = self.open(mode="identified", title="Another consultation")
        self.move(c, "closed")
        self.result(c, title="Elsewhere")
        return c, []


class MilestoneApiTests(ResultsTestCase):
    def test_milestone_and_refusals(self) -> None:
        c, _ = self.closed()
        result = self.result(c)
        url = f"/consultations/{c['id']}/results/{result['id']}/milestones"
        body = {"title": "Review meeting", "on": "2027-03-01"}
        self.assertEqual(self.api("POST", url, None, body).status_code, 401)
        self.assertEqual(self.api("POST", url, self.alice, body).status_code, 404)
        self.assertEqual(self.api("POST", url, self.cso, body).status_code, 403)
        self.assertEqual(self.api("POST", url, self.sam, body | {"title": ""}).status_code, 400)
        too_long = self.api("POST", url, self.sam, body | {"description": "x" * 2001})
        self.assertEqual(too_long.status_code, 422)
        other = self.open(mode="identified", title="Another consultation")
        self.move(other, "closed")
        foreign = self.result(other, title="Elsewhere")
        crossed = f"/consultations/{c['id']}/results/{foreign['id']}/milestones"
        self.assertEqual(self.api("POST", crossed, self.sam, body).status_code, 400)
        self.assertFalse(Milestone.objects.exists())
        made = self.api("POST", url, self.sam, body)
        self.assertEqual(made.status_code, 201, made.content)
        self.assertEqual(
            made.json(),
            {
                "id": made.json()["id"],
                "result_id": result["id"],
                "title": "Review meeting",
                "description": "",
                "on": "2027-03-01",
            },
        )
        tree = self.get(c, self.sam).json()["results"]
        self.assertEqual(
            tree[0]["milestones"],
            [{"title": "Review meeting", "description": "", "on": "2027-03-01"}],
        )

    def test_service_refuses_a_result_of_another_consultation(self) -> None:
        c, _ = self.closed()
        other = self.open(mode="identified", title="Another consultation")
        self.move(other, "closed")
        foreign = Result.objects.get(pk=self.result(other)["id"])
        with self.assertRaises(ValidationError):
            answering.add_milestone(
                acting_user=self.sam,
                consultation=Consultation.objects.get(pk=c["id"]),
                result=foreign,
                title="Review",
                on=date(2027, 3, 1),
            )

    def test_service_refuses_an_overlong_description(self) -> None:
        c, _ = self.closed()
        result = Result.objects.get(pk=self.result(c)["id"])
        with self.assertRaises(ValidationError):
            answering.add_milestone(
                acting_user=self.sam,
                result=result,
                title="Review",
                on=date(2027, 3, 1),
                description="x" * 2001,
            )
        self.assertFalse(Milestone.objects.exists())
        self.assertFalse(Milestone.objects.exists())
