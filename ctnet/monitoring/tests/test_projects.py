"""Projects and the results framework through the API: behaviour and every refusal."""

from __future__ import annotations

from ctnet.core.models import AuditEvent
from ctnet.monitoring.models import Indicator, Period, Project, Result
from ctnet.monitoring.tests.helpers import MonitoringTestCase, project_data


class ProjectTests(MonitoringTestCase):
    def test_create_and_read(self) -> None:
        made = self.make_project()
        self.assertEqual(made["owner"], "UNOCT")
        self.assertEqual(made["themes"], ["pillar-2", "border-security"])
        body = self.ok("GET", f"/monitoring/projects/{made['id']}", self.sam, status=200)
        self.assertEqual([p["role"] for p in body["partners"]], ["1", "4"])
        self.assertEqual(body["budgets"][0]["value"], "250000")
        self.assertTrue(AuditEvent.objects.filter(action="monitoring.project.create").exists())
        # AMBER shared with Kenya: Kenya's coordinator reads it (audited), France does not.
        self.ok("GET", f"/monitoring/projects/{made['id']}", self.charlie, status=200)
        self.assertEqual(
            self.api("GET", f"/monitoring/projects/{made['id']}", self.alice).status_code, 404
        )
        self.assertEqual(self.api("GET", "/monitoring/projects/99999", self.sam).status_code, 404)
        listed = self.ok("GET", "/monitoring/projects", self.alice, status=200)
        self.assertEqual(listed, {"items": [], "count": 0})

    def test_an_implementing_partner_reads_an_amber_project(self) -> None:
        # Shared with nobody, but France implements: France reads it (and so may report).
        made = self.make_project(recipients=[], partners=[{"role": "4", "organisation": "FRA"}])
        self.ok("GET", f"/monitoring/projects/{made['id']}", self.alice, status=200)
        event = AuditEvent.objects.get(action="monitoring.project.create")
        self.assertEqual(event.detail["recipients_added"], ["FRA"])
        self.assertEqual(
            self.api("GET", f"/monitoring/projects/{made['id']}", self.charlie).status_code, 404
        )
        # Kenya named an implementer later: Kenya reads it too; France stays a recipient.
        patched = self.api(
            "PATCH",
            f"/monitoring/projects/{made['id']}",
            self.sam,
            {"implementers": [{"organisation": "KEN"}]},
        )
        self.assertEqual(patched.status_code, 200, patched.content)
        self.ok("GET", f"/monitoring/projects/{made['id']}", self.charlie, status=200)
        self.ok("GET", f"/monitoring/projects/{made['id']}", self.alice, status=200)

    def test_refusals(self) -> None:
        self.assertEqual(self.api("GET", "/monitoring/projects").status_code, 401)
        # A state is no Compact entity: 403; oversight reads no content: 403.
        self.assertEqual(
            self.api("POST", "/monitoring/projects", self.alice, project_data()).status_code, 403
        )
        self.assertEqual(self.api("GET", "/monitoring/projects", self.olga).status_code, 403)
        self.assertEqual(self.api("GET", "/monitoring/projects", self.cso).status_code, 403)
        bad = [
            project_data(end_date="2024-01-01"),
            project_data(countries=["XXX"]),
            project_data(themes=["no-such-theme"]),
            project_data(tlp="RED"),
            project_data(partners=[{"role": "7", "name": "x"}]),
            project_data(
                budgets=[{"period_start": "2025-02-01", "period_end": "2025-01-01", "value": 1}]
            ),
        ]
        for body in bad:
            with self.subTest(body=body):
                response = self.api("POST", "/monitoring/projects", self.sam, body)
                self.assertIn(response.status_code, (400, 422), response.content)
                self.assertIn("detail", response.json())
        self.assertEqual(Project.objects.count(), 0)
        self.make_project()
        self.assertEqual(
            self.api("POST", "/monitoring/projects", self.sam, project_data()).status_code, 400
        )
        self.assertEqual(self.api("DELETE", "/monitoring/projects", self.sam).status_code, 405)

    def test_only_the_owners_heads_change_the_framework(self) -> None:
        made = self.make_project()
        url = f"/monitoring/projects/{made['id']}/results"
        body = {"type": "2", "title": "Outcome"}
        self.assertEqual(
            self.api("POST", url, self.charlie, body).status_code, 403
        )  # sees, may not
        self.assertEqual(self.api("POST", url, self.alice, body).status_code, 404)  # does not see
        self.assertEqual(
            self.api("POST", url, self.sam, {"type": "5", "title": "x"}).status_code, 422
        )
        self.assertEqual(Result.objects.count(), 0)
        self.ok("POST", url, self.una, body)

    def test_marking_lowered_by_the_owner_only(self) -> None:
        made = self.make_project()
        url = f"/monitoring/projects/{made['id']}/marking"
        self.assertEqual(self.api("POST", url, self.charlie, {"tlp": "GREEN"}).status_code, 403)
        self.assertEqual(
            self.ok("POST", url, self.sam, {"tlp": "GREEN"}, status=200)["tlp"], "GREEN"
        )
        self.ok("GET", f"/monitoring/projects/{made['id']}", self.alice, status=200)


class FrameworkValidationTests(MonitoringTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.project = self.make_project()

    def test_indicator_rules(self) -> None:
        result = self.ok(
            "POST",
            f"/monitoring/projects/{self.project['id']}/results",
            self.sam,
            {"type": "1", "title": "Out"},
        )
        url = f"/monitoring/results/{result['id']}/indicators"
        too_many = {"sex": ["f", "m"], "age": [str(i) for i in range(16)], "region": ["a", "b"]}
        cases = [
            (
                {"title": "Q", "measure": "5", "baseline_year": 2024, "baseline_value": "3"},
                "qualitative",
            ),
            ({"title": "D", "measure": "1", "dimensions": too_many}, "64 combinations"),
            ({"title": "C", "measure": "1", "countries": ["ZZZ"]}, "ZZZ"),
            ({"title": "N", "measure": "1", "baseline_value": "many"}, "number"),
        ]
        for body, message in cases:
            with self.subTest(body=body):
                response = self.api("POST", url, self.sam, body)
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn(message, response.json()["detail"])
        self.assertEqual(Indicator.objects.count(), 0)

    def test_period_rules(self) -> None:
        indicator = self.make_indicator(self.project["id"])
        url = f"/monitoring/indicators/{indicator['id']}/periods"
        response = self.api("POST", url, self.sam, {"start": "2025-03-01", "end": "2025-01-01"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("end after it starts", response.json()["detail"])
        self.make_period(indicator["id"])
        overlap = self.api("POST", url, self.sam, {"start": "2025-03-01", "end": "2025-06-30"})
        self.assertEqual(overlap.status_code, 400)
        bad_dims = {
            "start": "2025-04-01",
            "end": "2025-06-30",
            "target_dimensions": [{"dims": {"sex": "other"}, "value": 1}],
        }
        self.assertEqual(self.api("POST", url, self.sam, bad_dims).status_code, 400)
        self.assertEqual(Period.objects.count(), 1)
        pct = self.make_indicator(self.project["id"], measure="2", dimensions={})
        over = {"start": "2025-01-01", "end": "2025-03-31", "target_value": "120"}
        self.assertEqual(
            self.api(
                "POST", f"/monitoring/indicators/{pct['id']}/periods", self.sam, over
            ).status_code,
            400,
        )
