"""Originator control on bulletins: onward releases, export releases, and the STIX export
only where the marking allows content to leave (DESIGN.md rule 2; issue 13 item 3)."""

from __future__ import annotations

import stix2
from django.test import Client

from ctnet.core.models import AuditEvent
from ctnet.exchange.models import Bulletin, PersonRecord, ReleaseRequest
from ctnet.exchange.stix import HANDLING_STATEMENTS, TLP2_IDS
from ctnet.exchange.tests.helpers import ExchangeTestCase, person_data
from ctnet.exchange.tests.test_bulletins import bulletin_data


class BulletinCase(ExchangeTestCase):
    """Bulletins from FRA (Alice) to a sharing group of KEN only; BRA (Diego) is the third."""

    def setUp(self) -> None:
        super().setUp()
        group = self.api(
            "POST", "/exchange/groups", self.alice, {"name": "Horn", "members": ["KEN"]}
        ).json()
        self.group_id = group["id"]

    def publish(self, **over):
        data = bulletin_data(audience="group", sharing_group_id=self.group_id, **over)
        response = self.api("POST", "/exchange/bulletins", self.alice, data)
        assert response.status_code == 201, response.content
        return Bulletin.objects.get(pk=response.json()["id"])

    def file(self, b: Bulletin, user=None, **over):
        payload = {"bulletin_id": b.pk, "new_recipient": "BRA", "reason": "Andean route", **over}
        return self.api("POST", "/exchange/releases", user or self.charlie, payload)

    def stix(self, b: Bulletin, user):
        return self.api("GET", f"/exchange/bulletins/{b.pk}/stix", user)


class BulletinReleaseTests(BulletinCase):
    def test_onward_release_of_a_bulletin_only_with_the_originators_approval(self) -> None:
        b = self.publish(tlp="AMBER", handling=["H1", "H2"], people=[person_data()])
        self.assertEqual(
            self.api("GET", f"/exchange/bulletins/{b.pk}", self.diego).status_code, 404
        )
        filed = self.file(b)
        self.assertEqual(filed.status_code, 201, filed.content)
        rel = filed.json()
        self.assertEqual(
            (rel["bulletin_id"], rel["request_id"], rel["kind"]), (b.pk, None, "onward")
        )
        awaiting = self.api("GET", "/exchange/releases?awaiting_me=true", self.alice).json()
        self.assertEqual([row["id"] for row in awaiting["items"]], [rel["id"]])
        # Before approval nobody new sees it; only the originator's head decides.
        self.assertEqual(self.api("GET", "/exchange/bulletins", self.diego).json()["count"], 0)
        approve = f"/exchange/releases/{rel['id']}/approve"
        self.assertEqual(self.api("POST", approve, self.charlie, {}).status_code, 403)
        self.assertEqual(self.api("POST", approve, self.bob, {}).status_code, 403)
        self.assertEqual(self.api("POST", approve, self.diego, {}).status_code, 404)
        done = self.api("POST", approve, self.alice, {"conditions": "Intelligence use only"})
        self.assertEqual(done.status_code, 200, done.content)
        copy = Bulletin.objects.get(pk=done.json()["bulletin_copy_id"])
        self.assertEqual((copy.released_from_id, copy.originator_id), (b.pk, self.state_a.pk))
        self.assertEqual((copy.tlp, copy.handling), ("AMBER", ["H1", "H2"]))
        seen = self.api("GET", f"/exchange/bulletins/{copy.pk}", self.diego).json()
        self.assertEqual(len(seen["indicators"]), 6)
        self.assertEqual(seen["people"][0]["copy_of"], b.people.get().pk)
        self.assertIsNone(seen["source_details"])
        self.assertEqual(
            seen["acknowledgements"], [{"organisation": "BRA", "acknowledged_at": None}]
        )
        # The original stays out of reach; the handling codes travel: BRA cannot export the copy.
        self.assertEqual(
            self.api("GET", f"/exchange/bulletins/{b.pk}", self.diego).status_code, 404
        )
        self.assertEqual(self.stix(copy, self.diego).status_code, 403)
        # A correction by the originator reaches the copy (same family).
        self.assertEqual(PersonRecord.objects.filter(copy_of=b.people.get()).count(), 1)
        self.assertTrue(AuditEvent.objects.filter(action="exchange.bulletin.release_copy"))

    def test_refusal_and_bad_bulletin_releases(self) -> None:
        b = self.publish(tlp="AMBER")
        self.assertEqual(self.file(b, user=self.alice).status_code, 403)  # the originator
        self.assertEqual(self.file(b, user=self.diego).status_code, 404)  # not an addressee
        self.assertEqual(self.file(b, new_recipient="KEN").status_code, 400)  # already has it
        self.assertEqual(self.file(b, new_recipient="").status_code, 400)
        self.assertIn("reason", self.file(b, reason="").json()["detail"])
        both = self.file(b, request_id=self.send().pk)
        self.assertEqual(both.status_code, 400)
        self.assertIn("either", both.json()["detail"])
        green = self.publish(tlp="GREEN")
        self.assertIn("no release is needed", self.file(green).json()["detail"])
        self.assertFalse(ReleaseRequest.objects.exists())
        rel_id = self.file(b).json()["id"]
        refused = self.api(
            "POST", f"/exchange/releases/{rel_id}/refuse", self.alice, {"reason": "Source risk"}
        )
        self.assertEqual(refused.json()["status"], "refused")
        self.assertEqual(Bulletin.objects.filter(released_from=b).count(), 0)
        # An export release is for bulletins only.
        r = self.send()
        on_request = self.api(
            "POST",
            "/exchange/releases",
            self.charlie,
            {"request_id": r.pk, "kind": "export", "reason": "Feed our TIP"},
        )
        self.assertEqual(on_request.status_code, 400)


class StixExportRuleTests(BulletinCase):
    def test_clear_and_green_without_h2_export_for_any_addressee(self) -> None:
        for tlp in ("CLEAR", "GREEN"):
            b = self.publish(tlp=tlp)
            self.assertEqual(self.stix(b, self.charlie).status_code, 200, tlp)
        h2 = self.publish(tlp="GREEN", handling=["H2"])
        self.assertEqual(self.stix(h2, self.charlie).status_code, 403)
        self.assertEqual(self.stix(h2, self.alice).status_code, 200)
        self.assertEqual(self.stix(h2, self.diego).status_code, 404)
        self.assertEqual(self.stix(h2, self.olga).status_code, 403)

    def test_amber_exports_after_an_approved_export_release_with_its_markings(self) -> None:
        b = self.publish(tlp="AMBER", handling=["H1", "H2", "H3"], handling_note="No press")
        refused = self.stix(b, self.charlie)
        self.assertEqual(refused.status_code, 403)
        self.assertIn("export release", refused.json()["detail"])
        filed = self.file(b, kind="export", new_recipient="", reason="Feed our national TIP")
        self.assertEqual(filed.status_code, 201, filed.content)
        self.assertEqual((filed.json()["kind"], filed.json()["new_recipient"]), ("export", None))
        self.assertEqual(self.stix(b, self.charlie).status_code, 403)  # still pending
        approve = f"/exchange/releases/{filed.json()['id']}/approve"
        done = self.api("POST", approve, self.alice, {"conditions": "Blocklists only"})
        self.assertEqual(done.status_code, 200, done.content)
        self.assertIsNone(done.json()["bulletin_copy_id"])
        response = self.stix(b, self.charlie)
        self.assertEqual(response.status_code, 200, response.content)
        bundle = stix2.parse(response.content.decode(), allow_custom=False)
        markings = {o.id: o for o in bundle.objects if o.type == "marking-definition"}
        self.assertIn(TLP2_IDS["AMBER"], markings)
        statements = [m.definition.statement for m in markings.values() if m.get("definition")]
        self.assertIn(HANDLING_STATEMENTS["H1"], statements)
        self.assertIn(HANDLING_STATEMENTS["H2"], statements)
        self.assertIn(HANDLING_STATEMENTS["H3"] + "No press", statements)
        self.assertTrue(any("Blocklists only" in s for s in statements))
        for obj in bundle.objects:
            if obj.type in ("indicator", "identity"):
                self.assertEqual(set(obj.object_marking_refs), set(markings))
        # The H1/H2 statements have fixed ids: the same in every bundle.
        again = self.stix(self.publish(tlp="AMBER", handling=["H1"]), self.alice).json()
        ids = {o["id"] for o in again["objects"] if o["type"] == "marking-definition"}
        self.assertTrue(ids <= set(markings))
        exports = AuditEvent.objects.filter(action="exchange.bulletin.export")
        self.assertEqual(exports.filter(actor=self.charlie).count(), 1)
        # The export is for the organisation that asked: BRA never sees it, KEN's release
        # does not help the secretariat either.
        self.assertEqual(self.stix(b, self.diego).status_code, 404)


class BulletinReleasePageTests(BulletinCase):
    def test_ask_decide_and_read_a_released_bulletin_through_the_pages(self) -> None:
        b = self.publish(tlp="AMBER", handling=["H2"])
        page_url = f"/exchange/bulletins/{b.pk}/"
        ken = self.login(self.charlie, Client())
        page = ken.get(page_url)
        self.assertNotContains(page, f"/api/v1/exchange/bulletins/{b.pk}/stix")
        self.assertContains(page, 'value="export"')
        release_url = f"/exchange/bulletins/{b.pk}/release/"
        bad = ken.post(release_url, {"kind": "export", "export-reason": ""})
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "say why", status_code=400)
        onward = ken.post(
            release_url,
            {"kind": "onward", "new_recipient": self.state_c.pk, "reason": "Andean route"},
        )
        self.assertEqual(onward.status_code, 302)
        export = ken.post(release_url, {"kind": "export", "export-reason": "Feed our national TIP"})
        self.assertEqual(export.status_code, 302)
        self.assertEqual(
            sorted(ReleaseRequest.objects.values_list("kind", flat=True)), ["export", "onward"]
        )
        self.assertEqual(ken.get("/exchange/bulletins/999999/release/").status_code, 405)
        fra = self.login(self.alice, Client())
        releases_page = fra.get("/exchange/releases/")
        self.assertContains(releases_page, b.title)
        for rel in ReleaseRequest.objects.all():
            decided = fra.post(
                f"/exchange/releases/{rel.pk}/decide/", {"decision": "approve", "text": ""}
            )
            self.assertEqual(decided.status_code, 302)
        copy = Bulletin.objects.get(released_from=b)
        self.assertContains(fra.get(page_url), f"/exchange/bulletins/{copy.pk}/")
        self.assertContains(ken.get(page_url), f"/api/v1/exchange/bulletins/{b.pk}/stix")
        bra = self.login(self.diego, Client())
        self.assertEqual(bra.get(f"/exchange/bulletins/{copy.pk}/").status_code, 200)
        self.assertEqual(bra.get(page_url).status_code, 404)
        self.assertEqual(
            bra.post(release_url, {"kind": "export", "export-reason": "x"}).status_code,
            404,
        )


class ListShapeTests(ExchangeTestCase):
    def test_every_exchange_list_is_items_and_count(self) -> None:
        self.api("POST", "/exchange/groups", self.alice, {"name": "Horn", "members": ["KEN"]})
        for path in (
            "/exchange/requests?box=incoming",
            "/exchange/releases",
            "/exchange/bulletins",
            "/exchange/groups",
        ):
            body = self.api("GET", path, self.alice).json()
            self.assertEqual(set(body), {"items", "count"}, path)
        groups = self.api("GET", "/exchange/groups?limit=1", self.alice).json()
        self.assertEqual((groups["count"], len(groups["items"])), (1, 1))
        found = self.api("GET", "/exchange/people?name=zz", self.olga).json()
        self.assertEqual(found, {"items": [], "count": 0})
