"""Bad input of every kind gets a clear 4xx and changes nothing (DESIGN.md rule 6)."""

from __future__ import annotations

from django.test import override_settings

from ctnet.core.models import Invitation
from ctnet.testing.base import CtnetTestCase


class BadInputTests(CtnetTestCase):
    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
    def test_oversized_api_body(self) -> None:
        body = {"email": "x@example.org", "role": "OFFICER", "pad": "x" * 5000}
        response = self.api(
            "POST", f"/organisations/{self.state_a.pk}/invitations", self.alice, body
        )
        self.assertIn(response.status_code, (400, 413))
        self.assertFalse(Invitation.objects.exists())

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
    def test_oversized_form(self) -> None:
        self.login(self.alice)
        response = self.client.post(
            f"/organisations/{self.state_a.pk}/invite/",
            {"email": "x@example.org", "role": "OFFICER", "pad": "x" * 5000},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "could not be understood", status_code=400)
        self.assertFalse(Invitation.objects.exists())

    def test_tampered_session_cookie_is_a_stranger(self) -> None:
        self.login(self.alice)
        self.client.cookies["sessionid"] = self.client.cookies["sessionid"].value[:-4] + "abcd"
        response = self.client.get("/organisations/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/login/"))
        self.assertEqual(self.client.get("/api/v1/me").status_code, 401)

    def test_wrong_json_types(self) -> None:
        path = f"/organisations/{self.state_a.pk}/invitations"
        bodies: tuple[object, ...] = ([], {"email": 5, "role": []}, "null", "[1,2]")
        for body in bodies:
            response = self.api("POST", path, self.alice, body)
            self.assertEqual(response.status_code, 422, body)
            self.assertIn("detail", response.json())
        self.assertFalse(Invitation.objects.exists())

    def test_non_numeric_ids(self) -> None:
        self.assertEqual(self.api("GET", "/organisations/abc", self.alice).status_code, 422)
        self.login(self.alice)
        self.assertEqual(self.client.get("/organisations/abc/").status_code, 404)

    def test_huge_page_number_and_bad_limit(self) -> None:
        self.assertEqual(self.api("GET", "/organisations?limit=-1", self.alice).status_code, 422)
        self.login(self.alice)
        self.assertEqual(self.client.get("/organisations/?page=999999").status_code, 200)


class QueryCountTests(CtnetTestCase):
    """Pin the number of SQL queries on hot paths so a change that adds N+1 queries fails."""

    def test_organisation_list_api(self) -> None:
        token = self.token_for(self.alice)
        self.api("GET", "/organisations", self.alice, token=token)  # warm caches
        # token with user and membership, count, page of rows (a valid token reads no rate limit)
        with self.assertNumQueries(3):
            response = self.api("GET", "/organisations?limit=50", self.alice, token=token)
        self.assertEqual(response.status_code, 200)
