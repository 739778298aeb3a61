"""Creating and changing projects and their results framework, through the pages and the
services: who may (403, 404), bad input (400, nothing written), a locked period (409)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from ctnet.core.models import AuditEvent
from ctnet.monitoring.models import Indicator, Partner, Period, Project, Result
from ctnet.monitoring.services import framework, projects, reporting
from ctnet.monitoring.services.framework import PeriodLocked
from ctnet.monitoring.tests.helpers import MonitoringTestCase


def _form(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "iati_identifier": "XI-CTNET-UNOCT-P1",
        "title": "Youth empowerment in the Sahel",
        "description": "Young people build their own prevention projects.",
        "status": "2",
        "start_date": "2025-01-01",
        "end_date": "2026-12-31",
        "countries": ["KEN"],
        "themes": ["pillar-1"],
        "currency": "USD",
        "other_donors": "European Union\nKingdom of the Netherlands",
        "other_implementers": "Sahel Youth Network",
        "tlp": "GREEN",
    }
    data.update(over)
    return data


class ProjectPagesTests(MonitoringTestCase):
    def test_who_opens_the_new_project_page(self) -> None:
        response = self.client.get("/monitoring/projects/new/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])
        for user, status in ((self.charlie, 403), (self.alice, 403), (self.olga, 403)):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get("/monitoring/projects/new/").status_code, status)
                if user != self.olga:  # oversight has no monitoring pages at all
                    self.assertNotContains(self.client.get("/monitoring/"), "new-project")
                self.client.logout()
        self.login(self.sam)
        page = self.client.get("/monitoring/projects/new/")
        self.assertContains(page, 'id="project-form"')
        self.assertContains(self.client.get("/monitoring/"), 'id="new-project"')

    def test_a_head_creates_a_project_with_its_partners(self) -> None:
        self.login(self.sam)
        kenya = self.state_b
        response = self.client.post(
            "/monitoring/projects/new/", _form(implementers=[kenya.pk], recipients=["KEN"])
        )
        project = Project.objects.get(iati_identifier="XI-CTNET-UNOCT-P1")
        self.assertRedirects(response, f"/monitoring/projects/{project.pk}/")
        self.assertEqual(project.originator, self.unoct)
        self.assertEqual(project.countries, ["KEN"])
        partners = sorted((p.role, p.name, p.organisation_id) for p in project.partners.all())
        self.assertEqual(
            partners,
            [
                ("1", "European Union", None),
                ("1", "Kingdom of the Netherlands", None),
                ("4", kenya.name, kenya.pk),
                ("4", "Sahel Youth Network", None),
            ],
        )
        self.assertTrue(
            AuditEvent.objects.filter(
                action="monitoring.project.create", object_id=str(project.pk)
            ).exists()
        )

    def test_bad_input_writes_nothing(self) -> None:
        self.login(self.sam)
        cases = {
            "end_date": ("2024-01-01", "A period must end after it starts."),
            "countries": (["XXX"], "Unknown country code(s): XXX"),
            "tlp": ("RED", "Select a valid choice."),
            "recipients": (["NOPE"], "Unknown organisation(s): NOPE"),
        }
        for field, (value, message) in cases.items():
            with self.subTest(field=field):
                response = self.client.post("/monitoring/projects/new/", _form(**{field: value}))
                self.assertContains(response, message, status_code=400)
        self.make_project(iati_identifier="XI-CTNET-UNOCT-P1")
        response = self.client.post("/monitoring/projects/new/", _form())
        self.assertContains(response, "exists already", status_code=400)
        self.assertEqual(Project.objects.count(), 1)
        self.assertEqual(Partner.objects.filter(name="Sahel Youth Network").count(), 0)

    def test_edit_the_project_and_its_partners(self) -> None:
        pid = self.make_project()["id"]
        Partner.objects.create(project_id=pid, name="UNODC", role="3")  # extending: kept
        url = f"/monitoring/projects/{pid}/edit/"
        self.login(self.alice)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.logout()
        self.login(self.charlie)  # sees it (a partner) but does not run it
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.post(url, _form(title="Taken over")).status_code, 403)
        self.assertNotContains(self.client.get(f"/monitoring/projects/{pid}/"), "edit-project")
        self.client.logout()
        self.login(self.sam)
        page = self.client.get(url)
        self.assertContains(page, "European Union")  # the donor, as typed
        self.assertNotContains(page, "id_iati_identifier")  # fixed once the project exists
        bad = self.client.post(url, _form(start_date="2030-01-01"))
        self.assertContains(bad, "must end after it starts", status_code=400)
        self.assertEqual(Project.objects.get(pk=pid).title, "Border management in East Africa")
        response = self.client.post(
            url, _form(title="Border management, phase II", other_donors="Japan", status="3")
        )
        self.assertRedirects(response, f"/monitoring/projects/{pid}/")
        project = Project.objects.get(pk=pid)
        self.assertEqual((project.title, project.status), ("Border management, phase II", "3"))
        self.assertEqual(
            sorted((p.role, p.name) for p in project.partners.all()),
            [("1", "Japan"), ("3", "UNODC"), ("4", "Sahel Youth Network")],
        )
        event = AuditEvent.objects.filter(action="monitoring.project.update").latest("id")
        self.assertIn("implementers", event.detail["fields"])
        self.assertEqual(event.detail["donors"], ["Japan"])
        self.assertEqual(event.detail["implementers"], ["Sahel Youth Network"])


class ProjectServiceTests(MonitoringTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.project = Project.objects.get(pk=self.make_project()["id"])

    def test_partners_by_role_and_as_a_whole(self) -> None:
        projects.update_project(
            acting_user=self.sam, project=self.project, donors=[{"name": "Canada"}]
        )
        roles = sorted((p.role, p.name) for p in self.project.partners.all())
        self.assertEqual(roles, [("1", "Canada"), ("4", self.state_b.name)])
        projects.update_project(
            acting_user=self.sam, project=self.project, partners=[{"role": "2", "name": "UNOCT"}]
        )
        self.assertEqual([p.role for p in self.project.partners.all()], ["2"])

    def test_refusals_change_nothing(self) -> None:
        refused: list[dict[str, Any]] = [
            {"partners": [], "donors": []},
            {"donors": [{"name": ""}]},
            {"implementers": [{"name": f"P{i}"} for i in range(51)]},
            {"status": "9"},
            {"title": "  "},
            {"iati_identifier": "XI-OTHER"},
        ]
        for changes in refused:
            with self.subTest(changes=list(changes)), self.assertRaises(ValidationError):
                projects.update_project(acting_user=self.sam, project=self.project, **changes)
        with self.assertRaises(PermissionDenied):
            projects.update_project(acting_user=self.charlie, project=self.project, donors=[])
        self.assertEqual(self.project.partners.count(), 2)
        self.assertFalse(AuditEvent.objects.filter(action="monitoring.project.update").exists())


class FrameworkPagesTests(MonitoringTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.pid = self.make_project()["id"]

    def test_add_a_result_an_indicator_and_a_period(self) -> None:
        self.login(self.sam)
        page = self.client.get(f"/monitoring/projects/{self.pid}/")
        self.assertContains(page, 'id="add-result"')
        response = self.client.post(
            f"/monitoring/projects/{self.pid}/results/new/",
            {"type": "2", "title": "Communities resist recruitment", "aggregation_status": "on"},
        )
        self.assertRedirects(response, f"/monitoring/projects/{self.pid}/")
        result = Result.objects.get()
        response = self.client.post(
            f"/monitoring/results/{result.pk}/indicators/new/",
            {
                "title": "Young people trained",
                "measure": "1",
                "ascending": "on",
                "baseline_year": "2024",
                "baseline_value": "0",
                "dimensions": "sex: female, male\nage: 15-24, 25+",
                "countries": ["KEN"],
            },
        )
        self.assertRedirects(response, f"/monitoring/projects/{self.pid}/")
        indicator = Indicator.objects.get()
        self.assertEqual(indicator.dimensions, {"sex": ["female", "male"], "age": ["15-24", "25+"]})
        page = self.client.get(f"/monitoring/indicators/{indicator.pk}/periods/new/")
        # One target field per combination (JSONB on PostgreSQL keeps its own key order).
        self.assertContains(page, "Target for ", count=4)
        self.assertContains(page, "sex: female", count=2)
        response = self.client.post(
            f"/monitoring/indicators/{indicator.pk}/periods/new/",
            {"start": "2025-01-01", "end": "2025-06-30", "target_value": "100", "dim_0": "25"},
        )
        self.assertRedirects(response, f"/monitoring/projects/{self.pid}/")
        period = Period.objects.get()
        (row,) = period.target_dimensions
        self.assertEqual((sorted(row["dims"]), row["value"]), (["age", "sex"], "25"))
        for action in ("result.add", "indicator.add", "period.add"):
            self.assertTrue(AuditEvent.objects.filter(action=f"monitoring.{action}").exists())

    def test_bad_framework_input_is_400_and_writes_nothing(self) -> None:
        self.login(self.sam)
        result = self.ok(
            "POST",
            f"/monitoring/projects/{self.pid}/results",
            self.sam,
            {"type": "1", "title": "R"},
        )
        url = f"/monitoring/results/{result['id']}/indicators/new/"
        base = {"title": "Share", "measure": "1"}
        cases = [
            ({"dimensions": "sex female"}, "a colon and its values"),
            ({"dimensions": "a: 1,2,3,4,5\nb: 1,2,3,4,5\nc: 1,2,3"}, "at most 60"),
            ({"measure": "5", "baseline_value": "3"}, "takes a narrative, not a value"),
            ({"baseline_value": "many"}, "must be a number"),
        ]
        for over, message in cases:
            with self.subTest(over=over):
                response = self.client.post(url, {**base, **over})
                self.assertContains(response, message, status_code=400)
        self.assertEqual(Indicator.objects.count(), 0)
        indicator = self.make_indicator(self.pid, measure="2", dimensions={})
        url = f"/monitoring/indicators/{indicator['id']}/periods/new/"
        for body, message in (
            ({"start": "2025-06-30", "end": "2025-01-01"}, "must end after it starts"),
            (
                {"start": "2025-01-01", "end": "2025-06-30", "target_value": "150"},
                "between 0 and 100",
            ),
        ):
            with self.subTest(body=body):
                self.assertContains(self.client.post(url, body), message, status_code=400)
        self.assertEqual(Period.objects.count(), 0)
        self.assertEqual(
            self.client.post(
                f"/monitoring/projects/{self.pid}/results/new/", {"type": "7", "title": "R"}
            ).status_code,
            400,
        )

    def test_refusals_by_who(self) -> None:
        indicator = self.make_indicator(self.pid)
        period = self.make_period(indicator["id"])
        result_id = Indicator.objects.get(pk=indicator["id"]).result_id
        urls = [
            f"/monitoring/projects/{self.pid}/results/new/",
            f"/monitoring/results/{result_id}/edit/",
            f"/monitoring/results/{result_id}/indicators/new/",
            f"/monitoring/indicators/{indicator['id']}/edit/",
            f"/monitoring/indicators/{indicator['id']}/periods/new/",
            f"/monitoring/periods/{period['id']}/edit/",
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn("/login/", response["Location"])
        for user, status in ((self.alice, 404), (self.charlie, 403), (self.sam, 200)):
            self.login(user)
            for url in urls:
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, status)
                    if status != 200:
                        self.assertEqual(
                            self.client.post(
                                url,
                                {
                                    "title": "X",
                                    "type": "1",
                                    "measure": "1",
                                    "start": "2026-01-01",
                                    "end": "2026-02-01",
                                },
                            ).status_code,
                            status,
                        )
            self.client.logout()
        self.assertEqual(Result.objects.count(), 1)
        self.assertEqual(Period.objects.count(), 1)


class FrameworkEditTests(MonitoringTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.pid = self.make_project()["id"]
        self.indicator = Indicator.objects.get(pk=self.make_indicator(self.pid)["id"])
        self.period = Period.objects.get(pk=self.make_period(self.indicator.pk)["id"])
        self.result = self.indicator.result

    def test_change_through_the_pages(self) -> None:
        self.login(self.sam)
        page = self.client.get(f"/monitoring/periods/{self.period.pk}/edit/")
        self.assertContains(page, 'value="50"')
        response = self.client.post(
            f"/monitoring/periods/{self.period.pk}/edit/",
            {"start": "2025-01-01", "end": "2025-04-30", "target_value": "60", "dim_0": "15"},
        )
        self.assertRedirects(response, f"/monitoring/projects/{self.pid}/")
        self.period.refresh_from_db()
        self.assertEqual((self.period.end, self.period.target_value), (dt.date(2025, 4, 30), 60))
        page = self.client.get(f"/monitoring/indicators/{self.indicator.pk}/edit/")
        self.assertContains(page, "sex: female, male")
        response = self.client.post(
            f"/monitoring/indicators/{self.indicator.pk}/edit/",
            {
                "title": "Officers certified",
                "measure": "1",
                "baseline_year": "2024",
                "baseline_value": "12",
                "dimensions": "sex: female, male\nage: 18-34, 35+",
            },
        )
        self.assertRedirects(response, f"/monitoring/projects/{self.pid}/")
        self.indicator.refresh_from_db()
        self.assertEqual(
            (self.indicator.title, self.indicator.baseline_value, self.indicator.ascending),
            ("Officers certified", 12, False),
        )
        response = self.client.post(
            f"/monitoring/results/{self.result.pk}/edit/", {"type": "2", "title": "Borders held"}
        )
        self.assertRedirects(response, f"/monitoring/projects/{self.pid}/")
        self.result.refresh_from_db()
        self.assertEqual((self.result.type, self.result.title), ("2", "Borders held"))
        for action in ("result.update", "indicator.update", "period.update"):
            self.assertTrue(AuditEvent.objects.filter(action=f"monitoring.{action}").exists())

    def test_a_locked_period_is_not_changed(self) -> None:
        update = reporting.create_update(acting_user=self.charlie, period=self.period, value=30)
        reporting.submit_update(acting_user=self.charlie, update=update)
        reporting.approve_update(acting_user=self.sam, update=update)
        framework.lock_period(acting_user=self.sam, period=self.period)
        with self.assertRaises(PeriodLocked):
            framework.update_period(acting_user=self.sam, period=self.period, target_value=10)
        self.login(self.sam)
        url = f"/monitoring/periods/{self.period.pk}/edit/"
        self.assertContains(self.client.get(url), "locked", status_code=409)
        response = self.client.post(
            url, {"start": "2025-01-01", "end": "2025-03-31", "target_value": "1"}
        )
        self.assertEqual(response.status_code, 409)
        self.assertNotContains(self.client.get(f"/monitoring/projects/{self.pid}/"), "edit-period")
        self.period.refresh_from_db()
        self.assertEqual(self.period.target_value, 50)
        # Reported on: the measure and the dimensions are fixed.
        with self.assertRaisesMessage(ValidationError, "can no longer change"):
            framework.update_indicator(acting_user=self.sam, indicator=self.indicator, measure="3")
        with self.assertRaisesMessage(ValidationError, "can no longer change"):
            framework.update_indicator(
                acting_user=self.sam, indicator=self.indicator, dimensions={"sex": ["female"]}
            )
        framework.update_indicator(acting_user=self.sam, indicator=self.indicator, title="Kept")

    def test_service_rules(self) -> None:
        sam = self.sam
        later = framework.add_period(
            acting_user=sam,
            indicator=self.indicator,
            start=dt.date(2025, 4, 1),
            end=dt.date(2025, 6, 30),
        )
        with self.assertRaisesMessage(ValidationError, "overlaps"):
            framework.update_period(acting_user=sam, period=later, start=dt.date(2025, 3, 1))
        with self.assertRaisesMessage(ValidationError, "must end after it starts"):
            framework.update_period(acting_user=sam, period=self.period, end=dt.date(2024, 1, 1))
        # A unit target of 150 is no percentage: the measure cannot become one.
        Period.objects.filter(pk=self.period.pk).update(target_value=150)
        with self.assertRaisesMessage(ValidationError, "between 0 and 100"):
            framework.update_indicator(acting_user=sam, indicator=self.indicator, measure="2")
        with self.assertRaisesMessage(ValidationError, "not a value"):
            framework.update_indicator(acting_user=sam, indicator=self.indicator, measure="5")
        with self.assertRaisesMessage(ValidationError, "at most 60"):
            framework.update_indicator(
                acting_user=sam,
                indicator=self.indicator,
                dimensions={"a": list("abcdefgh"), "b": list("abcdefgh")},
            )
        child = framework.add_result(
            acting_user=sam,
            project=self.result.project,
            type="1",
            title="Child",
            parent=self.result,
        )
        with self.assertRaisesMessage(ValidationError, "its own children"):
            framework.update_result(acting_user=sam, result=self.result, parent=child)
        with self.assertRaisesMessage(ValidationError, "cannot be changed"):
            framework.update_result(acting_user=sam, result=self.result, project=None)
        with self.assertRaises(PermissionDenied):
            framework.update_result(acting_user=self.charlie, result=self.result, title="Mine")
        self.result.refresh_from_db()
        self.assertIsNone(self.result.parent_id)
        self.indicator.refresh_from_db()
        self.assertEqual(self.indicator.measure, "1")

    @override_settings(MONITORING_MAX_DISAGGREGATIONS=4)
    def test_the_cap_on_combinations_holds_on_change(self) -> None:
        with self.assertRaisesMessage(ValidationError, "at most 4"):
            framework.update_indicator(
                acting_user=self.sam,
                indicator=self.indicator,
                dimensions={"sex": ["female", "male"], "age": ["0-14", "15-24", "25+"]},
            )


class FrameworkApiTests(MonitoringTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.pid = self.make_project()["id"]
        self.indicator = self.make_indicator(self.pid)
        self.period = self.make_period(self.indicator["id"])

    def test_patch_the_project_and_its_framework(self) -> None:
        body = self.ok(
            "PATCH",
            f"/monitoring/projects/{self.pid}",
            self.sam,
            {
                "title": "Phase II",
                "implementers": [{"organisation": "SOM"}],
                "donors": [{"name": "Japan"}],
            },
            status=200,
        )
        self.assertEqual(body["title"], "Phase II")
        partners = Project.objects.get(pk=self.pid).partners.select_related("organisation")
        self.assertEqual(
            sorted((p.role, p.organisation.code if p.organisation else p.name) for p in partners),
            [("1", "Japan"), ("4", "SOM")],
        )
        iid = self.indicator["id"]
        body = self.ok(
            "PATCH", f"/monitoring/indicators/{iid}", self.sam, {"baseline_value": None}, status=200
        )
        self.assertIsNone(Indicator.objects.get(pk=iid).baseline_value)
        pid = self.period["id"]
        self.ok("PATCH", f"/monitoring/periods/{pid}", self.sam, {"target_value": 70}, status=200)
        self.assertEqual(Period.objects.get(pk=pid).target_value, 70)
        rid = Indicator.objects.get(pk=iid).result_id
        self.ok("PATCH", f"/monitoring/results/{rid}", self.sam, {"title": "Renamed"}, status=200)

    def test_patch_refusals(self) -> None:
        pid, iid = self.period["id"], self.indicator["id"]
        cases = [
            (f"/monitoring/projects/{self.pid}", {"end_date": "2020-01-01"}, 400),
            (f"/monitoring/projects/{self.pid}", {"partners": [], "donors": []}, 400),
            (f"/monitoring/projects/{self.pid}", {"implementers": [{"organisation": "ZZZ"}]}, 400),
            (f"/monitoring/indicators/{iid}", {"measure": "5", "baseline_value": 1}, 400),
            (f"/monitoring/indicators/{iid}", {"measure": "9"}, 422),
            (f"/monitoring/periods/{pid}", {"end": "2024-01-01"}, 400),
            (
                f"/monitoring/periods/{pid}",
                {"target_dimensions": [{"dims": {"sex": "x"}, "value": 1}]},
                400,
            ),
        ]
        for url, body, status in cases:
            with self.subTest(url=url, body=body):
                self.ok("PATCH", url, self.sam, body, status=status)
        self.ok(
            "PATCH", f"/monitoring/periods/{pid}", self.charlie, {"target_value": 1}, status=403
        )
        self.ok("PATCH", f"/monitoring/periods/{pid}", self.alice, {"target_value": 1}, status=404)
        period = Period.objects.get(pk=pid)
        update = reporting.create_update(acting_user=self.charlie, period=period, value=30)
        reporting.submit_update(acting_user=self.charlie, update=update)
        reporting.approve_update(acting_user=self.sam, update=update)
        framework.lock_period(acting_user=self.sam, period=period)
        locked = self.ok(
            "PATCH", f"/monitoring/periods/{pid}", self.sam, {"target_value": 1}, status=409
        )
        self.assertIn("locked", str(locked))
        self.assertEqual(Period.objects.get(pk=pid).target_value, 50)
        self.assertEqual(Project.objects.get(pk=self.pid).title, "Border management in East Africa")
