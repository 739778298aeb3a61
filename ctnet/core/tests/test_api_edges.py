"""Issue 13, item 5 (core's part) and the audit log's own reads (item 4): numbers never make a
500, unauthenticated writes are a 401, oversized bodies a JSON 413 unread, reads of the log are
in the log."""

from __future__ import annotations

from typing import Any

from django.test import Client

from ctnet.core.models import AuditEvent, Invitation
from ctnet.core.pagination import MAX_LIMIT, MAX_OFFSET
from ctnet.testing.base import CtnetTestCase


class ExplodingInput:
    """A request body that fails the test if anything reads it."""

    def read(self, *args: Any) -> bytes:
        raise AssertionError("the body was read")

    readline = read


class PaginationBoundTests(CtnetTestCase):
    def test_limit_and_offset_beyond_the_maximum_are_a_422_with_the_bound(self) -> None:
        token = self.token_for(self.alice)
        for query, bound in (
            ("limit=1000000000", f"limit must be at most {MAX_LIMIT}"),
            ("offset=100000000000000000000", f"offset must be at most {MAX_OFFSET}"),
            ("limit=0", "limit must be at least 1"),
            ("offset=-1", "offset must be at least 0"),
        ):
            response = self.api("GET", f"/organisations?{query}", self.alice, token=token)
            self.assertEqual(response.status_code, 422, query)
            self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
            self.assertIn(bound, response.json()["detail"])

    def test_the_maximum_itself_is_served(self) -> None:
        response = self.api(
            "GET", f"/organisations?limit={MAX_LIMIT}&offset={MAX_OFFSET}", self.sam
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["items"], [])
        self.assertGreater(response.json()["count"], 0)

    def test_audit_log_is_bounded_too(self) -> None:
        response = self.api("GET", "/audit?offset=10000000000000", self.olga)
        self.assertEqual(response.status_code, 422)
        self.assertIn("offset", response.json()["detail"])

    def test_bound_message_in_the_callers_language(self) -> None:
        response = self.client.get(
            "/api/v1/tokens?limit=5000",
            headers={"Authorization": f"Bearer {self.token_for(self.alice)}"},
            HTTP_ACCEPT_LANGUAGE="fr",
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn(f"limit doit être au plus {MAX_LIMIT}", response.json()["detail"])


class UnauthenticatedWriteTests(CtnetTestCase):
    def test_anonymous_write_is_a_401_not_a_csrf_refusal(self) -> None:
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            f"/api/v1/organisations/{self.state_a.pk}/invitations",
            data={"email": "x@example.org", "role": "OFFICER"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 401)
        self.assertIn("detail", response.json())
        self.assertEqual(client.delete("/api/v1/tokens/1").status_code, 401)

    def test_session_write_without_csrf_is_still_refused(self) -> None:
        client = self.login(self.alice)
        client.handler.enforce_csrf_checks = True
        response = client.post(
            f"/api/v1/organisations/{self.state_a.pk}/invitations",
            data={"email": "x@example.org", "role": "OFFICER"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("CSRF", response.json()["detail"])
        self.assertFalse(Invitation.objects.exists())


class OversizedBodyTests(CtnetTestCase):
    def test_twelve_megabytes_is_a_json_413_unread(self) -> None:
        for lang, words in (("en", "larger than 10 MB"), ("fr", "10 Mo")):
            response = self.client.post(
                f"/api/v1/organisations/{self.state_a.pk}/invitations",
                content_type="application/json",
                headers={"Authorization": "Bearer ctn_x_y"},
                HTTP_ACCEPT_LANGUAGE=lang,
                CONTENT_LENGTH=str(12 * 1024 * 1024),
                **{"wsgi.input": ExplodingInput()},
            )
            self.assertEqual(response.status_code, 413)
            self.assertIn(words, response.json()["detail"])

    def test_pages_are_left_to_django(self) -> None:
        # Outside the API the form limits stay Django's (an HTML error page).
        response = self.client.post(
            "/login/",
            data="x" * 2048,
            content_type="application/x-www-form-urlencoded",
            CONTENT_LENGTH=str(12 * 1024 * 1024),
        )
        self.assertNotEqual(response.status_code, 413)


class AuditLogReadTests(CtnetTestCase):
    def test_api_read_of_the_log_is_one_audit_row_with_filters_and_ids(self) -> None:
        token = self.token_for(self.olga)
        response = self.api("GET", "/audit?action=auth.&limit=3", self.olga, token=token)
        self.assertEqual(response.status_code, 200)
        shown = [row["id"] for row in response.json()["items"]]
        reads = AuditEvent.objects.filter(action="audit.read")
        self.assertEqual(reads.count(), 1)
        read = reads.get()
        self.assertEqual(read.actor, self.olga)
        self.assertEqual(read.detail["ids"], shown)
        self.assertEqual(read.detail["filters"], {"action": "auth.", "limit": 3, "offset": 0})
        self.assertEqual(read.detail["count"], response.json()["count"])
        self.assertEqual(read.detail["via"], "api")
        # The log stays readable: the read is one row, and a filter leaves it out.
        again = self.api("GET", "/audit?action=auth.", self.olga, token=token).json()
        self.assertNotIn("audit.read", {row["action"] for row in again["items"]})

    def test_page_read_of_the_log_is_one_audit_row(self) -> None:
        self.login(self.olga)
        before = AuditEvent.objects.filter(action="audit.read").count()
        page = self.client.get("/audit/?action=auth.")
        self.assertEqual(page.status_code, 200)
        read = AuditEvent.objects.filter(action="audit.read").order_by("-id")[0]
        self.assertEqual(AuditEvent.objects.filter(action="audit.read").count(), before + 1)
        self.assertEqual(read.detail["via"], "page")
        self.assertEqual(read.detail["filters"]["action"], "auth.")
        self.assertEqual(read.detail["filters"]["page"], 1)
        shown = list(page.context["page"].object_list)
        self.assertEqual(read.detail["ids"], [e.id for e in shown])
        self.assertTrue(shown)

    def test_refused_reader_leaves_no_read_row(self) -> None:
        self.assertEqual(self.api("GET", "/audit", self.alice).status_code, 403)
        self.assertFalse(AuditEvent.objects.filter(action="audit.read").exists())
