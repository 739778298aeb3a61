"""Handling codes on practices: set by the author, shown in plain words, H2 enforced on
downloads, raised by readers and lowered by the originator only (issue 13)."""

from __future__ import annotations

import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ctnet.core.models import AuditEvent
from ctnet.practices.models import Practice
from ctnet.practices.tests.helpers import PracticeTestCase
from ctnet.testing.base import make_org

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class PracticeHandlingTests(PracticeTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.state_c = make_org("JOR")
        from ctnet.core.models import Role
        from ctnet.testing.base import make_person

        cls.jordan = make_person("jordan", cls.state_c, Role.NATIONAL_COORDINATOR)

    def setUp(self) -> None:
        super().setUp()
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        settings = override_settings(DATA_DIR=tmp.name)
        settings.enable()
        self.addCleanup(settings.disable)

    def h2_practice(self) -> tuple[Practice, str]:
        payload = {
            **self.valid_payload(),
            "handling": ["h2", "H1"],
            "recipients": ["JOR"],  # GREEN reaches every state; JOR was named
        }
        with self.captureOnCommitCallbacks(execute=True):
            created = self.api("POST", "/practices/", self.alice, payload)
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["handling"], ["H1", "H2"])
        practice = Practice.objects.get(pk=created.json()["id"])
        upload = self.client.post(
            f"/api/v1/practices/{practice.pk}/attachments",
            {"file": SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")},
            headers={"Authorization": f"Bearer {self.token_for(self.alice)}"},
        )
        practice = self.publish(practice, self.alice, self.sam)
        return practice, f"/practices/{practice.pk}/attachments/{upload.json()['id']}"

    def test_h2_download_only_for_the_originator_and_named_recipients(self) -> None:
        practice, path = self.h2_practice()
        for user, status in ((self.bob, 200), (self.jordan, 200), (self.charlie, 403)):
            response = self.api("GET", path, user)
            self.assertEqual(response.status_code, status, user)
        refused = self.api("GET", path, self.charlie)
        self.assertIn("H2", refused.json()["detail"])
        self.assertIn("FRA", refused.json()["detail"])
        # Charlie still reads the practice itself on the platform.
        self.assertEqual(
            self.api("GET", f"/practices/{practice.pk}", self.charlie).status_code, 200
        )
        # The copy carries its marking, H1 included.
        self.assertEqual(self.api("GET", path, self.jordan)["X-Marking"], "TLP:GREEN; H1; H2")
        self.login(self.charlie)
        page = self.client.get(f"/practices/{practice.pk}/")
        self.assertContains(page, "no onward sharing without the originator")
        self.assertContains(page, "not for use in court without the originator")
        self.assertNotContains(page, f'href="/practices/{practice.pk}/files/')
        files = path.replace("/attachments/", "/files/") + "/"
        self.assertEqual(self.client.get(files).status_code, 403)

    def test_secretariat_downloads_while_reviewing(self) -> None:
        payload = {**self.valid_payload(), "handling": ["H2"]}
        created = self.api("POST", "/practices/", self.alice, payload).json()
        upload = self.client.post(
            f"/api/v1/practices/{created['id']}/attachments",
            {"file": SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")},
            headers={"Authorization": f"Bearer {self.token_for(self.alice)}"},
        ).json()
        step = {"action": "submit", "comment": ""}
        self.api("POST", f"/practices/{created['id']}/transitions", self.alice, step)
        path = f"/practices/{created['id']}/attachments/{upload['id']}"
        self.assertEqual(self.api("GET", path, self.sam).status_code, 200)

    def test_readers_raise_the_originator_lowers(self) -> None:
        practice = self.published(self.alice, "Titre", "Résumé", reviewer=self.sam)
        path = f"/practices/{practice.pk}/marking"
        raised = self.api("POST", path, self.charlie, {"tlp": "GREEN", "handling": ["H2"]})
        self.assertEqual(raised.status_code, 200, raised.content)
        self.assertEqual(raised.json()["handling"], ["H2"])
        lowered = self.api("POST", path, self.charlie, {"tlp": "GREEN", "handling": []})
        self.assertEqual(lowered.status_code, 403)
        lowered = self.api("POST", path, self.charlie, {"tlp": "CLEAR", "handling": ["H2"]})
        self.assertEqual(lowered.status_code, 403)
        # Raised to AMBER by a reader: the reader's organisation stays among the recipients.
        amber = self.api("POST", path, self.charlie, {"tlp": "AMBER", "handling": ["H2"]})
        self.assertEqual(amber.status_code, 200)
        self.assertEqual(
            self.api("GET", f"/practices/{practice.pk}", self.charlie).status_code, 200
        )
        self.assertEqual(self.api("GET", f"/practices/{practice.pk}", self.jordan).status_code, 404)
        back = self.api("POST", path, self.alice, {"tlp": "GREEN", "handling": []})
        self.assertEqual(back.status_code, 200)
        self.assertEqual(self.api("POST", path, self.alice, {"tlp": "RED"}).status_code, 400)
        self.assertEqual(
            self.api("POST", path, self.alice, {"tlp": "GREEN", "handling": ["H9"]}).status_code,
            400,
        )
        self.assertEqual(self.api("POST", path, self.olga, {"tlp": "AMBER"}).status_code, 403)
        self.assertEqual(self.api("POST", path, self.cso, {"tlp": "AMBER"}).status_code, 404)
        events = AuditEvent.objects.filter(action="practice.marking").order_by("id")
        self.assertEqual(
            [e.detail["to"] for e in events],
            [
                {"tlp": "GREEN", "handling": ["H2"]},
                {"tlp": "AMBER", "handling": ["H2"]},
                {"tlp": "GREEN", "handling": []},
            ],
        )
        self.login(self.charlie)
        response = self.client.post(
            f"/practices/{practice.pk}/marking/", {"tlp": "GREEN", "handling": ["H1"]}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Practice.objects.get(pk=practice.pk).handling, ["H1"])

    def test_h3_needs_its_note_and_forms_take_codes(self) -> None:
        payload = {**self.valid_payload(), "handling": ["H3"]}
        response = self.api("POST", "/practices/", self.alice, payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("H3", response.json()["detail"])
        self.login(self.alice)
        form = {
            "title": "Titre",
            "summary": "Résumé",
            "language": "fr",
            "themes": ["prisons"],
            "tlp": "GREEN",
            "handling": ["H3"],
            "handling_note": "Not for the press before June",
        }
        response = self.client.post("/practices/new/", form)
        self.assertEqual(response.status_code, 302, response.content)
        practice = Practice.objects.latest("id")
        self.assertEqual(
            (practice.handling, practice.handling_note), (["H3"], form["handling_note"])
        )
        page = self.client.get(f"/practices/{practice.pk}/")
        self.assertContains(page, "other restriction, stated in the text")
        self.assertContains(page, "Not for the press before June")
