"""The audit log of the practice library: reads of AMBER practices are in it (ids), content
never is (no title, summary, comment, note or file name)."""

from __future__ import annotations

import json
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ctnet.core.models import AuditEvent
from ctnet.practices.tests.helpers import PracticeTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TITLE = "Omicron programme for prison desks"
SUMMARY = "Summary Pi of the programme"
REVIEW = "Review comment Rho"
NOTE = "Endorsement note Upsilon"
COMMENT = "Comment body Phi"
FILENAME = "plan-chi.pdf"


def audit_text() -> str:
    rows = AuditEvent.objects.values_list("detail", "object_id")
    return "\n".join(json.dumps(detail, ensure_ascii=False) + " " + oid for detail, oid in rows)


class PracticeAuditTests(PracticeTestCase):
    def setUp(self) -> None:
        super().setUp()
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        settings = override_settings(DATA_DIR=tmp.name)
        settings.enable()
        self.addCleanup(settings.disable)

    def step(self, user, practice_id, action, comment=""):
        body = {"action": action, "comment": comment}
        response = self.api("POST", f"/practices/{practice_id}/transitions", user, body)
        self.assertEqual(response.status_code, 200, response.content)

    def test_main_flows_leave_ids_and_codes_but_no_content(self) -> None:
        payload = {
            "title": TITLE,
            "summary": SUMMARY,
            "language": "en",
            "themes": ["prisons"],
            "tlp": "AMBER",
            "recipients": ["KEN"],
        }
        with self.captureOnCommitCallbacks(execute=True):
            created = self.api("POST", "/practices/", self.alice, payload)
        self.assertEqual(created.status_code, 201, created.content)
        pid = created.json()["id"]
        with self.captureOnCommitCallbacks(execute=True):
            edit = self.api("PUT", f"/practices/{pid}", self.alice, {**payload, "body": "More"})
        self.assertEqual(edit.status_code, 200)
        upload = self.client.post(
            f"/api/v1/practices/{pid}/attachments",
            {"file": SimpleUploadedFile(FILENAME, PDF, content_type="application/pdf")},
            headers={"Authorization": f"Bearer {self.token_for(self.alice)}"},
        )
        self.assertEqual(upload.status_code, 201, upload.content)
        self.step(self.alice, pid, "submit")
        self.step(self.sam, pid, "review", REVIEW)
        self.step(self.alice, pid, "submit")
        self.step(self.sam, pid, "publish")
        endorse = self.api("POST", f"/practices/{pid}/endorsements", self.charlie, {"note": NOTE})
        self.assertEqual(endorse.status_code, 201, endorse.content)
        comment = self.api("POST", f"/practices/{pid}/comments", self.charlie, {"body": COMMENT})
        self.assertEqual(comment.status_code, 201)
        download = self.api(
            "GET", f"/practices/{pid}/attachments/{upload.json()['id']}", self.charlie
        )
        self.assertEqual(download.status_code, 200)
        hits = self.api("GET", "/practices/search?q=Omicron", self.charlie).json()["items"]
        self.assertEqual([h["id"] for h in hits], [pid])

        text = audit_text()
        for content in (TITLE, "Omicron", SUMMARY, REVIEW, NOTE, COMMENT, FILENAME, "chi"):
            self.assertNotIn(content, text)
        reads = AuditEvent.objects.filter(action="read", object_id=str(pid), actor=self.charlie)
        whys = {event.detail["why"] for event in reads}
        self.assertEqual(whys, {"TLP:AMBER", f"search results {[pid]}"})
