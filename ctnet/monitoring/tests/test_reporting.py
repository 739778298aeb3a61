"""Reporting with four eyes: draft -> submitted -> returned -> approved, locks, evidence."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core import mail
from django.test import override_settings

from ctnet.core.models import AuditEvent
from ctnet.monitoring.models import Evidence, Period, PeriodUpdate, UpdateEvent
from ctnet.monitoring.tests.helpers import MonitoringTestCase

DATA = Path(tempfile.mkdtemp(prefix="ctnet-monitoring-"))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VALUES = {
    "value": "40",
    "disaggregations": [
        {"dims": {"sex": "female", "age": "18-34"}, "value": "15"},
        {"dims": {"sex": "male", "age": "18-34"}, "value": "25"},
    ],
}


@override_settings(DATA_DIR=DATA)
class ReportingTests(MonitoringTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.project = self.make_project()
        self.indicator = self.make_indicator(self.project["id"])
        self.period = self.make_period(self.indicator["id"])
        self.url = f"/monitoring/periods/{self.period['id']}/updates"

    def draft(self, user=None, data=None):
        return self.ok("POST", self.url, user or self.sam, data or VALUES)

    def test_submit_return_resubmit_approve(self) -> None:
        # Kenya is an implementing partner: its coordinator reports.
        update = self.draft(self.charlie)
        uid = update["id"]
        self.ok(
            "POST",
            f"/monitoring/updates/{uid}/links",
            self.charlie,
            {"url": "https://example.org/attendance"},
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.ok("POST", f"/monitoring/updates/{uid}/submit", self.charlie, status=200)
        returned = self.api("POST", f"/monitoring/updates/{uid}/return", self.sam, {"comment": ""})
        self.assertEqual(returned.status_code, 400)  # a return says why
        with self.captureOnCommitCallbacks(execute=True):
            body = self.ok(
                "POST",
                f"/monitoring/updates/{uid}/return",
                self.sam,
                {"comment": "Add the women trained."},
                status=200,
            )
        self.assertEqual(body["status"], "returned")
        self.assertTrue(any("returned" in m.subject for m in mail.outbox))
        self.ok(
            "PUT", f"/monitoring/updates/{uid}", self.charlie, {**VALUES, "value": "45"}, status=200
        )
        self.ok("POST", f"/monitoring/updates/{uid}/submit", self.charlie, status=200)
        body = self.ok("POST", f"/monitoring/updates/{uid}/approve", self.sam, {}, status=200)
        self.assertEqual(body["status"], "approved")
        self.assertEqual(
            [e["action"] for e in body["history"]],
            ["create", "submit", "return", "edit", "submit", "approve"],
        )
        self.assertEqual(body["evidence"][0]["kind"], "link")
        period = Period.objects.get(pk=self.period["id"])
        self.assertTrue(period.has_actual)
        self.assertEqual(period.actual_value, 45)
        self.assertEqual(len(period.actual_dimensions), 2)
        self.assertEqual(
            AuditEvent.objects.filter(action__startswith="monitoring.update.").count(), 6
        )
        # Approved is final.
        self.assertEqual(
            self.api("PUT", f"/monitoring/updates/{uid}", self.charlie, VALUES).status_code, 400
        )

    def test_four_eyes(self) -> None:
        uid = self.draft()["id"]
        with self.captureOnCommitCallbacks(execute=True):
            self.ok("POST", f"/monitoring/updates/{uid}/submit", self.sam, status=200)
        self.assertEqual([m.to for m in mail.outbox], [["una@example.org"]])  # not the submitter
        response = self.api("POST", f"/monitoring/updates/{uid}/approve", self.sam, {})
        self.assertEqual(response.status_code, 403)
        self.assertIn("Four eyes", response.json()["detail"])
        # A partner reports but never decides; France does not even see the update.
        self.assertEqual(
            self.api("POST", f"/monitoring/updates/{uid}/approve", self.charlie, {}).status_code,
            403,
        )
        self.assertEqual(
            self.api("POST", f"/monitoring/updates/{uid}/approve", self.alice, {}).status_code, 404
        )
        self.assertEqual(
            self.api("POST", f"/monitoring/updates/{uid}/approve", self.una, {}).status_code, 200
        )
        # Approving twice is refused.
        self.assertEqual(
            self.api("POST", f"/monitoring/updates/{uid}/approve", self.una, {}).status_code, 400
        )

    def test_lock_then_409(self) -> None:
        uid = self.draft()["id"]
        self.ok("POST", f"/monitoring/updates/{uid}/submit", self.sam, status=200)
        lock = f"/monitoring/periods/{self.period['id']}/lock"
        self.assertEqual(self.api("POST", lock, self.sam).status_code, 400)  # a decision waits
        self.ok("POST", f"/monitoring/updates/{uid}/approve", self.una, {}, status=200)
        self.assertEqual(self.api("POST", lock, self.charlie).status_code, 403)
        self.ok("POST", lock, self.sam, status=200)
        self.assertEqual(self.api("POST", lock, self.sam).status_code, 409)
        before = PeriodUpdate.objects.count()
        response = self.api("POST", self.url, self.sam, VALUES)
        self.assertEqual(response.status_code, 409)
        self.assertIn("locked", response.json()["detail"])
        self.assertEqual(PeriodUpdate.objects.count(), before)

    def test_validation_by_measure_writes_nothing(self) -> None:
        pct = self.make_indicator(self.project["id"], measure="2", dimensions={})
        pct_period = self.make_period(pct["id"], target_value="60")
        qual = self.make_indicator(
            self.project["id"], measure="5", dimensions={}, baseline_value=None
        )
        qual_period = self.make_period(qual["id"], target_value=None)
        cases = [
            (qual_period, {"value": "3", "narrative": "x"}, "qualitative"),
            (qual_period, {"narrative": ""}, "narrative"),
            (pct_period, {"numerator": "3"}, "denominator"),
            (pct_period, {"numerator": "3", "denominator": "0"}, "greater than zero"),
            (pct_period, {"numerator": "9", "denominator": "3"}, "between zero"),
            (pct_period, {"value": "50"}, "numerator"),
            (
                self.period,
                {"value": "4", "numerator": "1", "denominator": "2"},
                "Only a percentage",
            ),
            (
                self.period,
                {"value": "4", "disaggregations": [{"dims": {"sex": "x"}, "value": "1"}]},
                "sex=x",
            ),
            (self.period, {"value": "4", "country": "FRA"}, "not measured"),
        ]
        before = (PeriodUpdate.objects.count(), UpdateEvent.objects.count())
        for period, body, message in cases:
            with self.subTest(body=body):
                response = self.api(
                    "POST", f"/monitoring/periods/{period['id']}/updates", self.sam, body
                )
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn(message, response.json()["detail"])
        self.assertEqual((PeriodUpdate.objects.count(), UpdateEvent.objects.count()), before)
        # A percentage is computed from its parts.
        body = self.ok(
            "POST",
            f"/monitoring/periods/{pct_period['id']}/updates",
            self.sam,
            {"numerator": "12", "denominator": "48"},
        )
        self.assertEqual(body["value"], "25")
        body = self.ok(
            "POST",
            f"/monitoring/periods/{qual_period['id']}/updates",
            self.sam,
            {"narrative": "Agencies now share data."},
        )
        self.assertIsNone(body["value"])

    def test_evidence_files_pass_the_upload_checks(self) -> None:
        uid = self.draft()["id"]
        url = f"/api/v1/monitoring/updates/{uid}/files"
        headers = {"Authorization": f"Bearer {self.token_for(self.sam)}"}
        from django.core.files.uploadedfile import SimpleUploadedFile

        fake = SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
        response = self.client.post(url, {"file": fake}, headers=headers)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Evidence.objects.count(), 0)
        good = SimpleUploadedFile("sheet.pdf", PDF, content_type="application/pdf")
        response = self.client.post(url, {"file": good, "title": "Attendance"}, headers=headers)
        self.assertEqual(response.status_code, 201, response.content)
        eid = response.json()["id"]
        download = self.client.get(f"/api/v1/monitoring/evidence/{eid}", headers=headers)
        self.assertEqual(download.status_code, 200)
        self.assertEqual(b"".join(download.streaming_content), PDF)
        other = {"Authorization": f"Bearer {self.token_for(self.alice)}"}
        self.assertEqual(
            self.client.get(f"/api/v1/monitoring/evidence/{eid}", headers=other).status_code,
            404,
        )
        bad_link = self.api(
            "POST", f"/monitoring/updates/{uid}/links", self.sam, {"url": "javascript:alert(1)"}
        )
        self.assertEqual(bad_link.status_code, 400)
