"""The demo: the two real UN editions, a national list, and a flight with possible matches."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from ctnet.demo import load_demo
from ctnet.screening.demo import FLIGHT_FILE, UN_LIST
from ctnet.screening.models import Hit, HitStatus, ScreeningRun, Watchlist
from ctnet.screening.tests.helpers import ScreeningTestCase


class ScreeningDemoTests(ScreeningTestCase):
    def test_demo_has_two_editions_and_a_flight_to_review(self) -> None:
        load_demo()
        load_demo()  # idempotent
        un = Watchlist.objects.get(name=UN_LIST)
        self.assertEqual(un.imports.count(), 2)
        self.assertGreater(un.imports.order_by("-at", "-id").first().delisted, 0)
        run = ScreeningRun.objects.get()
        self.assertEqual(run.channel, "PAXLST")
        self.assertEqual(run.flight["flight_number"], "AF1143")
        self.assertEqual(run.travellers, 143)
        self.assertEqual(run.bad_rows, 0)
        hits = Hit.objects.filter(run=run)
        self.assertGreaterEqual(hits.count(), 3)
        self.assertEqual(set(hits.values_list("status", flat=True)), {HitStatus.OPEN})
        listed = hits.filter(traveller_ref__startswith="PAX-L")
        self.assertEqual(listed.count(), 3)
        self.assertTrue(all(h.entry.ref.startswith("QDi") for h in listed))
        self.assertTrue((Path(settings.DATA_DIR) / "demo" / FLIGHT_FILE).exists())
