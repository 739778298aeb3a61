"""Self-reports, evidence and independent assessments, with every refusal."""

from __future__ import annotations

import tempfile

from django.core import mail
from django.test import override_settings

from ctnet.coordination.models import Assessment, Commitment, Evidence
from ctnet.coordination.tests.helpers import plan_data
from ctnet.core.models import AuditEvent, OrgKind, Role
from ctnet.testing.base import CtnetTestCase, make_org, make_person

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class ReportingTests(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.unodc = make_org("UNODC", OrgKind.UN_ENTITY)
        cls.ursula = make_person("ursula", cls.unodc, Role.ENTITY_FOCAL_POINT)
        cls.ken_officer = make_person("kofi", cls.state_b, Role.OFFICER)

    def setUp(self) -> None:
        super().setUp()
        plan = self.api("POST", "/coordination/plans", self.alice, plan_data()).json()
        self.plan_id = plan["id"]
        self.cid = plan["commitments"][0]["id"]

    def progress(self, user, **body):
        data = {"status": "limited", "progress": 20, "note": "Draft law tabled", **body}
        return self.api("POST", f"/coordination/commitments/{self.cid}/progress", user, data)

    def assess(self, user, **body):
        data = {"status": "limited", "note": "Draft seen", **body}
        return self.api("POST", f"/coordination/commitments/{self.cid}/assessments", user, data)

    def test_owner_reports_progress(self) -> None:
        response = self.progress(self.bob)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            (response.json()["self_status"], response.json()["self_progress"]), ("limited", 20)
        )
        event = AuditEvent.objects.get(action="coordination.progress_reported")
        self.assertEqual(event.detail["to"], "limited")

    def test_only_the_owner_reports(self) -> None:
        self.assertEqual(self.progress(self.charlie).status_code, 403)
        self.assertEqual(self.progress(self.sam).status_code, 403)
        self.assertEqual(self.progress(self.olga).status_code, 404)
        self.assertEqual(Commitment.objects.get(pk=self.cid).self_status, "not_started")

    def test_complete_without_evidence_is_refused_and_nothing_written(self) -> None:
        response = self.progress(self.alice, status="complete", progress=100)
        self.assertEqual(response.status_code, 400)
        self.assertIn("evidence", response.json()["detail"])
        self.assertEqual(Commitment.objects.get(pk=self.cid).self_status, "not_started")
        ok = self.progress(
            self.alice, status="complete", progress=90, evidence_urls=["https://example.org/law"]
        )
        self.assertEqual(ok.status_code, 200, ok.content)
        self.assertEqual(ok.json()["self_progress"], 100)
        self.assertEqual(ok.json()["self_evidence"][0]["url"], "https://example.org/law")

    def test_owner_cannot_claim_no_evidence_and_bad_values_are_refused(self) -> None:
        self.assertEqual(self.progress(self.alice, status="no_evidence").status_code, 400)
        self.assertEqual(self.progress(self.alice, progress=101).status_code, 422)
        self.assertEqual(
            self.progress(self.alice, evidence_urls=["javascript:alert(1)"]).status_code, 400
        )
        self.assertEqual(Evidence.objects.count(), 0)

    def test_evidence_file_then_complete(self) -> None:
        with tempfile.TemporaryDirectory() as tmp, override_settings(DATA_DIR=tmp):
            path = f"/api/v1/coordination/commitments/{self.cid}/evidence"
            headers = {"Authorization": f"Bearer {self.token_for(self.alice)}"}
            from django.core.files.uploadedfile import SimpleUploadedFile

            upload = SimpleUploadedFile("decree.pdf", PDF, content_type="application/pdf")
            response = self.client.post(path, {"file": upload}, headers=headers)
            self.assertEqual(response.status_code, 201, response.content)
            # The plan's readers download it (API and page); the file is the one sent.
            evidence_id = response.json()["id"]
            got = self.client.get(f"/api/v1/coordination/evidence/{evidence_id}", headers=headers)
            self.assertEqual((got.status_code, b"".join(got.streaming_content)), (200, PDF))
            page = self.login(self.charlie).get(f"/coordination/evidence/{evidence_id}/")
            self.assertEqual(page.status_code, 200)
            self.assertIn("attachment", page["Content-Disposition"])
            plan_page = self.client.get(f"/coordination/plans/{self.plan_id}/")
            self.assertContains(plan_page, f'href="/coordination/evidence/{evidence_id}/"')
            self.assertEqual(self.client.get("/coordination/evidence/999999/").status_code, 404)
            fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00", content_type="application/pdf")
            self.assertEqual(
                self.client.post(path, {"file": fake}, headers=headers).status_code, 400
            )
            other = {"Authorization": f"Bearer {self.token_for(self.charlie)}"}
            upload = SimpleUploadedFile("decree.pdf", PDF, content_type="application/pdf")
            self.assertEqual(
                self.client.post(path, {"file": upload}, headers=other).status_code, 403
            )
        self.assertEqual(
            self.progress(self.alice, status="complete", progress=100).status_code, 200
        )

    def test_independent_assessment(self) -> None:
        response = self.assess(self.charlie, status="substantial")
        self.assertEqual(response.status_code, 201, response.content)
        commitment = Commitment.objects.get(pk=self.cid)
        self.assertEqual(
            (commitment.assessed_status, commitment.assessed_by_id),
            ("substantial", self.state_b.pk),
        )
        self.assertEqual(commitment.self_status, "not_started")  # the two reports stay apart
        self.assertEqual(self.assess(self.ursula, status="no_evidence").status_code, 201)
        detail = self.api("GET", f"/coordination/commitments/{self.cid}", self.alice).json()
        self.assertEqual([a["assessor"] for a in detail["assessments"]], ["UNODC", "KEN"])
        self.assertEqual(detail["assessed_status"], "no_evidence")
        self.assertTrue(AuditEvent.objects.filter(action="coordination.assessed").count() == 2)

    def test_the_implementer_cannot_assess(self) -> None:
        for user in (self.alice, self.bob):
            with self.subTest(user=user.username):
                response = self.assess(user)
                self.assertEqual(response.status_code, 403)
                self.assertIn("implements", response.json()["detail"])
        # UNOCT is responsible for a milestone of this commitment: an implementer too.
        self.assertEqual(self.assess(self.sam).status_code, 403)
        self.assertEqual(Assessment.objects.count(), 0)
        self.assertEqual(self.assess(self.ursula).status_code, 201)

    def test_wrong_role_or_outsider_cannot_assess(self) -> None:
        self.assertEqual(self.assess(self.ken_officer).status_code, 403)
        self.assertEqual(self.assess(self.pat).status_code, 404)  # GREEN: not the company's
        self.assertEqual(self.assess(self.olga).status_code, 404)
        self.assertEqual(
            self.api(
                "POST",
                f"/coordination/commitments/{self.cid}/assessments",
                None,
                {"status": "limited"},
            ).status_code,
            401,
        )
        self.assertEqual(Assessment.objects.count(), 0)

    def test_assessed_complete_needs_evidence(self) -> None:
        self.assertEqual(self.assess(self.charlie, status="complete").status_code, 400)
        self.assertEqual(self.assess(self.charlie, status="done").status_code, 400)
        self.assertEqual(Assessment.objects.count(), 0)
        ok = self.assess(
            self.charlie, status="complete", evidence_urls=["https://example.org/report"]
        )
        self.assertEqual(ok.status_code, 201)
        self.assertEqual(len(ok.json()["evidence"]), 1)

    def test_owner_asks_for_an_assessment_and_the_assessor_is_told(self) -> None:
        make_person("kate", self.state_b, Role.NATIONAL_COORDINATOR).email  # noqa: B018
        path = f"/coordination/commitments/{self.cid}/assessment-request"
        with self.captureOnCommitCallbacks(execute=True):
            response = self.api("POST", path, self.alice, {"assessor": "KEN"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["assessment_requested_from"], "KEN")
        self.assertEqual(len(mail.outbox), 3)  # charlie, kofi and kate act for Kenya
        self.assertNotIn("passenger", mail.outbox[0].body)  # no content in a mail
        self.assertEqual(self.api("POST", path, self.alice, {"assessor": "FRA"}).status_code, 400)
        self.assertEqual(
            self.api("POST", path, self.charlie, {"assessor": "UNODC"}).status_code, 403
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.assess(self.charlie)
        self.assertEqual(Commitment.objects.get(pk=self.cid).assessment_requested_from, None)
