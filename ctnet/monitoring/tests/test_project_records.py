"""The pages that add a project's budget lines, disbursements and documents (heads of its
entity) and change its marking (a reader raises, the owner lowers): who may (login, 404, 403),
bad input (400, nothing written), the audit rows."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ctnet.core.models import AuditEvent
from ctnet.monitoring.models import Budget, Disbursement, Project, ProjectDocument, Result
from ctnet.monitoring.tests.helpers import MonitoringTestCase

DATA = Path(tempfile.mkdtemp(prefix="ctnet-monitoring-records-"))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name: str = "plan.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@override_settings(DATA_DIR=DATA)
class ProjectRecordPagesTests(MonitoringTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.pid = self.make_project()["id"]
        self.project_url = f"/monitoring/projects/{self.pid}/"
        self.budget_url = f"/monitoring/projects/{self.pid}/budgets/new/"
        self.paid_url = f"/monitoring/projects/{self.pid}/disbursements/new/"
        self.document_url = f"/monitoring/projects/{self.pid}/documents/new/"
        self.marking_url = f"/monitoring/projects/{self.pid}/marking/"

    def counts(self) -> tuple[int, int, int]:
        return (
            Budget.objects.count(),
            Disbursement.objects.count(),
            ProjectDocument.objects.count(),
        )

    def test_who_opens_the_pages(self) -> None:
        owner_only = [self.budget_url, self.paid_url, self.document_url]
        before = self.counts()
        for url in [*owner_only, self.marking_url]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn("/login/", response["Location"])
                self.assertEqual(self.client.post(url, {"value": "1"}).status_code, 302)
        self.login(self.alice)  # France does not see the project at all
        for url in [*owner_only, self.marking_url]:
            with self.subTest(user="alice", url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url, {"tlp": "GREEN"}).status_code, 404)
        self.client.logout()
        self.login(self.charlie)  # a partner: sees the project, does not run it
        body = {"period_start": "2026-01-01", "period_end": "2026-12-31", "value": "5"}
        for url in owner_only:
            with self.subTest(user="charlie", url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
                self.assertEqual(
                    self.client.post(url, {**body, "date": "2026-01-01"}).status_code, 403
                )
        page = self.client.get(self.project_url)
        for link in ("add-budget", "add-disbursement", "add-document", "delete-result"):
            self.assertNotContains(page, link)
        self.assertContains(page, 'id="change-marking"')  # a reader may raise it
        self.assertEqual(self.client.get(self.marking_url).status_code, 200)
        self.client.logout()
        self.assertEqual(self.counts(), before)
        self.login(self.sam)
        page = self.client.get(self.project_url)
        for link in ("add-budget", "add-disbursement", "add-document", "change-marking"):
            self.assertContains(page, f'id="{link}"')
        for url in [*owner_only, self.marking_url]:
            with self.subTest(user="sam", url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        self.assertContains(self.client.get(self.document_url), 'enctype="multipart/form-data"')
        self.assertContains(self.client.get(self.budget_url), "— <bdi>USD</bdi>")  # its currency

    def test_a_head_adds_a_budget_line_and_a_disbursement(self) -> None:
        self.login(self.sam)
        response = self.client.post(
            self.budget_url,
            {"period_start": "2026-01-01", "period_end": "2026-12-31", "value": "320000.50"},
        )
        self.assertRedirects(response, self.project_url)
        budget = Budget.objects.filter(project_id=self.pid).latest("id")
        self.assertEqual(str(budget.value), "320000.50")
        response = self.client.post(
            self.paid_url, {"date": "2026-03-01", "value": "80000", "description": "Tranche 2"}
        )
        self.assertRedirects(response, self.project_url)
        paid = Disbursement.objects.filter(project_id=self.pid).latest("id")
        self.assertEqual((paid.value, paid.description), (80000, "Tranche 2"))
        page = self.client.get(self.project_url)
        self.assertContains(page, "Tranche 2")
        for action, key, pk in (
            ("monitoring.budget.add", "budget", budget.pk),
            ("monitoring.disbursement.add", "disbursement", paid.pk),
        ):
            event = AuditEvent.objects.filter(action=action).latest("id")
            self.assertEqual((event.object_id, event.detail[key]), (str(self.pid), pk))

    def test_bad_money_is_400_and_writes_nothing(self) -> None:
        self.login(self.sam)
        before = self.counts()
        budget = {"period_start": "2026-01-01", "period_end": "2026-12-31", "value": "10"}
        cases = [
            (self.budget_url, {"period_end": "2025-06-30"}, "A period must end after it starts."),
            (self.budget_url, {"value": "a lot"}, "An amount must be a number."),
            (self.budget_url, {"value": "-5"}, "An amount must be zero or more."),
            (self.budget_url, {"value": ""}, "This field is required."),
            (self.paid_url, {"date": "someday"}, "Enter a valid date."),
            (self.paid_url, {"date": "2026-01-01", "value": "-1"}, "zero or more"),
        ]
        for url, over, message in cases:
            with self.subTest(url=url, over=over):
                base = budget if url == self.budget_url else {"date": "2026-01-01", "value": "1"}
                response = self.client.post(url, {**base, **over})
                self.assertContains(response, message, status_code=400)
        self.assertEqual(self.counts(), before)
        self.assertFalse(
            AuditEvent.objects.filter(
                action__in=["monitoring.budget.add", "monitoring.disbursement.add"]
            ).exists()
        )

    def test_a_head_attaches_a_document_through_the_upload_checks(self) -> None:
        self.login(self.sam)
        response = self.client.post(self.document_url, {"file": _pdf(), "title": "Work plan"})
        self.assertRedirects(response, self.project_url)
        doc = ProjectDocument.objects.get(project_id=self.pid)
        self.assertEqual((doc.title, doc.file_name, doc.size), ("Work plan", "plan.pdf", len(PDF)))
        self.assertTrue(AuditEvent.objects.filter(action="monitoring.document.add").exists())
        self.assertContains(self.client.get(self.project_url), "Work plan")
        # The project's page links the document; its readers download the same bytes.
        download = f"/monitoring/documents/{doc.pk}/"
        self.assertContains(self.client.get(self.project_url), f'href="{download}"')
        got = self.client.get(download)
        self.assertEqual(b"".join(got.streaming_content), PDF)
        self.assertIn("attachment", got["Content-Disposition"])
        # No title: the file's name.
        self.client.post(self.document_url, {"file": _pdf("budget-notes.pdf")})
        self.assertTrue(ProjectDocument.objects.filter(title="budget-notes.pdf").exists())
        refused: list[tuple[dict[str, Any], int]] = [
            ({"file": _pdf("fake.pdf", b"MZ\x90\x00 not a pdf")}, 400),
            ({"title": "No file"}, 400),
        ]
        for body, status in refused:
            with self.subTest(body=sorted(body)):
                self.assertEqual(self.client.post(self.document_url, body).status_code, status)
        with self.settings(MONITORING_MAX_FILE_BYTES=10):
            response = self.client.post(self.document_url, {"file": _pdf("big.pdf")})
            self.assertContains(response, "larger than", status_code=400)
        self.assertEqual(ProjectDocument.objects.count(), 2)
        self.client.logout()
        self.login(self.alice)  # France sees nothing of the project
        self.assertEqual(self.client.get(download).status_code, 404)

    def test_the_marking_a_reader_raises_and_only_the_owner_lowers(self) -> None:
        self.login(self.charlie)
        response = self.client.post(self.marking_url, {"tlp": "GREEN"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Project.objects.get(pk=self.pid).tlp, "AMBER")
        response = self.client.post(self.marking_url, {"tlp": "AMBER+STRICT", "handling": ["H2"]})
        self.assertRedirects(response, self.project_url)
        project = Project.objects.get(pk=self.pid)
        self.assertEqual((project.tlp, project.handling), ("AMBER+STRICT", ["H2"]))
        self.client.logout()
        self.login(self.sam)
        self.assertContains(
            self.client.post(self.marking_url, {"tlp": "RED"}), "valid choice", status_code=400
        )
        response = self.client.post(self.marking_url, {"tlp": "GREEN"})
        self.assertRedirects(response, self.project_url)
        self.assertEqual(Project.objects.get(pk=self.pid).tlp, "GREEN")
        events = AuditEvent.objects.filter(action="monitoring.project.marking").order_by("id")
        self.assertEqual([e.detail["to"]["tlp"] for e in events], ["AMBER+STRICT", "GREEN"])

    def test_the_new_pages_speak_arabic_right_to_left(self) -> None:
        self.login(self.sam)
        self.client.cookies["django_language"] = "ar"
        page = self.client.get(self.project_url)
        self.assertContains(page, 'dir="rtl"')
        for text in (
            "إضافة بند ميزانية",
            "إضافة دفعة",
            "إضافة مستند",
            "تغيير التصنيف",
        ):
            self.assertContains(page, text)
        self.assertContains(self.client.get(self.document_url), "المقبول: PDF")
        self.make_indicator(self.pid)
        page = self.client.get(self.project_url)
        self.assertContains(page, "حذف النتيجة")
        self.assertContains(page, "حذف المؤشر")
        result_id = Result.objects.get().pk
        page = self.client.get(f"/monitoring/results/{result_id}/delete/")
        self.assertContains(page, "لا يمكن التراجع عن الحذف")
