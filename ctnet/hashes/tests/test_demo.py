from __future__ import annotations

from ctnet.demo import load_demo
from ctnet.hashes import indexing, matching
from ctnet.hashes.demo import CRISIS_BANK, STANDING_BANK, _pdq
from ctnet.hashes.models import Bank, SignalStatus
from ctnet.testing.base import CtnetTestCase


class DemoTests(CtnetTestCase):
    def test_demo_banks_load_once_and_match_their_pictures(self) -> None:
        indexing.reset_index_cache()
        load_demo()
        load_demo()  # idempotent
        bank = Bank.objects.get(name=STANDING_BANK)
        statuses = sorted(bank.signals.values_list("status", flat=True))
        self.assertEqual(statuses, ["ACTIVE", "ACTIVE", "DISPUTED", "PENDING"])
        self.assertEqual(Bank.objects.get(name=CRISIS_BANK).crisis_state, "OPEN")
        from ctnet.core.models import User

        platform = User.objects.get(username="platform")
        [result] = matching.match_hashes(platform, [("pdq", _pdq(101)[0])])
        self.assertEqual([s.status for s, _d in result.matches], [SignalStatus.ACTIVE])
