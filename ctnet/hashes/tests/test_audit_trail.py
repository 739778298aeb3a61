"""The audit log of the hash banks: reads of AMBER signals are in it (ids), content never is."""

from __future__ import annotations

import hashlib
import json

from ctnet.core.models import AuditEvent
from ctnet.hashes.tests.helpers import HashesTestCase

BANK = "Bank Alpha of secrets"
CRISIS = "Crisis Beta bank"
INCIDENT = "Incident Zeta at the harbour"
ENTITY = "Entity Omega"
BEHAVIOUR = "Behaviour Sigma"
OPINION = "Opinion reason Theta"
FALSE_POSITIVE = "False positive reason Iota"
REMOVAL = "Removal reason Kappa"


def audit_text() -> str:
    rows = AuditEvent.objects.values_list("detail", "object_id")
    return "\n".join(json.dumps(detail, ensure_ascii=False) + " " + oid for detail, oid in rows)


class HashesAuditTests(HashesTestCase):
    def test_main_flows_leave_ids_and_codes_but_no_content(self) -> None:
        value = hashlib.sha256(b"audit trail").hexdigest()
        pending_value = hashlib.sha256(b"pending").hexdigest()
        bank = self.api(
            "POST",
            "/hashes/banks",
            self.charlie,
            {
                "name": BANK,
                "tlp": "AMBER",
                "recipients": ["TECH-X"],
                "requires_confirmation": False,
            },
        ).json()
        crisis = {"name": CRISIS, "incident": INCIDENT, "hours": 4, "recipients": ["TECH-X"]}
        self.assertEqual(
            self.api("POST", "/hashes/banks/crisis", self.charlie, crisis).status_code, 201
        )
        signal = {
            "signal_type": "sha256",
            "value": value,
            "category": "PROPAGANDA",
            "legal_basis": "UNSCR 2396",
            "entity": ENTITY,
            "behaviour": BEHAVIOUR,
        }
        path = f"/hashes/banks/{bank['id']}/signals"
        created = self.api("POST", path, self.charlie, signal)
        self.assertEqual(created.status_code, 201, created.content)
        signal_id = created.json()["id"]
        pending = {**signal, "value": pending_value}
        pending_path = f"/hashes/banks/{self.shared_bank.pk}/signals"
        self.assertEqual(self.api("POST", pending_path, self.charlie, pending).status_code, 201)
        match = {"queries": [{"signal_type": "sha256", "value": value}]}
        self.assertEqual(
            len(self.api("POST", "/hashes/match", self.pat, match).json()["results"][0]["matches"]),
            1,
        )
        feed = self.api("GET", "/hashes/feed", self.pat).json()
        self.assertEqual([i["id"] for i in feed["items"]], [signal_id])
        self.assertEqual(self.api("GET", path, self.pat).json()["count"], 1)
        self.assertEqual(self.api("GET", f"/hashes/signals/{signal_id}", self.pat).status_code, 200)
        sig = f"/hashes/signals/{signal_id}"
        self.api("POST", f"{sig}/opinions", self.pat, {"agrees": False, "reason": OPINION})
        self.api("POST", f"{sig}/false-positive", self.pat, {"reason": FALSE_POSITIVE})
        self.login(self.pat)
        self.assertContains(self.client.get(f"/hashes/banks/{bank['id']}/"), BANK)
        self.client.get("/hashes/banks/")
        self.assertEqual(
            self.api("POST", f"{sig}/remove", self.charlie, {"reason": REMOVAL}).status_code, 200
        )
        text = audit_text()
        for content in (
            BANK,
            CRISIS,
            INCIDENT,
            ENTITY,
            BEHAVIOUR,
            OPINION,
            FALSE_POSITIVE,
            REMOVAL,
            value,
            pending_value,
            value[:16],
        ):
            self.assertNotIn(content, text)
        reads = AuditEvent.objects.filter(
            action="read", object_type="hashes.signal", actor=self.pat
        )
        whys = [event.detail["why"] for event in reads.order_by("id")]
        # The feed, the API list, the signal itself (and each act on it) and the bank page.
        self.assertEqual(whys[:3], ["feed", "list", "signal"])
        self.assertIn("bank page", whys)
        self.assertTrue(all(event.detail["ids"] == [signal_id] for event in reads))
        banks = AuditEvent.objects.filter(action="read", object_type="hashes.bank", actor=self.pat)
        self.assertTrue(banks.exists())

    def test_green_signals_leave_no_read_row(self) -> None:
        signal = self.contribute(
            self.alice, self.shared_bank, hashlib.sha256(b"g").hexdigest(), signal_type="sha256"
        )
        self.api("GET", f"/hashes/signals/{signal.pk}", self.alice)
        self.assertFalse(AuditEvent.objects.filter(action="read").exists())
