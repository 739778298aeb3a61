"""Screening's lists follow core's pagination: limit at most 200, offset at most 1,000,000
(issue 13, item 5); beyond is a 422 with core's message, never a 500."""

from __future__ import annotations

from ctnet.core.pagination import MAX_LIMIT, MAX_OFFSET
from ctnet.screening.tests.helpers import ScreeningTestCase


class ScreeningListBoundsTests(ScreeningTestCase):
    def test_huge_limit_and_offset_are_422_with_core_message(self) -> None:
        watchlist = self.national_list()
        paths = [
            "/screening/watchlists",
            "/screening/runs",
            "/screening/notices",
            "/screening/hits",
            "/screening/queue",
            f"/screening/watchlists/{watchlist.pk}/entries",
            f"/screening/watchlists/{watchlist.pk}/entries/due",
        ]
        for path in paths:
            with self.subTest(path=path):
                ok = self.api("get", f"{path}?limit=200&offset=1000000", self.alice)
                self.assertEqual(ok.status_code, 200, ok.content)
                self.assertLessEqual({"items", "count"}, set(ok.json()))
                for query, message in (
                    ("limit=201", f"limit must be at most {MAX_LIMIT}"),
                    ("offset=1000001", f"offset must be at most {MAX_OFFSET}"),
                ):
                    response = self.api("get", f"{path}?{query}", self.alice)
                    self.assertEqual(response.status_code, 422, response.content)
                    self.assertIn(message, response.content.decode())
                huge = self.api("get", f"{path}?limit=10&offset={2**70}", self.alice)
                self.assertEqual(huge.status_code, 422)
