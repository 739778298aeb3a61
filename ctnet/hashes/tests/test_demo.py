from __future__ import annotations

from ctnet.demo import load_demo
from ctnet.hashes import indexing, matching
from ctnet.hashes.demo import CRISIS_BANK, STANDING_BANK, _pdq, demo_videos
from ctnet.hashes.models import Bank, SignalStatus
from ctnet.testing.base import CtnetTestCase


class DemoTests(CtnetTestCase):
    def test_demo_banks_load_once_and_match_their_pictures(self) -> None:
        indexing.reset_index_cache()
        load_demo()
        load_demo()  # idempotent
        bank = Bank.objects.get(name=STANDING_BANK)
        statuses = sorted(bank.signals.values_list("status", flat=True))
        self.assertEqual(statuses, ["ACTIVE", "ACTIVE", "ACTIVE", "DISPUTED", "PENDING"])
        self.assertEqual(Bank.objects.get(name=CRISIS_BANK).crisis_state, "OPEN")
        from ctnet.core.models import User

        platform = User.objects.get(username="platform")
        [result] = matching.match_hashes(platform, [("pdq", _pdq(101)[0])])
        self.assertEqual([s.status for s, _d in result.matches], [SignalStatus.ACTIVE])

    def test_the_demo_reupload_of_its_banked_video_finds_it_with_its_labels(self) -> None:
        from django.conf import settings

        from ctnet.core.models import User
        from ctnet.hashes.engine.video import hash_video_file

        indexing.reset_index_cache()
        load_demo()
        _banked, copy = demo_videos()
        self.assertTrue(str(copy).startswith(str(settings.DATA_DIR)))
        reupload = hash_video_file(copy, ffprobe=settings.HASHES_FFPROBE)
        platform = User.objects.get(username="platform")
        [result] = matching.match_hashes(platform, [("vpdq", reupload.vpdq)])
        [(signal, _distance)] = result.matches
        self.assertEqual((signal.signal_type, signal.entity), ("vpdq", "QDe.115"))
        self.assertEqual(signal.bank.name, STANDING_BANK)
