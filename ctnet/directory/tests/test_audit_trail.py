"""The audit log of the directory: reads of contact details are in it (ids), content never is."""

from __future__ import annotations

import json

from ctnet.core.models import AuditEvent
from ctnet.testing.base import PASSWORD, CtnetTestCase

OFFICE = "Kappa liaison bureau"
HOLDER = "Jeanne Exemplaire"
EMAIL = "kappa.bureau@example.gov"
PHONE = "+33 1 98 76 54 32"
CONTENT = (OFFICE, HOLDER, EMAIL, PHONE, "98 76 54 32", "Kappa", "Exemplaire", "Lambda")


def audit_text() -> str:
    """Every row's detail and object id, as one text to search."""
    rows = AuditEvent.objects.values_list("detail", "object_id")
    return "\n".join(json.dumps(detail, ensure_ascii=False) + " " + oid for detail, oid in rows)


class DirectoryAuditTests(CtnetTestCase):
    def test_main_flows_leave_ids_and_codes_but_no_content(self) -> None:
        payload = {
            "organisation": "FRA",
            "office": OFFICE,
            "holders": [{"name": HOLDER, "title": "Duty officer"}],
            "topics": ["cbrn"],
            "languages": ["fr"],
            "time_zone": "Europe/Paris",
            "always_on": True,
            "email": EMAIL,
            "phone": PHONE,
            "function": "NATIONAL_COORDINATOR",
        }
        created = self.api("POST", "/directory/contacts", self.alice, payload)
        self.assertEqual(created.status_code, 201, created.content)
        contact_id = created.json()["id"]
        path = f"/directory/contacts/{contact_id}"
        patch = {"version": 1, "office": OFFICE + " Lambda"}
        self.assertEqual(self.api("PATCH", path, self.alice, patch).status_code, 200)
        self.assertEqual(self.api("GET", path, self.charlie).status_code, 200)
        search = self.api("GET", f"/directory/contacts?q={HOLDER}", self.charlie)
        self.assertEqual(search.json()["count"], 1)
        route = self.api("GET", "/directory/route?country=FRA&topic=cbrn", self.charlie)
        self.assertEqual(route.json()["contact"]["id"], contact_id)
        self.assertEqual(self.api("GET", f"{path}/vcard", self.charlie).status_code, 200)
        self.login(self.charlie)
        self.assertContains(self.client.get(f"/directory/contacts/{contact_id}/"), HOLDER)
        self.assertContains(self.client.get(f"/directory/?q={HOLDER}"), HOLDER)
        self.client.post("/account/confirm/", {"password": PASSWORD})
        csv = self.client.get(f"/directory/export.csv?q={HOLDER}&country=FRA")
        self.assertEqual(csv.status_code, 200)
        self.client.get(f"/directory/print/?q={HOLDER}")

        text = audit_text()
        for content in CONTENT:
            self.assertNotIn(content, text)
        # Every read of the contact details is there, one row per answer, by id.
        reads = AuditEvent.objects.filter(action="read", object_type="directory.contactpoint")
        whys = sorted(event.detail["why"] for event in reads)
        self.assertEqual(whys, ["contact", "contact", "route head", "search", "search"])
        self.assertTrue(all(event.detail["ids"] == [contact_id] for event in reads))
        export = AuditEvent.objects.filter(action="directory.export", detail__format="csv").get()
        self.assertEqual(export.detail["q"], True)
        self.assertEqual(export.detail["country"], "FRA")

    def test_oversight_reads_nothing_and_refusals_leave_no_read(self) -> None:
        created = self.api(
            "POST",
            "/directory/contacts",
            self.alice,
            {
                "organisation": "FRA",
                "office": OFFICE,
                "email": EMAIL,
                "time_zone": "Europe/Paris",
            },
        )
        contact_id = created.json()["id"]
        self.assertEqual(
            self.api("GET", f"/directory/contacts/{contact_id}", self.olga).status_code, 403
        )
        self.assertFalse(AuditEvent.objects.filter(action="read").exists())
