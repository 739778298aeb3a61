from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.utils import timezone

from ctnet.core.models import AuditEvent
from ctnet.exchange.models import Delivery, PersonRecord, Request
from ctnet.exchange.services import lifecycle, sending
from ctnet.exchange.tests.helpers import ExchangeTestCase, person_data, request_data


def api_payload(**over):
    data = {"recipients": ["KEN"], **request_data(), **over}
    return data


class UrgentLifecycleTests(ExchangeTestCase):
    def test_full_urgent_lifecycle_between_two_coordinators(self) -> None:
        before = timezone.now()
        created = self.api("POST", "/exchange/requests", self.alice, api_payload())
        self.assertEqual(created.status_code, 201, created.content)
        body = created.json()
        rid = body["id"]
        (delivery,) = body["deliveries"]
        self.assertEqual(delivery["status"], "sent")
        # Urgent: 8 hours by default.
        deadline = Delivery.objects.get(pk=delivery["id"]).deadline
        self.assertAlmostEqual((deadline - before).total_seconds(), 8 * 3600, delta=60)

        opened = self.api("GET", f"/exchange/requests/{rid}", self.charlie)
        self.assertEqual(opened.status_code, 200)
        self.assertIsNone(opened.json()["source_details"])
        # Reading is no receipt (no state change on GET); the recipient confirms it.
        unread = self.api("GET", f"/exchange/requests/{rid}", self.alice).json()
        self.assertEqual(unread["deliveries"][0]["status"], "sent")
        confirmed = self.api("POST", f"/exchange/requests/{rid}/receipt", self.charlie)
        self.assertEqual(confirmed.json()["status"], "delivered")
        receipt = self.api("GET", f"/exchange/requests/{rid}", self.alice).json()
        self.assertEqual(receipt["deliveries"][0]["status"], "delivered")
        self.assertIsNotNone(receipt["deliveries"][0]["delivered_at"])

        ack = self.api("POST", f"/exchange/requests/{rid}/acknowledge", self.charlie)
        self.assertEqual(ack.json()["status"], "acknowledged")
        part = self.api(
            "POST",
            f"/exchange/requests/{rid}/replies",
            self.charlie,
            {"body": "Two entries found so far.", "kind": "part"},
        )
        self.assertEqual(part.status_code, 201, part.content)
        question = self.api(
            "POST",
            f"/exchange/requests/{rid}/replies",
            self.alice,
            {"body": "Which airports?", "delivery_id": delivery["id"]},
        )
        self.assertEqual(question.status_code, 201)
        final = self.api(
            "POST",
            f"/exchange/requests/{rid}/replies",
            self.charlie,
            {"body": "CDG and NBO.", "kind": "final"},
        )
        self.assertEqual(final.status_code, 201)
        closed = self.api("POST", f"/exchange/requests/{rid}/close", self.alice, {})
        self.assertEqual(closed.json()["status"], "closed")

        seen = self.api("GET", f"/exchange/requests/{rid}", self.alice).json()["deliveries"][0]
        self.assertEqual([m["kind"] for m in seen["replies"]], ["part", "message", "final"])
        for step in ("sent_at", "delivered_at", "acknowledged_at", "first_answer_at"):
            self.assertIsNotNone(seen[step], step)
        self.assertLess(seen["answered_at"], seen["deadline"])
        actions = set(
            AuditEvent.objects.filter(action__startswith="exchange.request").values_list(
                "action", flat=True
            )
        )
        self.assertTrue(
            {"exchange.request.send", "exchange.request.delivered", "exchange.request.close"}
            <= actions
        )

    def test_refusal_needs_a_reason_and_settles_the_delivery(self) -> None:
        r = self.send()
        empty = self.api("POST", f"/exchange/requests/{r.pk}/refuse", self.charlie, {})
        self.assertEqual(empty.status_code, 400)
        self.assertIn("reason", empty.json()["detail"])
        ok = self.api(
            "POST", f"/exchange/requests/{r.pk}/refuse", self.charlie, {"reason": "No basis"}
        )
        self.assertEqual(ok.json()["status"], "refused")
        again = self.api("POST", f"/exchange/requests/{r.pk}/acknowledge", self.charlie)
        self.assertEqual(again.status_code, 400)

    def test_settable_deadline_and_normal_default(self) -> None:
        r = self.send(priority="normal")
        d = r.deliveries.get()
        self.assertAlmostEqual((d.deadline - r.created_at).days, 7)
        soon = timezone.now() + timedelta(hours=2)
        r2 = self.send(deadline=soon)
        self.assertEqual(r2.deliveries.get().deadline, soon)
        past = self.api(
            "POST",
            "/exchange/requests",
            self.alice,
            api_payload(deadline=(timezone.now() - timedelta(hours=1)).isoformat()),
        )
        self.assertEqual(past.status_code, 400)


class VisibilityTests(ExchangeTestCase):
    def test_third_state_never_sees_it(self) -> None:
        for tlp in ("GREEN", "AMBER", "RED"):
            r = self.send(tlp=tlp, handling=[])
            for box in ("incoming", "outgoing", "overdue"):
                rows = self.api("GET", f"/exchange/requests?box={box}", self.diego).json()
                self.assertEqual(rows["count"], 0, (tlp, box))
            denied = self.api("GET", f"/exchange/requests/{r.pk}", self.diego)
            self.assertEqual(denied.status_code, 404, tlp)
            self.assertEqual(denied.json(), {"detail": "Not found."})
            self.assertTrue(
                AuditEvent.objects.filter(
                    action="exchange.denied", actor=self.diego, object_id=str(r.pk)
                ).exists()
            )
            incoming = self.api("GET", "/exchange/requests?box=incoming", self.charlie).json()
            self.assertIn(r.pk, [row["request_id"] for row in incoming["items"]])

    def test_missing_and_forbidden_look_alike(self) -> None:
        r = self.send()
        missing = self.api("GET", "/exchange/requests/999999", self.diego)
        forbidden = self.api("GET", f"/exchange/requests/{r.pk}", self.diego)
        self.assertEqual(missing.status_code, forbidden.status_code)
        self.assertEqual(missing.json(), forbidden.json())
        self.assertEqual(
            AuditEvent.objects.filter(action="exchange.denied", actor=self.diego).count(), 2
        )

    def test_recipients_do_not_see_each_others_threads(self) -> None:
        r = self.send(self.state_b, self.state_c)
        self.api(
            "POST",
            f"/exchange/requests/{r.pk}/replies",
            self.charlie,
            {"body": "Kenya's answer", "kind": "final"},
        )
        seen = self.api("GET", f"/exchange/requests/{r.pk}", self.diego).json()
        self.assertEqual([d["organisation"] for d in seen["deliveries"]], ["BRA"])
        self.assertNotIn("Kenya's answer", str(seen))
        sender = self.api("GET", f"/exchange/requests/{r.pk}", self.alice).json()
        self.assertEqual(len(sender["deliveries"]), 2)

    def test_source_only_for_the_originator_and_encrypted_at_rest(self) -> None:
        r = self.send()
        self.assertEqual(
            self.api("GET", f"/exchange/requests/{r.pk}", self.alice).json()["source_details"],
            "Informant KESTREL-7, met in Lyon",
        )
        self.assertIsNone(
            self.api("GET", f"/exchange/requests/{r.pk}", self.charlie).json()["source_details"]
        )
        raw = Request.objects.filter(pk=r.pk).values_list("source_details_enc", flat=True).get()
        self.assertTrue(raw)
        self.assertNotIn("KESTREL", raw)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT source_details_enc FROM exchange_request WHERE id = %s", [r.pk])
            (column,) = cursor.fetchone()
        self.assertNotIn("KESTREL", column)


class RefusalTests(ExchangeTestCase):
    def test_anonymous_401(self) -> None:
        r = self.send()
        for method, path in (
            ("GET", "/exchange/requests"),
            ("POST", "/exchange/requests"),
            ("GET", f"/exchange/requests/{r.pk}"),
            ("POST", f"/exchange/requests/{r.pk}/acknowledge"),
            ("GET", "/exchange/releases"),
            ("GET", "/exchange/people/1/trail"),
        ):
            self.assertEqual(self.api(method, path).status_code, 401, path)

    def test_wrong_role_403(self) -> None:
        self.assertEqual(self.api("GET", "/exchange/requests", self.olga).status_code, 403)
        denied = self.api("POST", "/exchange/requests", self.cso, api_payload())
        self.assertEqual(denied.status_code, 403)
        self.assertEqual(
            self.api("POST", "/exchange/requests", self.pat, api_payload()).status_code, 403
        )
        self.assertFalse(Request.objects.exists())

    def test_sender_cannot_answer_and_recipient_cannot_close(self) -> None:
        r = self.send()
        d = r.deliveries.get()
        answer = self.api(
            "POST",
            f"/exchange/requests/{r.pk}/replies",
            self.alice,
            {"body": "x", "kind": "final", "delivery_id": d.pk},
        )
        self.assertEqual(answer.status_code, 400)
        self.assertEqual(
            self.api("POST", f"/exchange/requests/{r.pk}/close", self.charlie, {}).status_code, 403
        )
        self.assertEqual(
            self.api("POST", f"/exchange/requests/{r.pk}/acknowledge", self.alice).status_code, 403
        )

    def test_wrong_method_405(self) -> None:
        r = self.send()
        self.assertEqual(
            self.api("DELETE", f"/exchange/requests/{r.pk}", self.alice).status_code, 405
        )
        self.assertEqual(
            self.api("GET", f"/exchange/requests/{r.pk}/acknowledge", self.charlie).status_code, 405
        )

    def test_missing_legal_basis_purpose_and_marking_are_named(self) -> None:
        response = self.api(
            "POST",
            "/exchange/requests",
            self.alice,
            api_payload(legal_basis="", purpose="  ", tlp=None),
        )
        self.assertEqual(response.status_code, 400)
        detail = response.json()["detail"]
        for name in ("legal_basis", "purpose", "tlp"):
            self.assertIn(name, detail)
        self.assertFalse(Request.objects.exists())

    def test_bad_input_4xx_with_message(self) -> None:
        cases = [
            (api_payload(recipients=["XXX"]), "XXX"),
            (api_payload(recipients=["FRA"]), "own"),
            (api_payload(recipients=[]), "recipient"),
            (api_payload(tlp="PURPLE"), "PURPLE"),
            (api_payload(handling=["H9"]), "H9"),
            (api_payload(handling=["H3"]), "H3"),
            (api_payload(priority="soon"), "urgent"),
            (api_payload(people=[person_data(legal_basis="")]), "legal_basis"),
            (api_payload(people=[person_data(nationality="ZZZ")]), "ZZZ"),
        ]
        for payload, needle in cases:
            response = self.api("POST", "/exchange/requests", self.alice, payload)
            self.assertIn(response.status_code, (400, 422), needle)
            self.assertIn(needle, response.json()["detail"], needle)
        self.assertEqual(
            self.api("POST", "/exchange/requests", self.alice, "{not json").status_code, 400
        )
        self.assertFalse(Request.objects.exists())
        self.assertFalse(PersonRecord.objects.exists())


class AllOrNothingTests(ExchangeTestCase):
    def test_failure_mid_way_leaves_no_recipient_with_anything(self) -> None:
        real = sending.create_delivery
        calls = []

        def fail_on_second(request, organisation, deadline):
            calls.append(organisation.code)
            if len(calls) == 2:
                raise IntegrityError("simulated failure on the second recipient")
            return real(request, organisation, deadline)

        with (
            mock.patch.object(sending, "create_delivery", side_effect=fail_on_second),
            self.assertRaises(IntegrityError),
        ):
            self.send(self.state_b, self.state_c, people=[person_data()])
        self.assertEqual(calls, ["BRA", "KEN"])
        self.assertFalse(Request.objects.exists())
        self.assertFalse(Delivery.objects.exists())
        self.assertFalse(PersonRecord.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(action="exchange.request.send").exists())
        for user in (self.charlie, self.diego):
            rows = self.api("GET", "/exchange/requests?box=incoming", user).json()
            self.assertEqual(rows["count"], 0)


class TopicValidationTests(ExchangeTestCase):
    def test_unknown_topic_is_refused_and_lists_the_valid_ones(self) -> None:
        response = self.api(
            "POST", "/exchange/requests", self.alice, api_payload(topic="astrology")
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("terrorist-financing", response.json()["detail"])
        self.assertFalse(Request.objects.exists())


class OpenRequestTests(ExchangeTestCase):
    """``services.lifecycle.open_request``: the read that writes the delivery receipt."""

    def test_receipt_once_by_the_recipient_and_refusals(self) -> None:
        r = self.send()
        lifecycle.open_request(acting_user=self.alice, request_id=r.pk)  # the sender: no receipt
        self.assertEqual(r.deliveries.get().status, "sent")
        for _ in range(2):
            lifecycle.open_request(acting_user=self.charlie, request_id=r.pk)
        delivery = r.deliveries.get()
        self.assertEqual((delivery.status, delivery.delivered_to), ("delivered", self.charlie))
        self.assertEqual(AuditEvent.objects.filter(action="exchange.request.delivered").count(), 1)
        with self.assertRaisesMessage(PermissionDenied, "does not take part in exchanges"):
            lifecycle.open_request(acting_user=self.olga, request_id=r.pk)
        with self.assertRaises(Http404):
            lifecycle.open_request(acting_user=self.diego, request_id=r.pk)
        # The refusal's audit row survives the 404.
        self.assertTrue(AuditEvent.objects.filter(action="exchange.denied", actor=self.diego))


class ReceiptTests(ExchangeTestCase):
    """The delivery receipt is an explicit, authenticated POST; a GET changes nothing."""

    def test_get_writes_no_receipt_and_the_post_writes_it_once(self) -> None:
        r = self.send()
        for _ in range(2):
            self.assertEqual(
                self.api("GET", f"/exchange/requests/{r.pk}", self.charlie).status_code, 200
            )
        self.assertEqual(r.deliveries.get().status, "sent")
        self.assertFalse(AuditEvent.objects.filter(action="exchange.request.delivered").exists())
        # The read itself is still audited (AMBER).
        self.assertTrue(
            AuditEvent.objects.filter(action="read", actor=self.charlie, object_id=str(r.pk))
        )
        path = f"/exchange/requests/{r.pk}/receipt"
        for _ in range(2):
            done = self.api("POST", path, self.charlie)
            self.assertEqual(done.status_code, 200, done.content)
        delivery = r.deliveries.get()
        self.assertEqual((delivery.status, delivery.delivered_to), ("delivered", self.charlie))
        self.assertEqual(AuditEvent.objects.filter(action="exchange.request.delivered").count(), 1)

    def test_receipt_refusals(self) -> None:
        r = self.send()
        path = f"/exchange/requests/{r.pk}/receipt"
        self.assertEqual(self.api("POST", path).status_code, 401)
        self.assertEqual(self.api("POST", path, self.alice).status_code, 403)  # the sender
        self.assertEqual(self.api("POST", path, self.olga).status_code, 403)
        self.assertEqual(self.api("POST", path, self.diego).status_code, 404)
        self.assertEqual(self.api("GET", path, self.charlie).status_code, 405)
        self.assertEqual(
            self.api("POST", "/exchange/requests/999999/receipt", self.charlie).status_code, 404
        )
        self.assertEqual(r.deliveries.get().status, "sent")

    def test_the_page_reads_without_receipt_and_its_button_confirms(self) -> None:
        r = self.send()
        self.login(self.charlie)
        page = self.client.get(f"/exchange/requests/{r.pk}/")
        self.assertContains(page, 'name="receipt"')
        self.assertEqual(r.deliveries.get().status, "sent")
        done = self.client.post(f"/exchange/requests/{r.pk}/act/", {"action": "receipt"})
        self.assertEqual(done.status_code, 302)
        self.assertEqual(r.deliveries.get().status, "delivered")
        self.assertNotContains(self.client.get(f"/exchange/requests/{r.pk}/"), 'name="receipt"')
        self.client.logout()
        self.login(self.alice)
        refused = self.client.post(f"/exchange/requests/{r.pk}/act/", {"action": "receipt"})
        self.assertEqual(refused.status_code, 403)
