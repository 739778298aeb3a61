from __future__ import annotations

import csv
import io

from django.core import mail

from ctnet.core.models import AuditEvent
from ctnet.directory.models import ContactChange, ContactPoint, Function, Receipt
from ctnet.directory.tests.helpers import make_contact
from ctnet.testing.base import CtnetTestCase

FORM = {
    "function": "OFFICE",
    "office": "Aviation security desk",
    "holders": "Paul Durand — Head of desk",
    "topics": ["aviation-security"],
    "languages": "fr, en",
    "time_zone": "Europe/Paris",
    "always_on": "on",
    "email": "aviation@example.gov",
    "published_to": "NETWORK",
}


class PageRefusalTests(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.desk = make_contact(cls.state_a, "FRA desk")

    def test_anonymous_is_sent_to_login(self) -> None:
        for path in (
            "/directory/",
            f"/directory/contacts/{self.desk.pk}/",
            "/directory/route/",
            "/directory/coverage/",
            "/directory/export.csv",
            "/directory/print/",
            f"/directory/contacts/{self.desk.pk}/vcard/",
            "/directory/tests/",
        ):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 302, path)
            self.assertTrue(response["Location"].startswith("/login/"), path)
        self.client.post(f"/directory/contacts/{self.desk.pk}/confirm/")
        self.assertEqual(ContactPoint.objects.get().version, 1)

    def test_oversight_gets_403(self) -> None:
        self.login(self.olga)
        for path in (
            "/directory/",
            f"/directory/contacts/{self.desk.pk}/",
            "/directory/route/",
            "/directory/coverage/",
            "/directory/export.csv",
        ):
            self.assertEqual(self.client.get(path).status_code, 403, path)
        self.assertNotContains(self.client.get("/"), 'href="/directory/"')

    def test_outsider_404_wrong_role_403_wrong_method_405(self) -> None:
        self.login(self.cso)
        self.assertEqual(self.client.get(f"/directory/contacts/{self.desk.pk}/").status_code, 404)
        self.assertEqual(
            self.client.get(f"/directory/contacts/{self.desk.pk}/vcard/").status_code, 404
        )
        self.assertEqual(self.client.get("/directory/route/").status_code, 403)
        self.client.post("/logout/")
        self.login(self.bob)
        self.assertEqual(
            self.client.get(f"/directory/contacts/{self.desk.pk}/edit/").status_code, 403
        )
        self.assertEqual(
            self.client.post(f"/directory/contacts/{self.desk.pk}/confirm/").status_code, 403
        )
        self.assertEqual(
            self.client.get(f"/directory/contacts/{self.desk.pk}/confirm/").status_code, 405
        )
        self.assertEqual(self.client.post("/directory/").status_code, 405)
        self.assertEqual(self.client.get("/directory/tests/").status_code, 403)
        self.assertEqual(self.client.get("/directory/contacts/999999/").status_code, 404)


class PageTests(CtnetTestCase):
    def test_search_flags_stale_entries(self) -> None:
        make_contact(self.state_b, "KEN old desk", age_days=400)
        self.login(self.alice)
        page = self.client.get("/directory/?country=KEN")
        self.assertContains(page, "KEN old desk")
        self.assertContains(page, 'class="flag stale"')
        bad = self.client.get("/directory/?country=ZZZ")
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "No country or organisation is called", status_code=400)

    def test_create_edit_and_conflict(self) -> None:
        self.login(self.alice)
        self.assertEqual(
            self.client.get(f"/directory/organisations/{self.state_a.pk}/new/").status_code, 200
        )
        response = self.client.post(f"/directory/organisations/{self.state_a.pk}/new/", FORM)
        self.assertEqual(response.status_code, 302)
        contact = ContactPoint.objects.get()
        self.assertEqual(contact.holders, [{"name": "Paul Durand", "title": "Head of desk"}])
        edit = f"/directory/contacts/{contact.pk}/edit/"
        self.assertEqual(
            self.client.post(edit, {**FORM, "office": "Desk v2", "version": 1}).status_code, 302
        )
        stale = self.client.post(edit, {**FORM, "office": "Desk v3", "version": 1})
        self.assertContains(stale, "Someone else changed", status_code=409)
        self.assertEqual(ContactPoint.objects.get().office, "Desk v2")
        detail = self.client.get(f"/directory/contacts/{contact.pk}/")
        self.assertContains(detail, "Desk v2")
        self.assertContains(detail, "History")

    def test_form_without_channel_saves_nothing(self) -> None:
        self.login(self.alice)
        data = {**FORM, "email": ""}
        response = self.client.post(f"/directory/organisations/{self.state_a.pk}/new/", data)
        self.assertContains(response, "reachable channel", status_code=400)
        self.assertFalse(ContactPoint.objects.exists())
        response = self.client.post(f"/directory/organisations/{self.state_b.pk}/new/", FORM)
        self.assertEqual(response.status_code, 403)

    def test_route_page(self) -> None:
        make_contact(self.state_b, "KEN cbrn", topic_list=["cbrn"])
        self.login(self.alice)
        page = self.client.get("/directory/route/?country=KEN&topic=cbrn")
        self.assertContains(page, "KEN cbrn")
        self.assertContains(page, "available now")
        self.assertEqual(
            self.client.get("/directory/route/?country=KEN&topic=knitting").status_code, 400
        )

    def test_coverage_page_is_light_and_accessible(self) -> None:
        make_contact(self.state_a, "FRA head", function=Function.NATIONAL_COORDINATOR)
        self.login(self.charlie)
        page = self.client.get("/directory/coverage/")
        self.assertContains(page, '<path class="st-verified"')
        self.assertContains(page, '<path class="st-missing"')
        self.assertContains(page, "<table")
        self.assertLess(len(page.content), 150_000)


class ExportTests(CtnetTestCase):
    def test_vcard(self) -> None:
        contact = make_contact(
            self.state_a,
            "FRA desk",
            pgp_fingerprint="0123456789ABCDEF0123456789ABCDEF01234567",
            age_days=300,
        )
        self.login(self.charlie)
        response = self.client.get(f"/directory/contacts/{contact.pk}/vcard/")
        self.assertEqual(response["Content-Type"], "text/vcard; charset=utf-8")
        body = response.content.decode()
        self.assertTrue(body.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n"))
        self.assertIn("EMAIL;TYPE=work:fra.desk@example.gov\r\n", body)
        self.assertIn("TEL;VALUE=uri;TYPE=work,voice:tel:+33123456789\r\n", body)
        self.assertIn("KEY:openpgp4fpr:0123456789abcdef0123456789abcdef01234567", body)
        self.assertIn("STALE", body.replace("\r\n ", ""))
        self.assertTrue(all(len(line.encode()) <= 75 for line in body.split("\r\n")))
        event = AuditEvent.objects.get(action="directory.export")
        self.assertEqual((event.detail["format"], event.object_id), ("vcard", str(contact.pk)))
        api = self.api("GET", f"/directory/contacts/{contact.pk}/vcard", self.alice)
        self.assertIn(b"FN:FRA desk holder", api.content)

    def test_csv_of_many_needs_sudo_and_is_audited(self) -> None:
        make_contact(self.state_a, "FRA desk")
        make_contact(self.state_b, "=cmd()", age_days=400)
        self.login(self.alice)
        response = self.client.get("/directory/export.csv")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/account/confirm/"))
        self.assertFalse(AuditEvent.objects.filter(action="directory.export").exists())
        single = self.client.get("/directory/export.csv?country=FRA")
        self.assertEqual(single.status_code, 200)
        self.client.post("/account/confirm/", {"password": "correct horse battery staple 42"})
        response = self.client.get("/directory/export.csv")
        lines = response.content.decode().splitlines()
        self.assertTrue(lines[0].startswith("organisation_code,organisation,function,office"))
        self.assertIn("'=cmd()", lines[2])
        self.assertTrue(lines[2].endswith("STALE"))
        self.assertIn("'+33 1 23 45 67 89", lines[1])  # a phone number too: no exception
        events = AuditEvent.objects.filter(action="directory.export").order_by("id")
        self.assertEqual([e.detail["count"] for e in events], [1, 2])

    def test_csv_escapes_plus_and_minus_formulas(self) -> None:
        make_contact(
            self.state_a,
            '+1+HYPERLINK("http://evil.example","x")',
            other_channel="-2+3+cmd|' /C calc'!A0",
            urgent_procedure="@SUM(1)",
        )
        self.login(self.alice)
        response = self.client.get("/directory/export.csv?country=FRA")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        header, row = rows[0], rows[1]
        cells = dict(zip(header, row, strict=True))
        self.assertEqual(cells["office"], '\'+1+HYPERLINK("http://evil.example","x")')
        self.assertEqual(cells["other_channel"], "'-2+3+cmd|' /C calc'!A0")
        self.assertEqual(cells["urgent_procedure"], "'@SUM(1)")
        for cell in row:
            self.assertFalse(cell[:1] in ("=", "+", "-", "@", "\t", "\r"), cell)

    def test_print_page(self) -> None:
        make_contact(self.state_a, "FRA desk")
        self.login(self.bob)
        page = self.client.get("/directory/print/")
        self.assertContains(page, "FRA desk")
        self.assertContains(page, "@media print", count=0)  # the print rules live in the stylesheet
        self.assertTrue(
            AuditEvent.objects.filter(action="directory.export", detail__format="print").exists()
        )


class CommunicationTestTests(CtnetTestCase):
    def test_secretariat_runs_a_test_and_links_are_single_use(self) -> None:
        make_contact(self.state_a, "FRA desk")
        make_contact(self.state_b, "KEN desk")
        self.login(self.sam)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/directory/tests/", {"note": "Q3"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(mail.outbox), 2)
        link = next(w for w in mail.outbox[0].body.split() if "/directory/receipt/" in w)
        path = (
            link.split("127.0.0.1:8000", 1)[-1]
            if "127.0.0.1:8000" in link
            else link[link.index("/directory/") :]
        )
        secret = path.rstrip("/").rsplit("/", 1)[-1]
        self.assertFalse(Receipt.objects.filter(token_hash__contains=secret).exists())
        anonymous = self.client_class()
        self.assertContains(anonymous.get(path), "Confirm receipt")
        self.assertContains(anonymous.post(path), "Receipt confirmed")
        self.assertEqual(anonymous.post(path).status_code, 404)
        self.assertEqual(anonymous.get(path).status_code, 404)
        results = self.client.get(response["Location"])
        self.assertContains(results, "confirmed: 1")
        body = self.api(
            "GET", f"/directory/communication-tests/{Receipt.objects.first().test_id}", self.sam
        ).json()
        self.assertEqual((body["sent"], body["confirmed"]), (2, 1))
        confirmed = [r for r in body["receipts"] if r["confirmed_at"]]
        self.assertGreaterEqual(confirmed[0]["seconds_to_confirm"], 0)

    def test_only_the_secretariat_starts_tests(self) -> None:
        make_contact(self.state_a, "FRA desk")
        self.assertEqual(
            self.api("POST", "/directory/communication-tests", self.alice, {}).status_code, 403
        )
        self.assertEqual(
            self.api("GET", "/directory/communication-tests/1", self.alice).status_code, 403
        )
        self.assertFalse(Receipt.objects.exists())
        self.assertEqual(ContactChange.objects.count(), 0)
