from __future__ import annotations

import json

import stix2

from ctnet.core.models import AuditEvent, Role
from ctnet.exchange.indicators import clean_indicator
from ctnet.exchange.models import Bulletin, Indicator
from ctnet.exchange.stix import TLP2_EXTENSION, TLP2_IDS
from ctnet.exchange.tests.helpers import ExchangeTestCase
from ctnet.testing.base import make_person

SHA = "a" * 64


def bulletin_data(**over):
    data = {
        "title": "Drone payload modifications seen",
        "body": "Commercial quadcopters fitted with release mechanisms.",
        "category": "drones",
        "audience": "network",
        "tlp": "AMBER",
        "handling": [],
        "indicators": [
            {"kind": "domain", "value": "Drone-Parts.Example"},
            {"kind": "url", "value": "https://drone-parts.example/kit?id=7"},
            {"kind": "ipv4", "value": "203.0.113.9"},
            {"kind": "sha256", "value": SHA.upper()},
            {"kind": "file_name", "value": "release'kit.bin"},
            {"kind": "domain", "value": "internal.example", "shareable": False},
        ],
    }
    data.update(over)
    return data


class BulletinTests(ExchangeTestCase):
    def publish(self, user=None, **over):
        return self.api("POST", "/exchange/bulletins", user or self.alice, bulletin_data(**over))

    def test_network_bulletin_with_acknowledgement_tracking(self) -> None:
        created = self.publish()
        self.assertEqual(created.status_code, 201, created.content)
        bid = created.json()["id"]
        acks = {a["organisation"] for a in created.json()["acknowledgements"]}
        self.assertEqual(acks, {"KEN", "BRA", "UNOCT", "OVERSIGHT"})
        self.assertEqual(created.json()["indicators"][0]["value"], "drone-parts.example")
        self.assertEqual(self.api("GET", f"/exchange/bulletins/{bid}", self.cso).status_code, 404)
        seen = self.api("GET", f"/exchange/bulletins/{bid}", self.charlie).json()
        self.assertEqual([a["organisation"] for a in seen["acknowledgements"]], ["KEN"])
        self.assertIsNone(seen["source_details"])
        ack = self.api("POST", f"/exchange/bulletins/{bid}/acknowledge", self.charlie)
        self.assertIsNotNone(ack.json()["acknowledged_at"])
        mine = self.api("GET", f"/exchange/bulletins/{bid}", self.alice).json()
        done = {a["organisation"] for a in mine["acknowledgements"] if a["acknowledged_at"]}
        self.assertEqual(done, {"KEN"})
        self.assertEqual(
            self.api("POST", f"/exchange/bulletins/{bid}/acknowledge", self.alice).status_code, 403
        )

    def test_region_and_group_audiences(self) -> None:
        region = self.publish(audience="region", un_group="AFRICAN").json()
        self.assertEqual([a["organisation"] for a in region["acknowledgements"]], ["KEN"])
        self.assertEqual(
            self.api("GET", f"/exchange/bulletins/{region['id']}", self.diego).status_code, 404
        )
        group = self.api(
            "POST", "/exchange/groups", self.alice, {"name": "Sahel", "members": ["BRA"]}
        )
        self.assertEqual(group.status_code, 201, group.content)
        gid = group.json()["id"]
        b = self.publish(audience="group", sharing_group_id=gid).json()
        self.assertEqual([a["organisation"] for a in b["acknowledgements"]], ["BRA"])
        self.assertEqual(
            self.api("GET", f"/exchange/bulletins/{b['id']}", self.charlie).status_code, 404
        )
        listed = self.api("GET", "/exchange/bulletins", self.charlie).json()
        self.assertEqual([row["id"] for row in listed["items"]], [region["id"]])
        # Someone else's group cannot be used.
        other = self.publish(user=self.charlie, audience="group", sharing_group_id=gid)
        self.assertEqual(other.status_code, 404)

    def test_refusals(self) -> None:
        self.assertEqual(self.publish(user=self.cso).status_code, 403)
        self.assertEqual(self.api("GET", "/exchange/bulletins", self.olga).status_code, 403)
        self.assertEqual(self.api("GET", "/exchange/bulletins").status_code, 401)
        self.assertEqual(self.api("PUT", "/exchange/bulletins", self.alice, {}).status_code, 405)
        missing = self.publish(title="", tlp="")
        self.assertEqual(missing.status_code, 400)
        self.assertIn("title", missing.json()["detail"])
        self.assertIn("tlp", missing.json()["detail"])
        bad = self.publish(indicators=[{"kind": "ipv4", "value": "999.1.1.1"}])
        self.assertEqual(bad.status_code, 400)
        self.assertIn("999.1.1.1", bad.json()["detail"])
        self.assertEqual(self.publish(audience="region", un_group="").status_code, 400)
        self.assertEqual(self.publish(category="aliens").status_code, 400)
        self.assertFalse(Bulletin.objects.exists())
        self.assertFalse(Indicator.objects.exists())
        self.assertEqual(self.api("GET", "/exchange/bulletins/99999", self.diego).status_code, 404)
        self.assertTrue(
            AuditEvent.objects.filter(action="exchange.denied", object_type="exchange.bulletin")
        )

    def test_stix_export_shape(self) -> None:
        bid = self.publish(tlp="AMBER+STRICT").json()["id"]
        # AMBER+STRICT leaves the platform only with the originator (or an export release).
        self.assertEqual(
            self.api("GET", f"/exchange/bulletins/{bid}/stix", self.charlie).status_code, 403
        )
        response = self.api("GET", f"/exchange/bulletins/{bid}/stix", self.alice)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/stix+json")
        bundle = stix2.parse(response.content.decode(), allow_custom=False)
        kinds = [o.type for o in bundle.objects]
        self.assertEqual(kinds.count("indicator"), 5)  # the non-shareable one stays home
        marking = next(o for o in bundle.objects if o.type == "marking-definition")
        self.assertEqual(marking.id, TLP2_IDS["AMBER+STRICT"])
        self.assertEqual(marking.extensions[TLP2_EXTENSION]["tlp_2_0"], "amber+strict")
        patterns = sorted(o.pattern for o in bundle.objects if o.type == "indicator")
        self.assertIn("[file:hashes.'SHA-256' = '" + SHA + "']", patterns)
        self.assertIn("[file:name = 'release\\'kit.bin']", patterns)
        self.assertIn("[ipv4-addr:value = '203.0.113.9']", patterns)
        for obj in bundle.objects:
            if obj.type == "indicator":
                self.assertEqual(obj.object_marking_refs, [marking.id])
        self.assertNotIn("internal.example", response.content.decode())
        again = json.loads(self.api("GET", f"/exchange/bulletins/{bid}/stix", self.alice).content)
        self.assertEqual(
            sorted(o["id"] for o in again["objects"]), sorted(o.id for o in bundle.objects)
        )
        self.assertEqual(
            self.api("GET", f"/exchange/bulletins/{bid}/stix", self.cso).status_code, 404
        )

    def test_cso_in_a_group_receives_green(self) -> None:
        group = self.api(
            "POST", "/exchange/groups", self.alice, {"name": "Civil", "members": ["CSO-X"]}
        ).json()
        b = self.publish(audience="group", sharing_group_id=group["id"], tlp="GREEN").json()
        self.assertEqual(
            self.api("GET", f"/exchange/bulletins/{b['id']}", self.cso).status_code, 200
        )


class IndicatorValidationTests(ExchangeTestCase):
    def test_kinds(self) -> None:
        good = {
            ("domain", "Bücher.Example"): "xn--bcher-kva.example",
            ("url", "http://a.example/x"): "http://a.example/x",
            ("ipv4", " 10.0.0.1 "): "10.0.0.1",
            ("sha256", SHA.upper()): SHA,
            ("file_name", "a.exe"): "a.exe",
        }
        for (kind, value), expected in good.items():
            self.assertEqual(clean_indicator(kind, value), expected)
        bad = [
            ("domain", "localhost"),
            ("domain", "1.2.3.4"),
            ("domain", "-a.example"),
            ("url", "javascript:alert(1)"),
            ("url", "http:///x"),
            ("url", "http://a b"),
            ("ipv4", "10.0.0"),
            ("ipv4", "::1"),
            ("sha256", "abc"),
            ("file_name", "../x"),
            ("file_name", ""),
            ("md5", "x"),
        ]
        for kind, value in bad:
            with self.assertRaises(ValueError, msg=(kind, value)):
                clean_indicator(kind, value)


class RedBulletinTests(ExchangeTestCase):
    def test_red_reaches_heads_only(self) -> None:
        officer = make_person("ken.officer", self.state_b, Role.OFFICER)
        b = self.api("POST", "/exchange/bulletins", self.alice, bulletin_data(tlp="RED")).json()
        self.assertEqual(
            self.api("GET", f"/exchange/bulletins/{b['id']}", self.charlie).status_code, 200
        )
        self.assertEqual(
            self.api("GET", f"/exchange/bulletins/{b['id']}", officer).status_code, 404
        )
        self.assertEqual(
            self.api("GET", f"/exchange/bulletins/{b['id']}", self.bob).status_code, 404
        )
