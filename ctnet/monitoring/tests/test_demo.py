"""The demo: 36 projects with baselines, targets and actuals in every state; idempotent."""

from __future__ import annotations

from django.test import TestCase

from ctnet.core.demo import load_demo_people
from ctnet.monitoring import iati
from ctnet.monitoring.demo import load_monitoring_demo
from ctnet.monitoring.models import Indicator, Period, PeriodUpdate, Project


class DemoTests(TestCase):
    def test_demo(self) -> None:
        load_demo_people()
        load_monitoring_demo()
        self.assertEqual(Project.objects.count(), 36)
        statuses = set(PeriodUpdate.objects.values_list("status", flat=True))
        self.assertEqual(statuses, {"approved", "returned", "submitted"})
        self.assertTrue(Indicator.objects.exclude(dimensions={}).exists())
        self.assertTrue(
            Period.objects.filter(has_actual=True).exclude(actual_dimensions=[]).exists()
        )
        late = Period.objects.filter(has_actual=False, end__lt="2026-06-01")
        self.assertTrue(late.exists())
        themes = {t for p in Project.objects.all() for t in p.themes}
        self.assertTrue({"prisons", "border-security", "aviation-security"} <= themes)
        counts = (Project.objects.count(), PeriodUpdate.objects.count())
        load_monitoring_demo()
        self.assertEqual((Project.objects.count(), PeriodUpdate.objects.count()), counts)
        root = iati.etree.fromstring(iati.export_bytes(Project.objects.all()))
        self.assertTrue(iati.schema().validate(root), iati.schema().error_log)
