from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctnet.core.models import AuditEvent
from ctnet.exchange.models import (
    Attachment,
    Bulletin,
    Delivery,
    PersonRecord,
    ReleaseRequest,
    Request,
)
from ctnet.exchange.tests.helpers import ExchangeTestCase, person_data, request_data


def form_data(recipients, **over):
    data = {
        **{k: v for k, v in request_data().items() if k not in ("handling",)},
        "recipients": [r.pk for r in recipients],
        "handling": ["H2"],
    }
    data.update(over)
    return data


class AnonymousAndRolesTests(ExchangeTestCase):
    def test_anonymous_redirected_and_nothing_written(self) -> None:
        r = self.send()
        for path in (
            "/exchange/",
            "/exchange/requests/new/",
            f"/exchange/requests/{r.pk}/",
            "/exchange/releases/",
            "/exchange/bulletins/",
            "/exchange/people/",
        ):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 302, path)
            self.assertTrue(response["Location"].startswith("/login/"), path)
        self.client.post(f"/exchange/requests/{r.pk}/act/", {"action": "close"})
        self.assertEqual(r.deliveries.get().status, "sent")

    def test_wrong_role_403(self) -> None:
        self.login(self.olga)
        self.assertEqual(self.client.get("/exchange/").status_code, 403)
        self.assertEqual(self.client.get("/exchange/requests/new/").status_code, 403)
        self.client.post("/logout/")
        self.login(self.cso)
        self.assertEqual(self.client.get("/exchange/requests/new/").status_code, 403)
        self.assertEqual(self.client.get("/exchange/people/").status_code, 403)
        self.assertEqual(
            self.client.post("/exchange/requests/new/", form_data([self.state_b])).status_code, 403
        )
        self.assertFalse(Request.objects.exists())

    def test_wrong_method_405(self) -> None:
        r = self.send()
        self.login(self.alice)
        self.assertEqual(self.client.post("/exchange/").status_code, 405)
        self.assertEqual(self.client.get(f"/exchange/requests/{r.pk}/act/").status_code, 405)
        self.assertEqual(self.client.post(f"/exchange/requests/{r.pk}/").status_code, 405)


class RequestPageTests(ExchangeTestCase):
    def test_send_through_the_form_with_a_person_and_an_attachment(self) -> None:
        self.login(self.alice)
        upload = SimpleUploadedFile("note.txt", b"entries: 2", content_type="text/plain")
        data = form_data(
            [self.state_b],
            attachment=upload,
            **{f"person-{k}": v for k, v in person_data().items() if k != "documents"},
        )
        response = self.client.post("/exchange/requests/new/", data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        r = Request.objects.get()
        self.assertEqual(r.people.get().family_name, "Exampleton")
        att = Attachment.objects.get()
        page = self.client.get(response["Location"])
        self.assertContains(page, "KESTREL-7")
        self.assertContains(page, "note.txt")
        self.client.post("/logout/")
        self.login(self.charlie)
        page = self.client.get(f"/exchange/requests/{r.pk}/")
        self.assertNotContains(page, "KESTREL")
        self.assertContains(page, "Exampleton")
        download = self.client.get(f"/exchange/requests/{r.pk}/files/{att.pk}/")
        self.assertEqual(b"".join(download.streaming_content), b"entries: 2")
        self.assertEqual(self.client.get(f"/exchange/requests/{r.pk}/files/9999/").status_code, 404)

    def test_bad_form_input_400_with_message_and_nothing_written(self) -> None:
        self.login(self.alice)
        response = self.client.post(
            "/exchange/requests/new/", form_data([self.state_b], legal_basis="", purpose="")
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "This field is required", status_code=400)
        bad_file = SimpleUploadedFile("x.pdf", b"MZ\x90\x00", content_type="application/pdf")
        response = self.client.post(
            "/exchange/requests/new/", form_data([self.state_b], attachment=bad_file)
        )
        self.assertContains(response, "does not match", status_code=400)
        self.assertFalse(Request.objects.exists())
        self.assertFalse(Delivery.objects.exists())

    def test_outsider_404_audited(self) -> None:
        r = self.send()
        self.login(self.diego)
        self.assertEqual(self.client.get(f"/exchange/requests/{r.pk}/").status_code, 404)
        self.assertEqual(
            self.client.post(
                f"/exchange/requests/{r.pk}/act/", {"action": "acknowledge"}
            ).status_code,
            404,
        )
        self.assertEqual(
            AuditEvent.objects.filter(action="exchange.denied", actor=self.diego).count(), 2
        )
        self.assertNotContains(self.client.get("/exchange/?box=incoming"), r.subject)

    def test_actions_and_errors_on_the_detail_page(self) -> None:
        r = self.send()
        self.login(self.charlie)
        self.client.get(f"/exchange/requests/{r.pk}/")
        self.client.post(f"/exchange/requests/{r.pk}/act/", {"action": "acknowledge"})
        no_reason = self.client.post(
            f"/exchange/requests/{r.pk}/act/", {"action": "refuse", "reason": ""}
        )
        self.assertEqual(no_reason.status_code, 400)
        lower = self.client.post(f"/exchange/requests/{r.pk}/marking/", {"tlp": "GREEN"})
        self.assertEqual(lower.status_code, 403)
        release = self.client.post(
            f"/exchange/requests/{r.pk}/release/",
            {"new_recipient": self.state_c.pk, "reason": "Joint investigation"},
        )
        self.assertEqual(release.status_code, 302)
        self.assertEqual(r.deliveries.get().status, "acknowledged")
        self.client.post("/logout/")
        self.login(self.alice)
        page = self.client.get("/exchange/releases/")
        self.assertContains(page, "Joint investigation")
        rel = ReleaseRequest.objects.get()
        self.client.post(
            f"/exchange/releases/{rel.pk}/decide/", {"decision": "approve", "text": "No court use"}
        )
        rel.refresh_from_db()
        self.assertEqual(rel.status, "approved")


class InboxQueryCountTests(ExchangeTestCase):
    def test_inbox_query_count_does_not_grow_with_rows(self) -> None:
        self.login(self.charlie)
        self.send()
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get("/exchange/?box=incoming").status_code, 200)
        for _ in range(12):
            self.send(self.state_b, self.state_c)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get("/exchange/?box=incoming")
        self.assertEqual(len(response.context["page"].object_list), 13)
        self.assertEqual(len(few), len(many))
        # Session, user with membership, OTP device, count, pending releases, people due, rows, and
        # the menu's two: what waits (one SELECT of every count) and the unread notifications.
        self.assertEqual(len(many), 9, [q["sql"][:120] for q in many.captured_queries])

    def test_api_inbox_query_count_pinned(self) -> None:
        token = self.token_for(self.charlie)
        for _ in range(3):
            self.send()
        # The first use of a token stamps last_used_at; measure after it.
        self.api("GET", "/exchange/requests", self.charlie, token=token)
        with CaptureQueriesContext(connection) as few:
            self.api("GET", "/exchange/requests", self.charlie, token=token)
        for _ in range(10):
            self.send()
        with CaptureQueriesContext(connection) as many:
            rows = self.api("GET", "/exchange/requests", self.charlie, token=token).json()
        self.assertEqual(rows["count"], 13)
        self.assertEqual(len(few), len(many))
        # Token with membership, count, rows (a valid token is checked before any rate-limit count).
        self.assertEqual(len(many), 3, [q["sql"][:120] for q in many.captured_queries])


class OversightPageTests(ExchangeTestCase):
    def test_trail_page_and_search(self) -> None:
        r = self.send(people=[person_data()])
        rec = r.people.get()
        self.login(self.charlie)
        self.client.get(f"/exchange/requests/{r.pk}/")
        self.assertEqual(self.client.get(f"/exchange/people/{rec.pk}/trail/").status_code, 403)
        self.client.post("/logout/")
        self.login(self.olga)
        found = self.client.get("/exchange/people/?name=Exampl")
        self.assertContains(found, f"/exchange/people/{rec.pk}/trail/")
        self.assertEqual(self.client.get("/exchange/people/?name=E").status_code, 400)
        page = self.client.get(f"/exchange/people/{rec.pk}/trail/")
        self.assertContains(page, "charlie")
        self.assertContains(page, "KEN")
        self.assertNotContains(page, "Exampleton")
        self.assertEqual(self.client.get("/exchange/people/999999/trail/").status_code, 404)
        self.assertTrue(PersonRecord.objects.exists())


class BulletinPageTests(ExchangeTestCase):
    def test_publish_read_and_acknowledge_through_pages(self) -> None:
        self.login(self.alice)
        data = {
            "title": "Cyber campaign against water utilities",
            "body": "Phishing wave with a loader.",
            "category": "cyber",
            "audience": "region",
            "un_group": "AFRICAN",
            "tlp": "GREEN",
            "indicators": "domain: Water-Update.example\nipv4: 198.51.100.7\n",
        }
        bad = self.client.post("/exchange/bulletins/new/", {**data, "indicators": "ipv4: 1.2.3"})
        self.assertContains(bad, "1.2.3", status_code=400)
        self.assertFalse(Bulletin.objects.exists())
        response = self.client.post("/exchange/bulletins/new/", data)
        self.assertEqual(response.status_code, 302)
        b = Bulletin.objects.get()
        self.assertEqual(
            sorted(b.indicators.values_list("value", flat=True)),
            ["198.51.100.7", "water-update.example"],
        )
        self.client.post("/logout/")
        self.login(self.charlie)
        self.assertContains(self.client.get("/exchange/bulletins/"), b.title)
        page = self.client.get(f"/exchange/bulletins/{b.pk}/")
        self.assertContains(page, "water-update.example")
        self.client.post(f"/exchange/bulletins/{b.pk}/ack/")
        self.assertIsNotNone(b.acks.get().acknowledged_at)
        self.assertEqual(self.client.get(f"/exchange/bulletins/{b.pk}/ack/").status_code, 405)
        self.client.post("/logout/")
        self.login(self.diego)
        self.assertEqual(self.client.get(f"/exchange/bulletins/{b.pk}/").status_code, 404)
        self.assertNotContains(self.client.get("/exchange/bulletins/"), b.title)
        self.client.post("/logout/")
        self.login(self.cso)
        self.assertEqual(self.client.get("/exchange/bulletins/new/").status_code, 403)


class PersonPageTests(ExchangeTestCase):
    def test_originator_corrects_and_withdraws_through_the_page(self) -> None:
        r = self.send(people=[person_data()])
        rec = r.people.get()
        self.login(self.charlie)
        refused = self.client.post(
            f"/exchange/people/{rec.pk}/",
            {"legal_status": "cleared", "review_date": "2030-01-01", "retain_until": "2031-01-01"},
        )
        self.assertEqual(refused.status_code, 403)
        self.client.post("/logout/")
        self.login(self.alice)
        self.assertContains(self.client.get(f"/exchange/requests/{r.pk}/"), "Correct everywhere")
        self.client.post(
            f"/exchange/people/{rec.pk}/",
            {"legal_status": "cleared", "review_date": "2030-01-01", "retain_until": "2031-01-01"},
        )
        rec.refresh_from_db()
        self.assertEqual((rec.legal_status, rec.version), ("cleared", 2))
        bad = self.client.post(
            f"/exchange/people/{rec.pk}/",
            {"legal_status": "cleared", "review_date": "2030-01-01", "retain_until": "2029-01-01"},
            follow=True,
        )
        self.assertContains(bad, "retain_until")
        self.assertEqual(self.client.get(f"/exchange/people/{rec.pk}/").status_code, 405)
        self.client.post(f"/exchange/people/{rec.pk}/", {"action": "withdraw", "reason": "error"})
        self.assertFalse(PersonRecord.objects.exists())


class DirectoryRouteTests(ExchangeTestCase):
    def test_sender_sees_whom_to_call_at_each_recipient_for_the_topic(self) -> None:
        from ctnet.directory.tests.helpers import make_contact

        make_contact(self.state_b, "Border desk", topic_list=["border-security"])
        r = self.send(topic="border-security")
        self.login(self.alice)
        page = self.client.get(f"/exchange/requests/{r.pk}/")
        self.assertContains(page, "Whom to call about it")
        self.assertContains(page, "Border desk")
        self.assertContains(page, "border.desk@example.gov")
        # The recipient reads the request, not the sender's routing to itself.
        self.client.post("/logout/")
        self.login(self.charlie)
        self.assertNotContains(self.client.get(f"/exchange/requests/{r.pk}/"), "Whom to call")

    def test_no_topic_no_route(self) -> None:
        r = self.send()
        self.login(self.alice)
        self.assertNotContains(self.client.get(f"/exchange/requests/{r.pk}/"), "Whom to call")
