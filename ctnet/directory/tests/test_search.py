from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ctnet.core.models import AuditEvent, UNGroup
from ctnet.directory.models import Function
from ctnet.directory.search import route_contact, search_contacts
from ctnet.directory.tests.helpers import make_contact, office_hours
from ctnet.testing.base import CtnetTestCase, make_org


def _last(isoweekday: int) -> datetime:
    """Noon UTC on the most recent such weekday: recent, so staleness reads as it does today."""
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    return today - timedelta(days=(today.isoweekday() - isoweekday) % 7 + 7)


# Noon UTC on a Wednesday = 13:00 in Paris, 15:00 in Nairobi: inside 09:00-17:00.
WEDNESDAY_NOON = _last(3)
# Noon UTC on a Sunday: outside Monday-Friday office hours everywhere.
SUNDAY_NOON = _last(7)


class SearchTests(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.fra_border = make_contact(cls.state_a, "FRA border", topic_list=["border-security"])
        cls.fra_cbrn = make_contact(
            cls.state_a, "FRA cbrn", topic_list=["cbrn"], language_list=["fr"]
        )
        cls.ken_border = make_contact(
            cls.state_b,
            "KEN border",
            topic_list=["border-security"],
            language_list=["en", "sw"],
            age_days=400,
        )

    def _offices(self, path: str, user=None) -> list[str]:
        response = self.api("GET", path, user or self.charlie)
        self.assertEqual(response.status_code, 200, response.content)
        return [c["office"] for c in response.json()["items"]]

    def test_filters(self) -> None:
        self.assertEqual(
            self._offices("/directory/contacts?country=fra"), ["FRA border", "FRA cbrn"]
        )
        self.assertEqual(
            self._offices("/directory/contacts?topic=border-security"), ["FRA border", "KEN border"]
        )
        self.assertEqual(self._offices("/directory/contacts?language=sw"), ["KEN border"])
        self.assertEqual(self._offices("/directory/contacts?un_group=AFRICAN"), ["KEN border"])
        self.assertEqual(self._offices("/directory/contacts?stale=true"), ["KEN border"])
        self.assertEqual(self._offices("/directory/contacts?q=cbrn"), ["FRA cbrn"])
        body = self.api("GET", "/directory/contacts?country=KEN", self.alice).json()
        self.assertEqual(body["count"], 1)
        self.assertTrue(body["items"][0]["stale"])

    def test_available_now_filter(self) -> None:
        make_contact(self.state_a, "FRA daytime", **office_hours(), topic_list=["cbrn"])
        open_now = search_contacts(self.alice, topic="cbrn", available_now=True, now=SUNDAY_NOON)
        self.assertEqual([c.office for c in open_now], ["FRA cbrn"])
        open_now = search_contacts(self.alice, topic="cbrn", available_now=True, now=WEDNESDAY_NOON)
        self.assertEqual([c.office for c in open_now], ["FRA cbrn", "FRA daytime"])

    def test_unknown_values_list_the_valid_ones(self) -> None:
        response = self.api("GET", "/directory/contacts?country=XYZ", self.alice)
        self.assertEqual(response.status_code, 400)
        self.assertIn("FRA", response.json()["detail"])
        self.assertIn("KEN", response.json()["detail"])
        response = self.api("GET", "/directory/contacts?topic=knitting", self.alice)
        self.assertEqual(response.status_code, 400)
        self.assertIn("prevention-violent-extremism", response.json()["detail"])
        response = self.api("GET", "/directory/contacts?language=kli", self.alice)
        self.assertEqual(response.status_code, 422)
        response = self.api("GET", "/directory/contacts?language=qq", self.alice)
        self.assertEqual(response.status_code, 400)
        response = self.api("GET", "/directory/route?country=FRA&topic=knitting", self.alice)
        self.assertEqual(response.status_code, 400)
        self.assertIn("border-security", response.json()["detail"])
        response = self.api("GET", "/directory/route?country=FRA", self.alice)
        self.assertEqual(response.status_code, 422)

    def test_search_query_count_is_fixed(self) -> None:
        # Independent of the number of results: the user's membership, one organisation lookup,
        # one COUNT, one SELECT.
        with self.assertNumQueries(4):
            page = search_contacts(self.alice, country="FRA", topic="border-security")
            assert not isinstance(page, list)
            self.assertEqual(page.count(), 1)
            list(page)
        token = self.token_for(self.alice)
        self.api("GET", "/me", self.alice, token=token)  # the token's first use is written once
        path = "/directory/contacts?country=FRA&topic=border-security&language=en"
        # Through the API: token, membership, organisation, COUNT, SELECT, and
        # the audit row of the page (savepoint, chain head, insert, head update, release); the
        # same for one result and for 21.
        for extra, count in ((0, 1), (20, 21)):
            for i in range(extra):
                make_contact(self.state_a, f"Extra {i}", deputy=self.fra_cbrn)
            with self.assertNumQueries(10):
                response = self.api("GET", path, self.alice, token=token)
            self.assertEqual(response.json()["count"], count)
            read = AuditEvent.objects.filter(action="read").latest("id")
            ids = [item["id"] for item in response.json()["items"]]
            self.assertEqual(read.detail, {"why": "search", "ids": ids, "count": len(ids)})

    def test_search_page_query_count_is_fixed(self) -> None:
        self.login(self.alice)
        # Session, user, second-factor device, membership, COUNT, SELECT of the page, and the
        # page's audit row (5): the same for 2 results and for 12 (the rows carry their
        # organisation, no deputy is read), and the menu's two: what waits (one SELECT of every
        # count) and the unread notifications.
        for extra, rows in ((0, 2), (10, 12)):
            for i in range(extra):
                make_contact(self.state_b, f"KEN extra {i}", deputy=self.ken_border)
            with self.assertNumQueries(13):
                response = self.client.get("/directory/?topic=border-security")
            self.assertEqual(response.status_code, 200)
            self.assertEqual(len(response.context["page"].object_list), rows)


class RouteTests(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.head = make_contact(
            cls.state_b,
            "KEN coordinator",
            function=Function.NATIONAL_COORDINATOR,
            topic_list=[],
            **office_hours(time_zone="Africa/Nairobi"),
        )

    def _route(self, now=WEDNESDAY_NOON):
        return route_contact(self.alice, country="KEN", topic="cbrn", now=now)

    def test_verified_available_contact_preferred(self) -> None:
        make_contact(self.state_b, "KEN cbrn unverified", topic_list=["cbrn"], verified=False)
        best = make_contact(self.state_b, "KEN cbrn", topic_list=["cbrn"])
        answer = self._route()
        self.assertEqual((answer.contact, answer.chosen_as), (best, "topic"))
        self.assertIn("available now", answer.reasons[0])

    def test_stale_or_closed_contacts_are_skipped_with_reasons(self) -> None:
        make_contact(self.state_b, "KEN cbrn old", topic_list=["cbrn"], age_days=300)
        make_contact(
            self.state_b,
            "KEN cbrn office",
            topic_list=["cbrn"],
            **office_hours(time_zone="Africa/Nairobi"),
        )
        answer = self._route(now=SUNDAY_NOON)
        self.assertEqual(answer.chosen_as, "head")
        self.assertEqual(answer.contact, self.head)
        why = {s["office"]: " ".join(s["why"]) for s in answer.skipped}
        self.assertIn("stale", why["KEN cbrn old"])
        self.assertIn("not available now", why["KEN cbrn office"])
        # The head entry itself is closed on Sunday: the answer says so rather than hiding it.
        self.assertTrue(any("not available now" in r for r in answer.reasons))

    def test_deputy_covers_an_absent_contact(self) -> None:
        deputy = make_contact(self.state_b, "KEN cbrn deputy", topic_list=[])
        make_contact(
            self.state_b,
            "KEN cbrn",
            topic_list=["cbrn"],
            deputy=deputy,
            **office_hours(time_zone="Africa/Nairobi"),
        )
        answer = self._route(now=SUNDAY_NOON)
        self.assertEqual((answer.contact, answer.chosen_as), (deputy, "deputy"))
        self.assertIn("Deputy of KEN cbrn", answer.reasons[0])

    def test_office_hours_follow_the_contacts_time_zone(self) -> None:
        # 06:30 UTC on a Wednesday is 09:30 in Nairobi (open) but 07:30 in Paris.
        early = WEDNESDAY_NOON.replace(hour=6, minute=30)
        nairobi = make_contact(
            self.state_b,
            "KEN cbrn",
            topic_list=["cbrn"],
            **office_hours(time_zone="Africa/Nairobi"),
        )
        self.assertEqual(self._route(now=early).contact, nairobi)
        self.assertEqual(self._route(now=early - timedelta(hours=1)).chosen_as, "head")

    def test_no_one_listed(self) -> None:
        self.head.delete()
        answer = self._route()
        self.assertIsNone(answer.contact)
        self.assertEqual(answer.chosen_as, "")

    def test_api_answer_and_query_count(self) -> None:
        for i in range(10):
            make_contact(self.state_b, f"KEN other {i}", topic_list=["prisons"])
        make_contact(self.state_b, "KEN cbrn", topic_list=["cbrn"], verified=False)
        token = self.token_for(self.alice)
        self.api("GET", "/me", self.alice, token=token)
        # Token, membership, organisation, one SELECT of its entries, and the audit row of the
        # contact it names (5).
        with self.assertNumQueries(9):
            response = self.api(
                "GET", "/directory/route?country=ken&topic=cbrn", self.alice, token=token
            )
        body = response.json()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(body["chosen_as"], "head")
        self.assertEqual(body["contact"]["office"], "KEN coordinator")
        self.assertEqual(body["skipped"][0]["why"][0], "not verified")


class CoverageApiTests(CtnetTestCase):
    def test_statuses(self) -> None:
        make_org("BRA", un_group=UNGroup.LATIN_AMERICAN_CARIBBEAN)
        make_contact(self.state_a, "FRA head", function=Function.NATIONAL_COORDINATOR)
        make_contact(self.state_b, "KEN head", function=Function.NATIONAL_COORDINATOR, age_days=365)
        with self.assertNumQueries(3):
            from ctnet.directory.coverage import coverage

            groups = coverage()
        self.assertEqual(len(groups), 3)
        page = self.api("GET", "/directory/coverage", self.charlie).json()
        body = {s["code"]: s for s in page["items"]}
        self.assertEqual(page["count"], len(body))
        self.assertEqual(body["FRA"]["status"], "verified")
        self.assertEqual(body["KEN"]["status"], "stale")
        self.assertEqual(body["KEN"]["stale"], 1)
        self.assertEqual(body["BRA"]["status"], "missing")
        self.assertEqual(self.api("GET", "/directory/coverage", self.pat).status_code, 403)
