"""Deleting results, indicators and periods (heads of the project's entity): what goes with
each, the refusals once someone has reported (400) or a period is locked (409), through the
service, the API and the confirmation pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from ctnet.core.models import AuditEvent
from ctnet.monitoring.models import Indicator, Period, PeriodUpdate, Result
from ctnet.monitoring.services import framework, reporting
from ctnet.monitoring.services.framework import PeriodLocked
from ctnet.monitoring.tests.helpers import MonitoringTestCase


class DeletingTestCase(MonitoringTestCase):
    """One result with an indicator of two periods; nobody has reported yet."""

    def setUp(self) -> None:
        super().setUp()
        self.pid = self.make_project()["id"]
        self.indicator = Indicator.objects.get(pk=self.make_indicator(self.pid)["id"])
        self.result = self.indicator.result
        self.period = Period.objects.get(pk=self.make_period(self.indicator.pk)["id"])
        self.later = Period.objects.get(
            pk=self.make_period(self.indicator.pk, start="2025-04-01", end="2025-06-30")["id"]
        )

    def report(self, period: Period, *, approve: bool = False) -> PeriodUpdate:
        update = reporting.create_update(acting_user=self.charlie, period=period, value=30)
        if approve:
            reporting.submit_update(acting_user=self.charlie, update=update)
            reporting.approve_update(acting_user=self.sam, update=update)
        return update

    def framework_rows(self) -> tuple[int, int, int]:
        return Result.objects.count(), Indicator.objects.count(), Period.objects.count()


class DeletingServiceTests(DeletingTestCase):
    def test_rows_nobody_reported_on_go_with_what_is_below_them(self) -> None:
        framework.delete_period(acting_user=self.sam, period=self.later)
        self.assertEqual(self.framework_rows(), (1, 1, 1))
        event = AuditEvent.objects.get(action="monitoring.period.delete")
        self.assertEqual(
            (event.object_id, event.detail["indicator"]), (str(self.later.pk), self.indicator.pk)
        )
        framework.delete_indicator(acting_user=self.sam, indicator=self.indicator)
        self.assertEqual(self.framework_rows(), (1, 0, 0))
        event = AuditEvent.objects.get(action="monitoring.indicator.delete")
        self.assertEqual((event.detail["title"], event.detail["periods"]), ("Officers trained", 1))
        framework.delete_result(acting_user=self.sam, result=self.result)
        self.assertEqual(self.framework_rows(), (0, 0, 0))
        event = AuditEvent.objects.get(action="monitoring.result.delete")
        self.assertEqual(event.detail["project"], self.pid)

    def test_a_result_goes_with_its_indicators_and_periods(self) -> None:
        framework.delete_result(acting_user=self.sam, result=self.result)
        self.assertEqual(self.framework_rows(), (0, 0, 0))
        event = AuditEvent.objects.get(action="monitoring.result.delete")
        self.assertEqual((event.detail["indicators"], event.detail["periods"]), (1, 2))

    def test_reported_rows_are_refused_and_kept(self) -> None:
        self.report(self.period)  # a draft is the reporter's work too
        refusals = [
            (lambda: framework.delete_period(acting_user=self.sam, period=self.period), "period"),
            (
                lambda: framework.delete_indicator(acting_user=self.sam, indicator=self.indicator),
                "indicator",
            ),
            (lambda: framework.delete_result(acting_user=self.sam, result=self.result), "result"),
        ]
        for delete, word in refusals:
            with self.subTest(word=word), self.assertRaisesMessage(ValidationError, word):
                delete()
        self.assertEqual(self.framework_rows(), (1, 1, 2))
        self.assertEqual(PeriodUpdate.objects.count(), 1)
        # The period nobody reported on still goes.
        framework.delete_period(acting_user=self.sam, period=self.later)
        self.assertFalse(
            AuditEvent.objects.filter(
                action__in=["monitoring.indicator.delete", "monitoring.result.delete"]
            ).exists()
        )

    def test_a_locked_period_is_final(self) -> None:
        self.report(self.period, approve=True)
        framework.lock_period(acting_user=self.sam, period=self.period)
        with self.assertRaisesMessage(PeriodLocked, "locked"):
            framework.delete_period(acting_user=self.sam, period=self.period)
        self.assertTrue(Period.objects.filter(pk=self.period.pk).exists())

    def test_a_parent_keeps_its_children_and_others_may_not_delete(self) -> None:
        child = framework.add_result(
            acting_user=self.sam,
            project=self.result.project,
            type="1",
            title="Part",
            parent=self.result,
        )
        with self.assertRaisesMessage(ValidationError, "roll up into this one"):
            framework.delete_result(acting_user=self.sam, result=self.result)
        for delete in (
            lambda: framework.delete_result(acting_user=self.charlie, result=child),
            lambda: framework.delete_indicator(acting_user=self.charlie, indicator=self.indicator),
            lambda: framework.delete_period(acting_user=self.charlie, period=self.period),
        ):
            with self.assertRaises(PermissionDenied):
                delete()
        self.assertEqual(self.framework_rows(), (2, 1, 2))
        # The second head of UNOCT may: four eyes are for figures, not for the framework.
        framework.delete_result(acting_user=self.una, result=child)
        self.assertEqual(Result.objects.count(), 1)


class DeletingApiTests(DeletingTestCase):
    def test_delete_through_the_api(self) -> None:
        paths = [
            f"/monitoring/periods/{self.later.pk}",
            f"/monitoring/indicators/{self.indicator.pk}",
            f"/monitoring/results/{self.result.pk}",
        ]
        for path in paths:
            with self.subTest(path=path):
                self.assertEqual(self.api("DELETE", path).status_code, 401)
                self.ok("DELETE", path, self.alice, status=404)
                self.ok("DELETE", path, self.charlie, status=403)
        self.assertEqual(self.framework_rows(), (1, 1, 2))
        for path in paths:
            with self.subTest(path=path):
                response = self.api("DELETE", path, self.sam)
                self.assertEqual(response.status_code, 204, response.content)
        self.assertEqual(self.framework_rows(), (0, 0, 0))
        self.ok("DELETE", paths[-1], self.sam, status=404)

    def test_refusals_say_why(self) -> None:
        self.report(self.period, approve=True)
        body = self.ok(
            "DELETE", f"/monitoring/indicators/{self.indicator.pk}", self.sam, status=400
        )
        self.assertIn("Updates report on this indicator", body["detail"])
        body = self.ok("DELETE", f"/monitoring/results/{self.result.pk}", self.sam, status=400)
        self.assertIn("cannot be deleted", body["detail"])
        body = self.ok("DELETE", f"/monitoring/periods/{self.period.pk}", self.sam, status=400)
        self.assertIn("Updates report on this period", body["detail"])
        framework.lock_period(acting_user=self.sam, period=self.period)
        body = self.ok("DELETE", f"/monitoring/periods/{self.period.pk}", self.sam, status=409)
        self.assertIn("locked", body["detail"])
        self.assertEqual(self.framework_rows(), (1, 1, 2))


class DeletingPagesTests(DeletingTestCase):
    def urls(self) -> list[str]:
        return [
            f"/monitoring/periods/{self.later.pk}/delete/",
            f"/monitoring/indicators/{self.indicator.pk}/delete/",
            f"/monitoring/results/{self.result.pk}/delete/",
        ]

    def test_who_may_delete(self) -> None:
        for url in self.urls():
            with self.subTest(url=url):
                response = self.client.post(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn("/login/", response["Location"])
        for user, status in ((self.alice, 404), (self.charlie, 403)):
            self.login(user)
            for url in self.urls():
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, status)
                    self.assertEqual(self.client.post(url).status_code, status)
            if user == self.charlie:  # sees the project, is offered no delete link
                page = self.client.get(f"/monitoring/projects/{self.pid}/")
                self.assertNotContains(page, "delete-")
            self.client.logout()
        self.assertEqual(self.framework_rows(), (1, 1, 2))

    def test_confirm_then_delete(self) -> None:
        self.login(self.sam)
        project_page = self.client.get(f"/monitoring/projects/{self.pid}/")
        for link in ("delete-result", "delete-indicator", "delete-period"):
            self.assertContains(project_page, link)
        url = f"/monitoring/results/{self.result.pk}/delete/"
        page = self.client.get(url)
        self.assertContains(page, 'id="delete-form"')
        self.assertContains(page, "Indicators deleted with it")
        self.assertEqual(self.framework_rows(), (1, 1, 2))  # a GET deletes nothing
        self.assertEqual(self.client.put(url).status_code, 405)
        response = self.client.post(f"/monitoring/periods/{self.later.pk}/delete/")
        self.assertRedirects(response, f"/monitoring/projects/{self.pid}/")
        self.assertEqual(self.framework_rows(), (1, 1, 1))
        response = self.client.post(url)
        self.assertRedirects(response, f"/monitoring/projects/{self.pid}/")
        self.assertEqual(self.framework_rows(), (0, 0, 0))

    def test_reported_and_locked_rows_are_refused_on_the_page(self) -> None:
        self.report(self.period, approve=True)
        self.login(self.sam)
        page = self.client.get(f"/monitoring/projects/{self.pid}/")
        # The reported period offers no delete link; the one nobody reported on does.
        self.assertContains(page, 'class="delete-period"', count=1)
        for url in [*self.urls()[1:], f"/monitoring/periods/{self.period.pk}/delete/"]:
            with self.subTest(url=url):
                response = self.client.post(url)
                self.assertContains(response, "cannot be deleted", status_code=400)
        framework.lock_period(acting_user=self.sam, period=self.period)
        response = self.client.post(f"/monitoring/periods/{self.period.pk}/delete/")
        self.assertContains(response, "locked", status_code=409)
        self.assertEqual(self.framework_rows(), (1, 1, 2))
        self.assertFalse(AuditEvent.objects.filter(action__endswith=".delete").exists())
