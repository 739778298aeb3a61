"""The pages: portfolio, project, reporting with four eyes, CSV; query counts pinned."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctnet.monitoring.models import PeriodUpdate
from ctnet.monitoring.tests.helpers import MonitoringTestCase

PORTFOLIO_QUERIES = 7
# 23 with the consultations on the project (one query, `{% mentions %}`, issue 15).
PROJECT_QUERIES = 23


class PageTests(MonitoringTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.project = self.make_project(themes=["pillar-2"])
        self.indicator = self.make_indicator(
            self.project["id"], dimensions={"sex": ["female", "male"]}
        )
        self.period = self.make_period(self.indicator["id"])

    def test_anonymous_and_outsiders(self) -> None:
        pid = self.project["id"]
        for url in (
            "/monitoring/",
            f"/monitoring/projects/{pid}/",
            f"/monitoring/periods/{self.period['id']}/report/",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn("/login/", response["Location"])
        self.login(self.alice)
        self.assertEqual(self.client.get(f"/monitoring/projects/{pid}/").status_code, 404)
        self.assertEqual(
            self.client.get(f"/monitoring/projects/{pid}/results.csv").status_code, 404
        )
        self.client.logout()
        self.login(self.olga)
        self.assertEqual(self.client.get("/monitoring/").status_code, 403)

    def test_report_submit_approve_moves_the_portfolio(self) -> None:
        self.login(self.charlie)  # an implementing partner reports
        page = self.client.get(f"/monitoring/periods/{self.period['id']}/report/")
        self.assertContains(page, "sex: female")
        bad = self.client.post(
            f"/monitoring/periods/{self.period['id']}/report/", {"value": "lots"}
        )
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "must be a number", status_code=400)
        response = self.client.post(
            f"/monitoring/periods/{self.period['id']}/report/",
            {"value": "40", "dim_0": "15", "dim_1": "25"},
        )
        update = PeriodUpdate.objects.get()
        self.assertRedirects(response, f"/monitoring/updates/{update.pk}/")
        self.assertEqual(update.disaggregations[0], {"dims": {"sex": "female"}, "value": "15"})
        self.client.post(f"/monitoring/updates/{update.pk}/submit/")
        self.assertEqual(
            self.client.post(
                f"/monitoring/updates/{update.pk}/decide/", {"decision": "approve"}
            ).status_code,
            403,
        )
        self.client.logout()
        self.login(self.sam)
        self.assertContains(
            self.client.get("/monitoring/due/"), f"/monitoring/updates/{update.pk}/"
        )
        self.client.post(f"/monitoring/updates/{update.pk}/decide/", {"decision": "approve"})
        update.refresh_from_db()
        self.assertEqual(update.status, "approved")
        page = self.client.get("/monitoring/")
        # Baseline 10, target 50, actual 40: three quarters of the way.
        self.assertContains(page, "0.75")
        self.assertContains(page, "<svg")
        csv = self.client.get("/monitoring/portfolio.csv?by=theme")
        self.assertIn(b"0.75", csv.content)
        project_csv = self.client.get(f"/monitoring/projects/{self.project['id']}/results.csv")
        self.assertIn(b",75,", project_csv.content)

    def test_query_counts_do_not_grow_with_the_portfolio(self) -> None:
        self.login(self.sam)

        def count(url: str) -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(ctx.captured_queries)

        portfolio, project = (
            count("/monitoring/"),
            count(f"/monitoring/projects/{self.project['id']}/"),
        )
        for n in range(3):
            made = self.make_project(iati_identifier=f"XI-CTNET-UNOCT-Q{n}")
            for _i in range(2):
                indicator = self.make_indicator(made["id"])
                self.make_period(indicator["id"])
                self.make_period(indicator["id"], start="2025-04-01", end="2025-06-30")
        big = self.make_indicator(self.project["id"])
        self.make_period(big["id"])
        self.assertEqual(count("/monitoring/"), portfolio)
        self.assertEqual(count(f"/monitoring/projects/{self.project['id']}/"), project)
        # Pinned: session, user with membership, device, the menu's badges (every capability's
        # waiting counts in one SELECT) and the unread notices; the visible projects, their
        # periods and bare indicators (portfolio); the project with its audited read, results,
        # indicators, periods, updates, partners, budgets, disbursements, documents (project).
        self.assertEqual((portfolio, project), (PORTFOLIO_QUERIES, PROJECT_QUERIES))
