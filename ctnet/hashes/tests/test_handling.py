"""Handling codes on hash banks: set by the owner, shown in plain words, H2 enforced on the feed
and on re-sharing into another bank, raised by readers and lowered by the owner (issue 13)."""

from __future__ import annotations

import hashlib

from ctnet.core.markings import TLP
from ctnet.core.models import AuditEvent, Role
from ctnet.hashes import services
from ctnet.hashes.models import Bank
from ctnet.hashes.tests.helpers import HashesTestCase, pdq_of
from ctnet.testing.base import make_org, make_person


class BankHandlingTests(HashesTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.tech_y = make_org("TECH-Y", "TECH_COMPANY")
        cls.quinn = make_person("quinn", cls.tech_y, Role.PLATFORM_MEMBER)
        # A GREEN bank marked H2, shared by name with TECH-X only: every state sees it.
        cls.h2_bank = services.create_bank(
            acting_user=cls.alice,
            name="FRA H2 bank",
            tlp=TLP.GREEN,
            recipients=[cls.tech_org],
            requires_confirmation=False,
            handling=["H2", "h1"],
        )
        cls.value = hashlib.sha256(b"h2 signal").hexdigest()
        cls.signal = cls.contribute(cls.alice, cls.h2_bank, cls.value, signal_type="sha256")

    def test_created_with_codes_shown_in_plain_words(self) -> None:
        body = self.api("GET", f"/hashes/banks/{self.h2_bank.pk}", self.charlie).json()
        self.assertEqual((body["handling"], body["tlp"]), (["H1", "H2"], "GREEN"))
        created = self.api(
            "POST",
            "/hashes/banks",
            self.charlie,
            {"name": "KEN H3", "handling": ["H3"], "handling_note": "Only for moderation"},
        )
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["handling_note"], "Only for moderation")
        refused = self.api("POST", "/hashes/banks", self.charlie, {"name": "x", "handling": ["H3"]})
        self.assertEqual(refused.status_code, 400)
        refused = self.api("POST", "/hashes/banks", self.charlie, {"name": "x", "handling": ["H7"]})
        self.assertEqual(refused.status_code, 400)
        self.login(self.charlie)
        page = self.client.get(f"/hashes/banks/{self.h2_bank.pk}/")
        self.assertContains(page, "no onward sharing without the originator")
        self.assertContains(page, "not for use in court without the originator")
        response = self.client.post(
            "/hashes/banks/",
            {"name": "KEN page bank", "tlp": "AMBER", "handling": ["H1"], "recipients": ""},
        )
        self.assertEqual(response.status_code, 302, response.content)
        self.assertEqual(Bank.objects.get(name="KEN page bank").handling, ["H1"])

    def test_h2_bank_is_in_the_feed_only_where_named(self) -> None:
        def feed_ids(user):
            return [i["id"] for i in self.api("GET", "/hashes/feed", user).json()["items"]]

        self.assertIn(self.signal.pk, feed_ids(self.alice))  # the owner
        self.assertIn(self.signal.pk, feed_ids(self.pat))  # named recipient
        self.assertNotIn(self.signal.pk, feed_ids(self.charlie))  # sees it as GREEN, not named
        self.assertNotIn(self.signal.pk, feed_ids(self.quinn))  # does not see it at all
        item = next(
            i
            for i in self.api("GET", "/hashes/feed", self.pat).json()["items"]
            if i["id"] == self.signal.pk
        )
        self.assertEqual(item["handling"], ["H1", "H2"])
        # Charlie still matches against it and reads it on the platform.
        match = {"queries": [{"signal_type": "sha256", "value": self.value}]}
        results = self.api("POST", "/hashes/match", self.charlie, match).json()["results"]
        self.assertEqual(results[0]["matches"][0]["id"], self.signal.pk)

    def test_h2_signals_are_not_re_shared_into_another_bank(self) -> None:
        body = {
            "signal_type": "sha256",
            "value": self.value,
            "category": "PROPAGANDA",
            "legal_basis": "law",
        }
        path = f"/hashes/banks/{self.ken_bank.pk}/signals"
        refused = self.api("POST", path, self.charlie, body)
        self.assertEqual(refused.status_code, 400)
        self.assertIn("H2", refused.json()["detail"])
        self.assertIn("FRA", refused.json()["detail"])
        # The owner may put it anywhere itself; a hash of a bank one cannot see is not refused.
        own = services.create_bank(acting_user=self.alice, name="FRA other", tlp=TLP.AMBER)
        self.assertEqual(
            self.api("POST", f"/hashes/banks/{own.pk}/signals", self.alice, body).status_code, 201
        )
        quinn_bank = services.create_bank(acting_user=self.quinn, name="Y bank", tlp=TLP.AMBER)
        response = self.api("POST", f"/hashes/banks/{quinn_bank.pk}/signals", self.quinn, body)
        self.assertEqual(response.status_code, 201, response.content)
        # Without H2 the same copy is allowed.
        plain = {**body, "value": pdq_of(30), "signal_type": "pdq"}
        self.contribute(self.alice, self.shared_bank, pdq_of(30))
        self.assertEqual(self.api("POST", path, self.charlie, plain).status_code, 201)

    def test_readers_raise_the_owner_lowers(self) -> None:
        path = f"/hashes/banks/{self.shared_bank.pk}/marking"
        raised = self.api("POST", path, self.charlie, {"tlp": "GREEN", "handling": ["H2"]})
        self.assertEqual(raised.status_code, 200, raised.content)
        self.assertEqual(raised.json()["handling"], ["H2"])
        for lower in ({"tlp": "GREEN", "handling": []}, {"tlp": "CLEAR", "handling": ["H2"]}):
            self.assertEqual(self.api("POST", path, self.charlie, lower).status_code, 403)
        amber = self.api("POST", path, self.charlie, {"tlp": "AMBER", "handling": ["H2"]})
        self.assertEqual(amber.status_code, 200)
        # The raiser keeps access (named), a third state that is not named does not.
        self.assertEqual(
            self.api("GET", f"/hashes/banks/{self.shared_bank.pk}", self.charlie).status_code, 200
        )
        self.assertEqual(self.api("POST", path, self.alice, {"tlp": "GREEN"}).status_code, 200)
        self.assertEqual(self.api("POST", path, self.alice, {"tlp": "RED"}).status_code, 400)
        self.assertEqual(self.api("POST", path, self.olga, {"tlp": "AMBER"}).status_code, 403)
        self.assertEqual(self.api("POST", path, self.quinn, {"tlp": "AMBER"}).status_code, 404)
        events = AuditEvent.objects.filter(action="hashes.bank.marking").order_by("id")
        self.assertEqual(
            [e.detail["to"] for e in events],
            [
                {"tlp": "GREEN", "handling": ["H2"]},
                {"tlp": "AMBER", "handling": ["H2"]},
                {"tlp": "GREEN", "handling": []},
            ],
        )
        self.login(self.charlie)
        page = f"/hashes/banks/{self.shared_bank.pk}/marking/"
        response = self.client.post(page, {"marking-tlp": "GREEN", "marking-handling": ["H1"]})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Bank.objects.get(pk=self.shared_bank.pk).handling, ["H1"])
        response = self.client.post(page, {"marking-tlp": "CLEAR", "marking-handling": ["H1"]})
        self.assertEqual(response.status_code, 403)
