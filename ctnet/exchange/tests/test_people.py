from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from ctnet.core.models import AuditEvent
from ctnet.exchange.models import PersonRecord, ReleaseRequest
from ctnet.exchange.services import people as people_services
from ctnet.exchange.services import releases
from ctnet.exchange.tests.helpers import ExchangeTestCase, person_data


class PersonRecordTests(ExchangeTestCase):
    def released(self):
        """A request to KEN with one person, released on to BRA: original and one copy."""
        r = self.send(people=[person_data()])
        rel = ReleaseRequest.objects.create(
            request=r,
            originator=r.originator,
            requested_by=self.charlie,
            requesting_org=self.state_b,
            new_recipient=self.state_c,
            reason="Needed",
        )
        rel = releases.approve_release(acting_user=self.alice, release=rel)
        original = r.people.get()
        return r, rel.copy, original, rel.copy.people.get()

    def test_every_read_is_audited(self) -> None:
        r = self.send(people=[person_data()])
        rec = r.people.get()
        self.api("GET", f"/exchange/requests/{r.pk}", self.charlie)
        self.api("GET", f"/exchange/people/{rec.pk}", self.charlie)
        reads = AuditEvent.objects.filter(
            action="read", object_type="exchange.personrecord", object_id=str(rec.pk)
        )
        self.assertEqual(reads.filter(actor=self.charlie).count(), 2)
        self.assertEqual(self.api("GET", f"/exchange/people/{rec.pk}", self.diego).status_code, 404)
        self.assertEqual(self.api("GET", f"/exchange/people/{rec.pk}", self.olga).status_code, 403)

    def test_correction_reaches_every_copy_with_a_notice(self) -> None:
        _r, copy, original, copied = self.released()
        self.assertEqual(
            self.api(
                "PATCH", f"/exchange/people/{copied.pk}", self.diego, {"legal_status": "cleared"}
            ).status_code,
            403,
        )
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            response = self.api(
                "PATCH",
                f"/exchange/people/{original.pk}",
                self.alice,
                {"legal_status": "cleared", "given_names": "Jordan Lee"},
            )
        self.assertEqual(response.status_code, 200, response.content)
        copied.refresh_from_db()
        self.assertEqual((copied.legal_status, copied.given_names), ("cleared", "Jordan Lee"))
        self.assertEqual(copied.version, 2)
        seen = self.api("GET", f"/exchange/requests/{copy.pk}", self.diego).json()["people"][0]
        self.assertEqual(seen["legal_status"], "cleared")
        notified = {addr for m in mail.outbox for addr in m.to}
        self.assertTrue({"charlie@example.org", "diego@example.org"} <= notified)
        self.assertNotIn("Exampleton", " ".join(str(m.body) for m in mail.outbox))
        event = AuditEvent.objects.get(action="exchange.person.correct")
        self.assertEqual(event.detail["fields"], ["given_names", "legal_status"])
        self.assertNotIn("Jordan", str(event.detail))
        bad = self.api(
            "PATCH", f"/exchange/people/{original.pk}", self.alice, {"legal_status": "x"}
        )
        self.assertEqual(bad.status_code, 400)

    def test_withdrawal_deletes_every_copy(self) -> None:
        _r, _copy, original, _copied = self.released()
        self.assertEqual(
            self.api("DELETE", f"/exchange/people/{original.pk}", self.charlie).status_code, 403
        )
        response = self.api("DELETE", f"/exchange/people/{original.pk}?reason=error", self.alice)
        self.assertEqual(response.status_code, 204)
        self.assertFalse(PersonRecord.objects.exists())

    def test_purge_removes_every_copy_and_trail_still_shows_readers(self) -> None:
        r, copy, original, copied = self.released()
        self.api("GET", f"/exchange/requests/{r.pk}", self.charlie)
        self.api("GET", f"/exchange/requests/{copy.pk}", self.diego)
        keep = self.send(
            people=[
                person_data(
                    family_name="Keeper",
                    retain_until=(timezone.localdate() + timedelta(days=900)).isoformat(),
                )
            ]
        ).people.get()
        later = timezone.localdate() + timedelta(days=400)
        purged = people_services.purge_expired(today=later - timedelta(days=20))
        self.assertEqual(purged, 2)
        self.assertFalse(PersonRecord.objects.filter(pk__in=[original.pk, copied.pk]).exists())
        self.assertTrue(PersonRecord.objects.filter(pk=keep.pk).exists())
        event = AuditEvent.objects.get(action="exchange.person.purge")
        self.assertEqual(event.detail["count"], 2)
        self.assertEqual(sorted(event.detail["records"]), sorted([original.pk, copied.pk]))
        self.assertNotIn("Exampleton", str(event.detail))
        self.assertEqual(
            self.api("GET", f"/exchange/requests/{copy.pk}", self.diego).json()["people"], []
        )

        trail = self.api("GET", f"/exchange/people/{original.pk}/trail", self.olga)
        self.assertEqual(trail.status_code, 200, trail.content)
        body = trail.json()
        self.assertEqual(body["recipients"], ["BRA", "KEN"])
        self.assertEqual([c["exists"] for c in body["copies"]], [False, False])
        readers = {(row["actor"], row["record_id"]) for row in body["reads"]}
        self.assertIn(("charlie", original.pk), readers)
        self.assertIn(("diego", copied.pk), readers)
        self.assertIn("exchange.person.purge", [e["action"] for e in body["events"]])
        # Asking by the copy's id finds the same family.
        self.assertEqual(
            self.api("GET", f"/exchange/people/{copied.pk}/trail", self.olga).json()["root_id"],
            original.pk,
        )

    def test_trail_refusals_and_name_search(self) -> None:
        r = self.send(people=[person_data()])
        rec = r.people.get()
        for user in (self.alice, self.charlie, self.sam):
            self.assertEqual(
                self.api("GET", f"/exchange/people/{rec.pk}/trail", user).status_code, 403
            )
        self.assertEqual(
            self.api("GET", "/exchange/people/999999/trail", self.olga).status_code, 404
        )
        found = self.api("GET", "/exchange/people?name=exampl", self.olga).json()
        self.assertEqual([row["id"] for row in found["items"]], [rec.pk])
        self.assertEqual(found["count"], 1)
        self.assertEqual(
            self.api("GET", "/exchange/people?name=exampl", self.alice).status_code, 403
        )
        self.assertEqual(self.api("GET", "/exchange/people?name=e", self.olga).status_code, 422)
        self.assertEqual(
            self.api("POST", f"/exchange/people/{rec.pk}/trail", self.olga).status_code, 405
        )

    def test_add_person_refusals(self) -> None:
        r = self.send()
        path = f"/exchange/requests/{r.pk}/people"
        self.assertEqual(self.api("POST", path, self.charlie, person_data()).status_code, 403)
        missing = self.api("POST", path, self.alice, person_data(purpose="", review_date=None))
        self.assertEqual(missing.status_code, 400)
        self.assertIn("purpose", missing.json()["detail"])
        self.assertIn("review_date", missing.json()["detail"])
        late = self.api("POST", path, self.alice, person_data(retain_until="2001-01-01"))
        self.assertEqual(late.status_code, 400)
        self.assertFalse(PersonRecord.objects.exists())
        self.assertEqual(self.api("POST", path, self.alice, person_data()).status_code, 201)
