from __future__ import annotations

from ctnet.core.models import AuditEvent
from ctnet.exchange.attachments import NewFile, store_attachment
from ctnet.exchange.models import ReleaseRequest, Request
from ctnet.exchange.tests.helpers import ExchangeTestCase, person_data


class ReleaseTests(ExchangeTestCase):
    def file(self, request: Request, user=None, code: str = "BRA", reason: str = "Needed"):
        return self.api(
            "POST",
            "/exchange/releases",
            user or self.charlie,
            {"request_id": request.pk, "new_recipient": code, "reason": reason},
        )

    def test_onward_release_only_with_originator_approval(self) -> None:
        r = self.send(people=[person_data()])
        store_attachment(
            acting_user=self.alice,
            request=r,
            new_file=NewFile("list.txt", "text/plain", b"three names"),
        )
        filed = self.file(r)
        self.assertEqual(filed.status_code, 201, filed.content)
        rel_id = filed.json()["id"]
        # Before approval, the new recipient sees nothing.
        self.assertEqual(self.api("GET", f"/exchange/requests/{r.pk}", self.diego).status_code, 404)
        self.assertEqual(
            self.api("GET", "/exchange/requests?box=incoming", self.diego).json()["count"], 0
        )
        awaiting = self.api("GET", "/exchange/releases?awaiting_me=true", self.alice).json()
        self.assertEqual([row["id"] for row in awaiting["items"]], [rel_id])
        # The requester cannot approve its own request; nor can the originator's officer.
        self.assertEqual(
            self.api("POST", f"/exchange/releases/{rel_id}/approve", self.charlie, {}).status_code,
            403,
        )
        self.assertEqual(
            self.api("POST", f"/exchange/releases/{rel_id}/approve", self.bob, {}).status_code, 403
        )
        self.assertEqual(
            self.api("POST", f"/exchange/releases/{rel_id}/approve", self.diego, {}).status_code,
            404,
        )
        approved = self.api(
            "POST",
            f"/exchange/releases/{rel_id}/approve",
            self.alice,
            {"conditions": "Not for use in court"},
        )
        self.assertEqual(approved.status_code, 200, approved.content)
        copy_id = approved.json()["copy_id"]
        copy = Request.objects.get(pk=copy_id)
        self.assertEqual(copy.released_from_id, r.pk)
        self.assertEqual(copy.originator_id, self.state_a.pk)
        seen = self.api("GET", f"/exchange/requests/{copy_id}", self.diego).json()
        self.assertEqual(seen["release_conditions"], "Not for use in court")
        self.assertEqual([a["filename"] for a in seen["attachments"]], ["list.txt"])
        self.assertEqual(seen["people"][0]["copy_of"], r.people.get().pk)
        self.assertIsNone(seen["source_details"])
        # The original itself stays out of the new recipient's reach.
        self.assertEqual(self.api("GET", f"/exchange/requests/{r.pk}", self.diego).status_code, 404)
        twice = self.api("POST", f"/exchange/releases/{rel_id}/refuse", self.alice, {"reason": "x"})
        self.assertEqual(twice.status_code, 400)

    def test_refusal_creates_nothing(self) -> None:
        r = self.send()
        rel_id = self.file(r).json()["id"]
        no_reason = self.api("POST", f"/exchange/releases/{rel_id}/refuse", self.alice, {})
        self.assertEqual(no_reason.status_code, 400)
        refused = self.api(
            "POST", f"/exchange/releases/{rel_id}/refuse", self.alice, {"reason": "Source risk"}
        )
        self.assertEqual(refused.json()["status"], "refused")
        self.assertIsNone(refused.json()["copy_id"])
        self.assertEqual(Request.objects.count(), 1)

    def test_bad_release_requests(self) -> None:
        r = self.send()
        self.assertEqual(self.file(r, user=self.alice).status_code, 403)
        self.assertEqual(self.file(r, user=self.diego).status_code, 404)
        self.assertTrue(AuditEvent.objects.filter(action="exchange.denied", actor=self.diego))
        self.assertIn("reason", self.file(r, reason="").json()["detail"])
        self.assertIn("FRA", self.file(r, code="FRA").json()["detail"])
        self.assertIn("NOPE", self.file(r, code="NOPE").json()["detail"])
        green = self.send(tlp="GREEN", handling=[])
        response = self.file(green)
        self.assertEqual(response.status_code, 400)
        self.assertIn("no release is needed", response.json()["detail"])
        self.assertFalse(ReleaseRequest.objects.exists())
        self.assertEqual(self.api("DELETE", "/exchange/releases", self.alice).status_code, 405)


class MarkingTests(ExchangeTestCase):
    def change(self, user, request: Request, tlp: str, handling: list[str]):
        return self.api(
            "POST",
            f"/exchange/requests/{request.pk}/marking",
            user,
            {"tlp": tlp, "handling": handling},
        )

    def test_readers_raise_only_the_originator_lowers(self) -> None:
        r = self.send(tlp="AMBER", handling=["H2"])
        self.assertEqual(self.change(self.charlie, r, "AMBER", []).status_code, 403)
        self.assertEqual(self.change(self.charlie, r, "GREEN", ["H2"]).status_code, 403)
        r.refresh_from_db()
        self.assertEqual((r.tlp, r.handling), ("AMBER", ["H2"]))
        raised = self.change(self.charlie, r, "AMBER+STRICT", ["H1", "H2"])
        self.assertEqual(raised.status_code, 200, raised.content)
        self.assertEqual(raised.json()["tlp"], "AMBER+STRICT")
        lowered = self.change(self.alice, r, "GREEN", [])
        self.assertEqual(lowered.json()["tlp"], "GREEN")
        self.assertEqual(self.change(self.diego, r, "RED", []).status_code, 404)
        raised_h3 = self.change(self.charlie, r, "AMBER", ["H3"])
        self.assertEqual(raised_h3.status_code, 400)
        self.assertIn("H3", raised_h3.json()["detail"])

    def test_raising_to_red_keeps_the_recipient_head_as_named_reader(self) -> None:
        r = self.send(tlp="AMBER")
        self.assertEqual(self.change(self.alice, r, "RED", ["H2"]).status_code, 200)
        self.assertEqual(
            self.api("GET", f"/exchange/requests/{r.pk}", self.charlie).status_code, 200
        )
        self.assertEqual(self.api("GET", f"/exchange/requests/{r.pk}", self.diego).status_code, 404)

    def test_a_recipient_raising_to_red_keeps_the_originators_head(self) -> None:
        # Bob (officer of FRA) sends; Charlie (KEN, recipient) raises it to RED. Alice, FRA's
        # coordinator, must not be locked out of her own state's request; BRA stays outside.
        r = self.send(user=self.bob, tlp="AMBER")
        self.assertEqual(self.change(self.charlie, r, "RED", ["H2"]).status_code, 200)
        for reader in (self.alice, self.bob, self.charlie):
            got = self.api("GET", f"/exchange/requests/{r.pk}", reader)
            self.assertEqual(got.status_code, 200, reader.username)
        self.assertEqual(self.api("GET", f"/exchange/requests/{r.pk}", self.diego).status_code, 404)
        self.assertEqual(
            self.api("GET", "/exchange/requests?box=outgoing", self.alice).json()["count"], 1
        )

    def test_the_originator_raising_to_red_keeps_it_with_the_author(self) -> None:
        r = self.send(user=self.bob, tlp="AMBER")
        self.assertEqual(self.change(self.bob, r, "RED", []).status_code, 200)
        self.assertEqual(self.api("GET", f"/exchange/requests/{r.pk}", self.bob).status_code, 200)
        self.assertEqual(
            self.api("GET", f"/exchange/requests/{r.pk}", self.charlie).status_code, 200
        )
        self.assertEqual(self.api("GET", f"/exchange/requests/{r.pk}", self.alice).status_code, 404)
