from __future__ import annotations

from ctnet.core.models import AuditEvent
from ctnet.directory.models import Audience, ContactChange, ContactPoint, Function
from ctnet.directory.tests.helpers import make_contact
from ctnet.testing.base import CtnetTestCase

VALID = {
    "organisation": "FRA",
    "office": "Border police 24/7 desk",
    "holders": [{"name": "Jeanne Martin", "title": "Duty officer"}],
    "topics": ["border-security", "foreign-terrorist-fighters"],
    "languages": ["fr", "en"],
    "time_zone": "Europe/Paris",
    "always_on": True,
    "email": "desk@example.gov",
}


class ContactApiRefusalTests(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.fra_desk = make_contact(cls.state_a, "FRA desk")
        cls.cso_visible = make_contact(
            cls.state_a, "FRA public desk", published_to=Audience.CIVIL_SOCIETY
        )

    def test_anonymous_gets_401(self) -> None:
        for path in (
            "/directory/contacts",
            f"/directory/contacts/{self.fra_desk.pk}",
            "/directory/route?country=FRA&topic=cbrn",
            "/directory/coverage",
        ):
            self.assertEqual(self.api("GET", path).status_code, 401, path)
        self.assertEqual(self.api("POST", "/directory/contacts", data=VALID).status_code, 401)
        self.assertEqual(ContactPoint.objects.count(), 2)

    def test_oversight_gets_403_everywhere(self) -> None:
        token = self.token_for(self.olga)
        for path in (
            "/directory/contacts",
            f"/directory/contacts/{self.fra_desk.pk}",
            "/directory/topics",
            "/directory/route?country=FRA&topic=cbrn",
            "/directory/coverage",
        ):
            response = self.api("GET", path, self.olga, token=token)
            self.assertEqual(response.status_code, 403, path)
            self.assertIn("detail", response.json())

    def test_civil_society_sees_only_what_is_published_for_it(self) -> None:
        body = self.api("GET", "/directory/contacts", self.cso).json()
        self.assertEqual([c["office"] for c in body["items"]], ["FRA public desk"])
        # A network-only entry does not exist for them.
        self.assertEqual(
            self.api("GET", f"/directory/contacts/{self.fra_desk.pk}", self.cso).status_code, 404
        )
        # Platform members: not even the civil-society level.
        self.assertEqual(self.api("GET", "/directory/contacts", self.pat).json()["count"], 0)
        # Routing and coverage are for the community only.
        response = self.api("GET", "/directory/route?country=FRA&topic=cbrn", self.cso)
        self.assertEqual(response.status_code, 403)

    def test_missing_contact_is_404(self) -> None:
        self.assertEqual(self.api("GET", "/directory/contacts/999999", self.alice).status_code, 404)

    def test_wrong_method_is_405(self) -> None:
        self.assertEqual(self.api("PUT", "/directory/contacts", self.alice).status_code, 405)
        self.assertEqual(self.api("POST", "/directory/route", self.alice).status_code, 405)

    def test_officer_and_other_state_cannot_edit(self) -> None:
        patch = {"version": 1, "office": "Renamed"}
        path = f"/directory/contacts/{self.fra_desk.pk}"
        self.assertEqual(self.api("PATCH", path, self.bob, patch).status_code, 403)
        self.assertEqual(self.api("PATCH", path, self.charlie, patch).status_code, 403)
        self.assertEqual(
            self.api("POST", "/directory/contacts", self.charlie, VALID).status_code, 403
        )
        self.assertEqual(self.api("POST", "/directory/contacts", self.bob, VALID).status_code, 403)
        self.assertEqual(ContactPoint.objects.get(pk=self.fra_desk.pk).office, "FRA desk")
        self.assertEqual(ContactPoint.objects.count(), 2)


class ContactApiWriteTests(CtnetTestCase):
    def test_coordinator_creates_with_history_and_audit(self) -> None:
        response = self.api("POST", "/directory/contacts", self.alice, VALID)
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["topics"], ["border-security", "foreign-terrorist-fighters"])
        self.assertEqual(body["version"], 1)
        self.assertFalse(body["verified"])
        self.assertFalse(body["stale"])
        contact = ContactPoint.objects.get()
        change = ContactChange.objects.get(contact=contact)
        self.assertEqual(change.action, "create")
        self.assertEqual(change.actor_label, "alice")
        self.assertEqual(change.changes["office"], [None, "Border police 24/7 desk"])
        self.assertTrue(AuditEvent.objects.filter(action="directory.create").exists())

    def test_secretariat_edits_any_organisation(self) -> None:
        data = {**VALID, "organisation": "KEN", "time_zone": "Africa/Nairobi"}
        self.assertEqual(self.api("POST", "/directory/contacts", self.sam, data).status_code, 201)

    def test_bad_input_is_refused_with_a_message_and_nothing_saved(self) -> None:
        cases = {
            "time_zone": ("Mars/Olympus", "time zone"),
            "languages": (["xx"], "ISO 639-1"),
            "pgp_fingerprint": ("ABCD", "PGP"),
            "topics": (["knitting"], "border-security"),
            "phone": ("12345", "international"),
            "published_to": ("EVERYONE", "NETWORK"),
            "hours_start": ("25:00", "time"),
        }
        for field, (value, needle) in cases.items():
            response = self.api("POST", "/directory/contacts", self.alice, {**VALID, field: value})
            self.assertEqual(response.status_code, 400, field)
            self.assertIn(needle, response.json()["detail"], field)
        no_channel = {k: v for k, v in VALID.items() if k != "email"}
        response = self.api("POST", "/directory/contacts", self.alice, no_channel)
        self.assertEqual(response.status_code, 400)
        self.assertIn("reachable channel", response.json()["detail"])
        response = self.api(
            "POST", "/directory/contacts", self.alice, {**VALID, "always_on": "maybe"}
        )
        self.assertEqual(response.status_code, 422)
        response = self.api(
            "POST", "/directory/contacts", self.alice, {**VALID, "organisation": "ZZZ"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ContactPoint.objects.exists())
        self.assertFalse(ContactChange.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(action__startswith="directory.").exists())

    def test_pgp_fingerprint_is_normalised(self) -> None:
        fpr = "0123 4567 89ab cdef 0123  4567 89AB CDEF 0123 4567"
        response = self.api(
            "POST", "/directory/contacts", self.alice, {**VALID, "pgp_fingerprint": fpr}
        )
        self.assertEqual(
            response.json()["pgp_fingerprint"], "0123456789ABCDEF0123456789ABCDEF01234567"
        )

    def test_head_function_must_fit_the_organisation(self) -> None:
        data = {**VALID, "function": Function.ENTITY_FOCAL_POINT}
        response = self.api("POST", "/directory/contacts", self.alice, data)
        self.assertEqual(response.status_code, 400)


class ConcurrencyTests(CtnetTestCase):
    def test_stale_version_is_refused_with_409_and_nothing_overwritten(self) -> None:
        contact = make_contact(self.state_a, "Desk")
        path = f"/directory/contacts/{contact.pk}"
        first = self.api("PATCH", path, self.alice, {"version": 1, "office": "Desk A"})
        self.assertEqual(first.status_code, 200, first.content)
        self.assertEqual(first.json()["version"], 2)
        second = self.api("PATCH", path, self.sam, {"version": 1, "office": "Desk B"})
        self.assertEqual(second.status_code, 409)
        self.assertIn("Reload", second.json()["detail"])
        contact.refresh_from_db()
        self.assertEqual((contact.office, contact.version), ("Desk A", 2))
        self.assertEqual(ContactChange.objects.filter(action="update").count(), 1)
        gone = self.api("DELETE", f"{path}?version=1", self.alice)
        self.assertEqual(gone.status_code, 409)
        self.assertTrue(ContactPoint.objects.get(pk=contact.pk).is_active)

    def test_changing_a_channel_voids_verification(self) -> None:
        contact = make_contact(self.state_a, "Desk", verified=True)
        body = self.api(
            "PATCH",
            f"/directory/contacts/{contact.pk}",
            self.alice,
            {"version": 1, "email": "new@example.gov"},
        ).json()
        self.assertFalse(body["verified"])
        change = ContactChange.objects.get(action="update")
        self.assertEqual(change.changes["email"], ["desk@example.gov", "new@example.gov"])

    def test_partial_edit_keeps_other_fields_and_bad_edit_saves_nothing(self) -> None:
        contact = make_contact(self.state_a, "Desk")
        path = f"/directory/contacts/{contact.pk}"
        bad = self.api(
            "PATCH", path, self.alice, {"version": 1, "email": "", "phone": "", "other_channel": ""}
        )
        self.assertEqual(bad.status_code, 400)
        contact.refresh_from_db()
        self.assertEqual((contact.email, contact.version), ("desk@example.gov", 1))

    def test_verify_is_secretariat_only_and_confirm_restarts_the_clock(self) -> None:
        contact = make_contact(self.state_a, "Desk", verified=False, age_days=200)
        path = f"/directory/contacts/{contact.pk}"
        self.assertEqual(self.api("POST", f"{path}/verify", self.alice, {}).status_code, 403)
        self.assertTrue(self.api("POST", f"{path}/verify", self.sam, {}).json()["verified"])
        self.assertTrue(self.api("GET", path, self.alice).json()["stale"])
        self.assertEqual(self.api("POST", f"{path}/confirm", self.bob).status_code, 403)
        body = self.api("POST", f"{path}/confirm", self.alice).json()
        self.assertFalse(body["stale"])
        self.assertEqual(body["version"], 3)
        actions = list(
            ContactChange.objects.filter(contact=contact).values_list("action", flat=True)
        )
        self.assertEqual(actions, ["confirm", "verify"])

    def test_history_for_editors_only(self) -> None:
        contact = make_contact(self.state_a, "Desk")
        path = f"/directory/contacts/{contact.pk}"
        self.api("PATCH", path, self.alice, {"version": 1, "office": "Desk A"})
        body = self.api("GET", f"{path}/history", self.alice).json()
        self.assertEqual(body["items"][0]["changes"]["office"], ["Desk", "Desk A"])
        self.assertEqual(self.api("GET", f"{path}/history", self.charlie).status_code, 403)

    def test_archive_clears_deputy_links(self) -> None:
        deputy = make_contact(self.state_a, "Deputy")
        main = make_contact(self.state_a, "Main", deputy=deputy)
        response = self.api("DELETE", f"/directory/contacts/{deputy.pk}?version=1", self.alice)
        self.assertEqual(response.status_code, 204)
        main.refresh_from_db()
        self.assertIsNone(main.deputy_id)
        self.assertEqual(
            self.api("GET", f"/directory/contacts/{deputy.pk}", self.alice).status_code, 404
        )


class ListShapeTests(CtnetTestCase):
    def test_topics_and_coverage_are_pages_with_core_bounds(self) -> None:
        from ctnet.directory import taxonomy

        body = self.api("GET", "/directory/topics", self.charlie).json()
        self.assertEqual(body["count"], len(taxonomy.TOPICS))
        self.assertEqual([t["slug"] for t in body["items"]], list(taxonomy.TOPICS))
        second = self.api("GET", "/directory/topics?limit=1&offset=1", self.charlie).json()
        self.assertEqual(second["items"], body["items"][1:2])
        self.assertEqual(second["count"], body["count"])
        for path in ("/directory/topics", "/directory/coverage"):
            for bad in ("limit=201", "limit=0", "offset=1000001", "offset=-1"):
                response = self.api("GET", f"{path}?{bad}", self.charlie)
                self.assertEqual(response.status_code, 422, f"{path}?{bad}")
