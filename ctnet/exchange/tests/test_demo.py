from __future__ import annotations

from ctnet.demo import load_demo
from ctnet.exchange.models import Bulletin, ReleaseRequest, Request
from ctnet.exchange.tests.helpers import ExchangeTestCase


class DemoTests(ExchangeTestCase):
    def test_demo_exchanges_load_once(self) -> None:
        # The fixed test people use other usernames, so the demo people are created here.
        load_demo()
        load_demo()
        self.assertEqual(Request.objects.count(), 1)
        self.assertEqual(Bulletin.objects.count(), 1)
        self.assertEqual(ReleaseRequest.objects.filter(status="pending").count(), 1)
        self.assertEqual(Request.objects.get().people.count(), 1)
