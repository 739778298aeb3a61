"""The candidate index the worker saves and every process maps (matching.py)."""

from __future__ import annotations

import tempfile
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.test import override_settings

from ctnet.screening import matching
from ctnet.screening.engine import savedindex
from ctnet.screening.engine.model import Traveller
from ctnet.screening.engine.score import screen
from ctnet.screening.services import watchlists

from .helpers import NATIONAL_CSV, ScreeningTestCase

YASIN = Traveller("p1", "Abdul Rahman Yasin")


class SavedIndexTest(ScreeningTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.enterContext(override_settings(SCREENING_INDEX_DIR=tempfile.mkdtemp()))
        self.watchlist = self.national_list()

    def path(self):
        return matching.index_path(matching.current_state()[0])

    def test_a_process_maps_the_saved_index_of_the_current_checkpoint(self) -> None:
        checkpoint = matching.prebuild_screening_index.call()
        self.assertEqual(checkpoint, matching.current_state()[1])
        self.assertTrue(self.path().exists())
        held = matching.current_index()
        self.assertEqual((held.source, held.size), ("saved", 3))
        assert held.index is not None
        self.assertEqual([m.entry_id for m in screen(held.index, YASIN, 0.5)][:1],
                         [str(self.watchlist.entries.get(ref="FRA-1").pk)])  # fmt: skip
        # Current file: the task does nothing (a burst of imports costs one build).
        before = self.path().stat().st_mtime_ns
        matching.prebuild_screening_index.call()
        self.assertEqual(self.path().stat().st_mtime_ns, before)

    def test_without_a_saved_index_the_process_builds_and_says_so(self) -> None:
        with self.assertLogs("ctnet.screening.matching", "WARNING") as logs:
            held = matching.current_index()
        self.assertEqual((held.source, held.size), ("built", 3))
        self.assertIn("no saved screening index for checkpoint", logs.output[0])

    def test_a_file_of_an_older_checkpoint_is_not_used(self) -> None:
        matching.prebuild_screening_index.call()
        watchlists.import_watchlist(
            acting_user=self.alice, watchlist=self.watchlist,
            data=NATIONAL_CSV.encode() + b"FRA-4,New Person Listed,,1990,FRA\n",
            file_name="fra.csv",
        )  # fmt: skip
        with self.assertLogs("ctnet.screening.matching", "INFO") as logs:
            held = matching.current_index()
        self.assertEqual((held.source, held.size), ("built", 4))
        self.assertIn("built for checkpoint=", "\n".join(logs.output))
        matching.prebuild_screening_index.call()
        matching.reset_index_cache()
        self.assertEqual(matching.current_index().source, "saved")

    def test_a_damaged_file_is_rebuilt_never_used(self) -> None:
        matching.prebuild_screening_index.call()
        data = bytearray(self.path().read_bytes())
        data[len(data) // 2] ^= 0xFF
        data[-100] ^= 0xFF
        self.path().write_bytes(bytes(data))
        with self.assertLogs("ctnet.screening.matching", "INFO") as logs:
            held = matching.current_index()
        self.assertEqual((held.source, held.size), ("built", 3))
        self.assertIn("damaged", "\n".join(logs.output))
        # The worker replaces it: the task checks what a load checks, not only the header.
        matching.prebuild_screening_index.call()
        matching.reset_index_cache()
        self.assertEqual(matching.current_index().source, "saved")

    def test_a_file_of_another_engine_version_is_replaced(self) -> None:
        matching.prebuild_screening_index.call()
        with mock.patch.object(savedindex, "engine_fingerprint", lambda: "a later engine"):
            self.assertFalse(matching.saved_is_current(self.path(), matching.current_state()))
            matching.prebuild_screening_index.call()
            self.assertTrue(matching.saved_is_current(self.path(), matching.current_state()))
            self.assertEqual(matching.current_index().source, "saved")

    def test_for_lists_screens_the_callers_lists_only(self) -> None:
        un = self.un_list()
        matching.prebuild_screening_index.call()
        held = matching.current_index()
        only_un = matching.for_lists(held, [un.pk])
        only_fra = matching.for_lists(held, [self.watchlist.pk])
        assert only_un is not None and only_fra is not None
        fra_1 = str(self.watchlist.entries.get(ref="FRA-1").pk)
        self.assertIn(fra_1, [m.entry_id for m in screen(only_fra, YASIN, 0.5)])
        self.assertNotIn(fra_1, [m.entry_id for m in screen(only_un, YASIN, 0.5)])

    def test_the_command_builds_now_or_queues(self) -> None:
        out = StringIO()
        call_command("screening_index", "--now", stdout=out)
        self.assertIn(str(self.path()), out.getvalue())
        out = StringIO()
        call_command("screening_index", stdout=out)
        self.assertIn("queued", out.getvalue())
