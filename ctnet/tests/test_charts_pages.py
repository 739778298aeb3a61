"""The charts where people look (issue 14, item 6): screening in numbers, response times
against deadlines, directory freshness by region; counts only, for the roles that see them."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from ctnet.directory.tests.helpers import make_contact
from ctnet.exchange.models import Delivery, Request
from ctnet.exchange.reports import response_times
from ctnet.exchange.tests.helpers import ExchangeTestCase
from ctnet.screening.tests.helpers import ScreeningTestCase
from ctnet.testing.base import CtnetTestCase

YASIN = {"name": "Abdul Rahman Yasin", "dob": "1960-04-10", "nationality": "IRQ"}


class ResponseTimeTests(ExchangeTestCase):
    def test_buckets_against_the_deadline(self) -> None:
        now = timezone.now()
        fast, slow, late, open_late = (self.send(self.state_b) for _ in range(4))
        self.send(self.state_b)  # open, in time

        def dates(request: Request, answered_after: float | None, allowed: float = 10) -> None:
            sent = now - timedelta(hours=20)
            Delivery.objects.filter(request=request).update(
                sent_at=sent,
                deadline=sent + timedelta(hours=allowed),
                first_answer_at=sent + timedelta(hours=answered_after)
                if answered_after is not None
                else None,
            )

        dates(fast, 4)
        dates(slow, 8)
        dates(late, 15)
        dates(open_late, None)
        found = response_times(self.charlie)
        self.assertEqual(
            found["received"], {"half": 1, "in_time": 1, "late": 1, "open_late": 1, "open": 1}
        )
        self.assertEqual(found["sent"], dict.fromkeys(found["sent"], 0))
        self.assertEqual(response_times(self.alice)["sent"], found["received"])
        self.assertEqual(sum(response_times(self.diego)["received"].values()), 0)

    def test_page_and_refusals(self) -> None:
        self.send(self.state_b)
        anonymous = self.client.get("/exchange/stats/")
        self.assertEqual(anonymous.status_code, 302)
        self.login(self.charlie)
        page = self.client.get("/exchange/stats/")
        self.assertContains(page, 'role="img"')
        self.assertContains(page, "Response times against the deadline</title>")
        self.assertNotContains(page, "Travel of a suspected facilitator")  # counts only
        self.assertEqual(self.client.post("/exchange/stats/").status_code, 405)
        oversight = self.client_class()
        self.login(self.olga, oversight)
        self.assertEqual(oversight.get("/exchange/stats/").status_code, 403)

    def test_right_to_left(self) -> None:
        self.login(self.charlie)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
        page = self.client.get("/exchange/stats/")
        self.assertContains(page, 'direction="rtl"')


class ScreeningChartTests(ScreeningTestCase):
    def test_stats_page_draws_the_weeks(self) -> None:
        self.national_list()
        self.api("post", "/screening/screen", self.alice, {"purpose": "BORDER", "traveller": YASIN})
        self.login(self.alice)
        page = self.client.get("/screening/stats/")
        self.assertContains(page, "Possible matches per week, by decision</title>")
        self.assertContains(page, "Screenings per week</title>")
        self.assertContains(page, "1 screening, 1 travellers")
        self.assertNotContains(page, "Yasin")


@override_settings(DIRECTORY_RECONFIRM_DAYS=180)
class FreshnessChartTests(CtnetTestCase):
    def test_share_of_fresh_entries_per_group(self) -> None:
        make_contact(self.state_a, "Fresh", age_days=10)
        make_contact(self.state_a, "Old", age_days=300)
        make_contact(self.state_b, "Kenya fresh", age_days=1)
        self.login(self.charlie)
        page = self.client.get("/directory/coverage/")
        self.assertContains(page, "by regional group</title>")
        self.assertContains(page, "50 % (1 of 2)")
        self.assertContains(page, "100 % (1 of 1)")
