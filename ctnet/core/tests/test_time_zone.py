"""The person's time zone (profile, middleware) and the API's label fields (issue 14, item 3)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.exceptions import ValidationError

from ctnet.core import services
from ctnet.core.models import AuditEvent, User
from ctnet.testing.base import CtnetTestCase

PROFILE = {"first_name": "Alice", "last_name": "A", "language": "en"}


class TimeZoneTests(CtnetTestCase):
    def test_profile_saves_a_zone_and_pages_show_times_in_it(self) -> None:
        self.login(self.alice)
        token = services.create_api_token(
            acting_user=self.alice, name="t", read_only=True, expires_days=30
        ).token
        token.expires_at = datetime(2027, 1, 1, 23, 30, tzinfo=UTC)
        token.save(update_fields=["expires_at"])
        page = self.client.get("/account/")
        self.assertContains(page, '<bdi dir="ltr">1 Jan 2027</bdi>')  # UTC before a zone is set
        response = self.client.post("/account/", {**PROFILE, "time_zone": "Asia/Tokyo"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(User.objects.get(pk=self.alice.pk).time_zone, "Asia/Tokyo")
        page = self.client.get("/account/")
        self.assertContains(page, '<bdi dir="ltr">2 Jan 2027</bdi>')  # 08:30 the next day in Tokyo
        self.assertContains(page, '<option value="Asia/Tokyo" selected>')
        self.assertTrue(AuditEvent.objects.filter(action="profile.update").exists())

    def test_an_unknown_zone_is_refused_with_a_message_and_nothing_changes(self) -> None:
        self.login(self.alice)
        response = self.client.post(
            "/account/", {**PROFILE, "time_zone": "Mars/Olympus"}, HTTP_ACCEPT_LANGUAGE="fr"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(User.objects.get(pk=self.alice.pk).time_zone, "")
        with self.assertRaises(ValidationError) as caught:
            services.update_profile(
                acting_user=self.alice,
                first_name="A",
                last_name="B",
                language="en",
                time_zone="Mars/Olympus",
            )
        self.assertIn("Europe/Paris", str(caught.exception))
        self.assertEqual(User.objects.get(pk=self.alice.pk).time_zone, "")

    def test_anonymous_pages_and_other_people_stay_in_utc(self) -> None:
        services.update_profile(
            acting_user=self.alice,
            first_name="A",
            last_name="B",
            language="en",
            time_zone="Asia/Tokyo",
        )
        self.login(self.bob)
        me = self.api("GET", "/me", self.bob).json()
        self.assertEqual(me["time_zone"], "UTC")
        self.assertEqual(self.api("GET", "/me", self.alice).json()["time_zone"], "Asia/Tokyo")

    def test_profile_page_is_refused_to_the_anonymous(self) -> None:
        response = self.client.post("/account/", {**PROFILE, "time_zone": "Asia/Tokyo"})
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response.url)


class LabelApiTests(CtnetTestCase):
    def test_anonymous_gets_401(self) -> None:
        self.assertEqual(self.api("GET", "/labels").status_code, 401)

    def test_every_vocabulary_in_the_callers_language(self) -> None:
        response = self.api(
            "GET", "/labels?vocabulary=core.UNGroup", self.alice, HTTP_ACCEPT_LANGUAGE="fr"
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["count"], 5)
        self.assertIn(
            {
                "vocabulary": "core.UNGroup",
                "value": "AFRICAN",
                "label": "Groupe des États d'Afrique",
            },
            body["items"],
        )
        everything = self.api("GET", "/labels?limit=200", self.alice).json()
        self.assertGreater(everything["count"], 200)  # every capability's codes, paged
        self.assertEqual(len(everything["items"]), 200)

    def test_an_unknown_vocabulary_is_a_400_with_a_message(self) -> None:
        response = self.api("GET", "/labels?vocabulary=core.Nope", self.alice)
        self.assertEqual(response.status_code, 400)
        self.assertIn("core.Nope", response.json()["detail"])

    def test_human_fields_beside_codes(self) -> None:
        me = self.api("GET", "/me", self.alice, HTTP_ACCEPT_LANGUAGE="es").json()
        self.assertEqual(me["role"], "NATIONAL_COORDINATOR")
        self.assertEqual(me["role_label"], "Coordinador nacional")
        self.assertEqual(me["organisation"]["un_group"], "WESTERN_EUROPEAN_OTHERS")
        self.assertEqual(
            me["organisation"]["un_group_label"],
            "Grupo de los Estados de Europa Occidental y otros Estados",
        )
        self.assertEqual(me["organisation"]["kind_label"], "Estado Miembro")
