"""Moderation: reports hide an input after N, the author is told, appeals, decisions, counts."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import override_settings

from ctnet.consultations.models import Submission
from ctnet.consultations.services.submitting import receipt_hash
from ctnet.consultations.tests.test_consultations import ConsultationTestCase
from ctnet.core.models import Role
from ctnet.testing.base import make_person


@override_settings(CONSULTATIONS_AUTOHIDE_REPORTS=2)
class ModerationTests(ConsultationTestCase):
    def closed(self, mode: str) -> tuple[dict[str, Any], list[Any], str]:
        c = self.open(mode=mode)
        receipt = self.send(c).json()["receipt"]
        people = [make_person(f"r{i}", self.cso_org, Role.CSO_MEMBER, otp=False) for i in range(4)]
        for p in people:
            self.send(c, p)
        self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": "closed"})
        return c, people, receipt

    def report(self, c: dict[str, Any], sid: str, user: Any) -> Any:
        return self.api(
            "POST",
            f"/consultations/{c['id']}/inputs/{sid}/report",
            user,
            {"reason": "Names a person who is at risk."},
        )

    def test_hidden_after_n_reports_author_told_appeal_and_reinstated(self) -> None:
        c, people, _ = self.closed("identified")
        sid = str(Submission.objects.get(author=self.cso).pk)
        self.assertEqual(self.report(c, sid, people[0]).json()["hidden"], False)
        self.assertEqual(self.report(c, sid, people[0]).status_code, 409)  # once per person
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(self.report(c, sid, people[1]).json()["hidden"], True)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, [self.cso.email])
        self.assertNotIn(c["title"], f"{mail.outbox[0].subject} {mail.outbox[0].body}")
        inputs = self.get(c, people[2], "/inputs").json()["items"]
        self.assertNotIn(sid, [i["id"] for i in inputs])
        # The author appeals once; the moderator (the unit) reinstates.
        url = f"/consultations/{c['id']}/mine/appeal"
        body = {"text": "It names no one; please read it again."}
        self.assertTrue(self.api("POST", url, self.cso, body).json()["appealed"])
        self.assertEqual(self.api("POST", url, self.cso, body).status_code, 409)
        moderate = f"/consultations/{c['id']}/inputs/{sid}/moderate"
        self.assertEqual(
            self.api("POST", moderate, self.cso, {"decision": "reinstated"}).status_code, 403
        )
        self.assertEqual(
            self.api("POST", moderate, self.sam, {"decision": "pardon"}).status_code, 400
        )
        done = self.api("POST", moderate, self.sam, {"decision": "reinstated"}).json()
        self.assertEqual((done["hidden"], done["moderation"]), (False, "reinstated"))
        self.assertEqual(
            self.get(c, people[3]).json()["moderation"],
            {"reports": 2, "hidden": 0, "reinstated": 1, "removed": 0, "appeals": 1},
        )

    def test_anonymous_sender_sees_the_hiding_and_appeals_with_the_receipt(self) -> None:
        c, people, receipt = self.closed("anonymous")
        sid = str(Submission.objects.get(receipt_hash=receipt_hash(receipt)).pk)
        self.report(c, sid, people[0])
        self.report(c, sid, people[1])
        page = self.client.post("/consultations/receipt/", {"code": receipt})
        self.assertContains(page, "hidden while a moderator")
        short = self.client.post("/consultations/receipt/", {"code": receipt, "appeal": "no"})
        self.assertEqual(short.status_code, 400)
        done = self.client.post(
            "/consultations/receipt/", {"code": receipt, "appeal": "It names nobody at all."}
        )
        self.assertContains(done, "appeal has been received")
        self.assertTrue(Submission.objects.get(pk=sid).appeal)

    def test_refusals(self) -> None:
        c = self.open(mode="identified")
        self.send(c)
        sid = str(Submission.objects.get().pk)
        other = make_person("early", self.cso_org, Role.CSO_MEMBER, otp=False)
        # While open, nobody in the audience reads the inputs, so nobody reports them.
        self.assertEqual(self.get(c, other, "/inputs").status_code, 409)
        self.assertEqual(self.report(c, sid, other).status_code, 403)
        self.assertEqual(self.report(c, "not-a-uuid", other).status_code, 404)
        short = self.api(
            "POST", f"/consultations/{c['id']}/inputs/{sid}/report", self.sam, {"reason": "x"}
        )
        self.assertEqual(short.status_code, 400)
        moderate = f"/consultations/{c['id']}/inputs/{sid}/moderate"
        self.assertEqual(
            self.api("POST", moderate, self.sam, {"decision": "taken_down"}).status_code, 409
        )
