"""Pages: library and search, a practice, writing, workflow steps, endorsements, attachments."""

from __future__ import annotations

import tempfile

from django.test import override_settings

from ctnet.practices.models import Attachment, Endorsement, Practice
from ctnet.practices.tests.helpers import PracticeTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class PageTests(PracticeTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.practice = cls.published(
            cls.alice,
            "Réinsertion des combattants étrangers",
            "Suivi des combattants terroristes étrangers de retour.",
            reviewer=cls.sam,
        )
        cls.other = cls.published(
            cls.alice,
            "Accompagnement des familles de combattants de retour",
            "Soutien aux familles des combattants terroristes étrangers revenus.",
            reviewer=cls.sam,
        )
        cls.draft = cls.write(cls.alice, "Brouillon", "Pas encore relu.")

    def test_anonymous_is_sent_to_sign_in(self) -> None:
        for path in ("/practices/", f"/practices/{self.practice.pk}/", "/practices/new/"):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 302, path)
            self.assertTrue(response["Location"].startswith("/login/"))

    def test_library_and_search(self) -> None:
        self.login(self.charlie)
        response = self.client.get("/practices/")
        self.assertContains(response, "Réinsertion des combattants étrangers")
        self.assertNotContains(response, "Brouillon")
        response = self.client.get("/practices/", {"q": "عودة المقاتلين الأجانب"})
        self.assertContains(response, "Réinsertion des combattants étrangers")
        self.assertContains(response, "[Français]")  # the language by its name, not its code

    def test_bad_search_is_400_with_message(self) -> None:
        self.login(self.alice)
        response = self.client.get("/practices/", {"q": "x" * 400})
        self.assertContains(response, "at most", status_code=400)
        response = self.client.get("/practices/", {"q": "retour", "origin": "XXX"})
        self.assertContains(response, "XXX", status_code=400)

    def test_detail_shows_similar_practices(self) -> None:
        self.login(self.charlie)
        response = self.client.get(f"/practices/{self.practice.pk}/")
        self.assertContains(response, "Accompagnement des familles")
        self.assertEqual(self.client.post(f"/practices/{self.practice.pk}/").status_code, 405)

    def test_outsider_404_and_wrong_role_403(self) -> None:
        self.login(self.charlie)
        self.assertEqual(self.client.get(f"/practices/{self.draft.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/practices/{self.practice.pk}/edit/").status_code, 403)
        response = self.client.post(
            f"/practices/{self.practice.pk}/transition/", {"action": "archive"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client.get("/practices/review/").status_code, 403)
        self.login(self.olga)
        self.assertEqual(self.client.get("/practices/").status_code, 403)

    def test_write_submit_and_duplicate_warning(self) -> None:
        self.login(self.bob)
        self.assertEqual(self.client.get("/practices/new/").status_code, 200)
        form = {
            "title": "Réinsertion des combattants terroristes étrangers",
            "summary": "Suivi des combattants terroristes étrangers de retour.",
            "language": "fr",
            "themes": ["foreign-terrorist-fighters"],
            "tlp": "GREEN",
        }
        response = self.client.post("/practices/new/", {**form, "language": "xx"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Practice.objects.count(), 3)
        response = self.client.post("/practices/new/", form)
        self.assertEqual(response.status_code, 302)
        created = Practice.objects.latest("id")
        response = self.client.post(
            f"/practices/{created.pk}/transition/", {"action": "submit"}, follow=True
        )
        self.assertContains(response, "Possible duplicate")
        self.assertContains(response, "Réinsertion des combattants étrangers")
        response = self.client.post(f"/practices/{created.pk}/transition/", {"action": "submit"})
        self.assertContains(response, "cannot", status_code=409)

    def test_review_queue_and_publish(self) -> None:
        self.login(self.alice)
        self.client.post(f"/practices/{self.draft.pk}/transition/", {"action": "submit"})
        self.login(self.sam)
        self.assertContains(self.client.get("/practices/review/"), "Brouillon")
        response = self.client.post(f"/practices/{self.draft.pk}/transition/", {"action": "review"})
        self.assertContains(response, "comments", status_code=400)
        self.client.post(f"/practices/{self.draft.pk}/transition/", {"action": "publish"})
        self.assertEqual(Practice.objects.get(pk=self.draft.pk).status, "published")

    def test_endorse_and_comment(self) -> None:
        self.login(self.charlie)
        path = f"/practices/{self.practice.pk}/"
        self.assertContains(self.client.get(path), "We applied this")
        self.assertEqual(self.client.post(path + "endorse/", {"note": ""}).status_code, 400)
        self.assertEqual(self.client.post(path + "endorse/", {"note": "Appliqué"}).status_code, 302)
        self.assertEqual(self.client.post(path + "endorse/", {"note": "Encore"}).status_code, 409)
        self.assertEqual(Endorsement.objects.count(), 1)
        self.assertEqual(self.client.get(path + "endorse/").status_code, 405)
        self.assertEqual(self.client.post(path + "comment/", {"body": "Merci"}).status_code, 302)
        self.assertContains(self.client.get(path), "Merci")


class AttachmentTests(PracticeTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        settings = override_settings(DATA_DIR=self.tmp.name)
        settings.enable()
        self.addCleanup(settings.disable)
        self.practice = self.write(self.alice, "Titre", "Résumé")

    def upload(self, user, name, data, content_type):
        from django.core.files.uploadedfile import SimpleUploadedFile

        token = self.token_for(user)
        return self.client.post(
            f"/api/v1/practices/{self.practice.pk}/attachments",
            {"file": SimpleUploadedFile(name, data, content_type=content_type)},
            headers={"Authorization": f"Bearer {token}"},
        )

    def test_upload_and_download(self) -> None:
        response = self.upload(self.alice, "plan.pdf", PDF, "application/pdf")
        self.assertEqual(response.status_code, 201, response.content)
        attachment_id = response.json()["id"]
        path = f"/practices/{self.practice.pk}/attachments/{attachment_id}"
        response = self.api("GET", path, self.bob)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.assertEqual(self.api("GET", path, self.charlie).status_code, 404)

    def test_refusals_write_nothing(self) -> None:
        cases = (
            (self.alice, "x.exe", b"MZ\x90\x00", "application/x-msdownload", 400),
            (self.alice, "fake.pdf", b"MZ\x90\x00", "application/pdf", 400),
            (self.alice, "note.txt", b"\xff\xfe\x00bad", "text/plain", 400),
            (self.alice, "empty.pdf", b"", "application/pdf", 400),
            (self.alice, "big.pdf", PDF + b"0" * (5 * 1024 * 1024), "application/pdf", 413),
            (self.charlie, "plan.pdf", PDF, "application/pdf", 404),
            (self.cso, "plan.pdf", PDF, "application/pdf", 404),
        )
        for user, name, data, content_type, status in cases:
            response = self.upload(user, name, data, content_type)
            self.assertEqual(response.status_code, status, name)
            self.assertIn("detail", response.json())
        self.assertEqual(Attachment.objects.count(), 0)


class DirectoryContactTests(PracticeTestCase):
    def test_practice_page_names_the_origins_directory_contact_for_its_topic(self) -> None:
        from ctnet.directory.tests.helpers import make_contact

        make_contact(self.state_a, "Prison service CT unit", topic_list=["prisons"])
        practice = self.published(
            self.alice, "Désengagement en prison", "Binômes éducateurs.", reviewer=self.sam
        )
        self.login(self.charlie)
        page = self.client.get(f"/practices/{practice.pk}/")
        self.assertContains(page, "In the directory")
        self.assertContains(page, "Prison service CT unit")
        # No topic contact and no head entry at the origin: nothing is invented.
        other = self.published(
            self.charlie, "Sans contact", "Aucun contact.", reviewer=self.sam, themes=["cyber"]
        )
        self.assertNotContains(self.client.get(f"/practices/{other.pk}/"), "In the directory")
