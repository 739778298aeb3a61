from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.test import TestCase

from ctnet.core.models import AuditEvent, Organisation, Role, UNGroup
from ctnet.core.reference import load_reference_organisations
from ctnet.directory.demo import load_directory_demo
from ctnet.directory.models import Function
from ctnet.directory.search import route_contact, search_contacts
from ctnet.directory.tests.helpers import make_contact, office_hours
from ctnet.testing.base import CtnetTestCase, make_org, make_person


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
        # An unknown country is named in one short sentence, not followed by every code.
        response = self.api("GET", "/directory/contacts?country=XYZ", self.alice)
        self.assertEqual(response.status_code, 400)
        detail = response.json()["detail"]
        self.assertIn("“XYZ”", detail)
        self.assertNotIn("KEN", detail)
        self.assertLess(len(detail), 200)
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
        # Through the API: token with membership and organisation, COUNT, SELECT, and
        # the audit row of the page (savepoint, chain head, insert, head update, release); the
        # same for one result and for 21.
        for extra, count in ((0, 1), (20, 21)):
            for i in range(extra):
                make_contact(self.state_a, f"Extra {i}", deputy=self.fra_cbrn)
            with self.assertNumQueries(9):
                response = self.api("GET", path, self.alice, token=token)
            self.assertEqual(response.json()["count"], count)
            read = AuditEvent.objects.filter(action="read").latest("id")
            ids = [item["id"] for item in response.json()["items"]]
            self.assertEqual(read.detail, {"why": "search", "ids": ids, "count": len(ids)})

    def test_search_page_query_count_is_fixed(self) -> None:
        self.login(self.alice)
        # Session, user with membership, second-factor device, COUNT, SELECT of the page, and the
        # page's audit row (5), the organisations of the country picker's plain select, and the
        # menu's two: what waits (one SELECT of every count) and the unread notifications. The
        # same for 2 results and for 12 (the rows carry their organisation, no deputy is read).
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
        # Token with membership and organisation, one SELECT of its entries, and the audit row
        # of the contact it names (5).
        with self.assertNumQueries(8):
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


class CountryByNameTests(CtnetTestCase):
    """Issue 14: a country is found by its name in any UN language, by code, any case or
    accent, in the country filter and in the free-text search."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        names = {"en": "France", "fr": "France", "es": "Francia", "ru": "Франция"}
        cls.state_a.names = {**names, "zh": "法国", "ar": "فرنسا"}
        cls.state_a.save()
        cls.state_b.names = {"en": "Kenya", "fr": "Kenya", "es": "Kenya", "ar": "كينيا"}
        cls.state_b.save()
        cls.fra = make_contact(cls.state_a, "FRA border", topic_list=["border-security"])
        cls.ken = make_contact(cls.state_b, "KEN border", topic_list=["border-security"])

    def _offices(self, query: str) -> tuple[int, list[str], str]:
        response = self.api("GET", f"/directory/contacts?{query}", self.charlie)
        body = response.json()
        items = [c["office"] for c in body.get("items", [])]
        return response.status_code, items, str(body.get("detail", ""))

    def test_country_filter_takes_a_name_in_every_un_language(self) -> None:
        for name in ("France", "france", "Francia", "Франция", "فرنسا", "法国", "FRA", "fr"):
            with self.subTest(name=name):
                self.assertEqual(self._offices(f"country={name}"), (200, ["FRA border"], ""))

    def test_free_text_finds_a_country_by_name(self) -> None:
        for name in ("France", "Francia", "Франция", "فرنسا", "法国", "kenya"):
            with self.subTest(name=name):
                status, offices, _detail = self._offices(f"q={name}")
                self.assertEqual(status, 200)
                self.assertEqual(len(offices), 1)
        # The page's search box too.
        self.login(self.charlie)
        page = self.client.get("/directory/", {"q": "Франция"})
        self.assertContains(page, "FRA border")
        self.assertNotContains(page, "KEN border")

    def test_pycountry_names_and_accents(self) -> None:
        # "Kenia" is not in the stored names: pycountry's Spanish catalogue knows it.
        self.assertEqual(self._offices("country=Kenia")[:2], (200, ["KEN border"]))
        self.assertEqual(self._offices("country=FRANCÉ")[:2], (200, ["FRA border"]))

    def test_a_wrong_or_ambiguous_name_is_a_short_400(self) -> None:
        status, offices, detail = self._offices("country=Atlantis")
        self.assertEqual((status, offices), (400, []))
        self.assertIn("Atlantis", detail)
        self.assertLess(len(detail), 200)
        Organisation.objects.create(code="FJI", kind="MEMBER_STATE", names={"en": "Fiji"})
        status, _offices, detail = self._offices("country=F")
        self.assertEqual(status, 400)
        self.assertIn("France", detail)
        self.assertIn("Fiji", detail)
        self.login(self.charlie)
        page = self.client.get("/directory/", {"country": "Atlantis"})
        self.assertContains(page, "Atlantis", status_code=400)

    def test_a_name_costs_one_query_more_than_a_code(self) -> None:
        # Membership, the organisation, the entries; a name: the code lookup misses, then one
        # SELECT of the names.
        with self.assertNumQueries(3):
            list(search_contacts(self.charlie, country="KEN"))
        self.charlie.forget_membership()
        with self.assertNumQueries(4):
            list(search_contacts(self.charlie, country="Kenya"))


class RoutePrefersTheTopicDeskTests(CtnetTestCase):
    """Issue 14, item 8: a verified, available desk that lists the topic comes before an
    all-topics deputy or the head, both of which are there to cover."""

    def test_topic_desk_before_an_all_topics_deputy_and_the_head(self) -> None:
        every = ["border-security", "cbrn", "prisons", "victims", "cyber"]
        deputy = make_contact(self.state_a, "Deputy coordinator", topic_list=every)
        make_contact(
            self.state_a,
            "Coordinator",
            function=Function.NATIONAL_COORDINATOR,
            topic_list=every,
            deputy=deputy,
        )
        desk = make_contact(self.state_a, "Border desk", topic_list=["border-security", "cbrn"])
        answer = route_contact(self.charlie, country="FRA", topic="border-security")
        self.assertEqual((answer.contact, answer.chosen_as), (desk, "topic"))

    def test_the_more_specific_desk_first(self) -> None:
        make_contact(self.state_a, "Broad desk", topic_list=["border-security", "cbrn", "cyber"])
        narrow = make_contact(self.state_a, "Narrow desk", topic_list=["border-security"])
        answer = route_contact(self.charlie, country="FRA", topic="border-security")
        self.assertEqual(answer.contact, narrow)

    def test_a_desk_that_cannot_be_reached_yields_to_the_deputy(self) -> None:
        deputy = make_contact(self.state_a, "Deputy", topic_list=["border-security", "cbrn"])
        make_contact(self.state_a, "Border desk", topic_list=["border-security"], verified=False)
        make_contact(self.state_a, "Head", function=Function.NATIONAL_COORDINATOR, deputy=deputy)
        answer = route_contact(self.charlie, country="FRA", topic="border-security")
        self.assertEqual(answer.contact, deputy)
        self.assertEqual([s["office"] for s in answer.skipped], ["Border desk"])

    def test_the_head_listing_the_topic_comes_last(self) -> None:
        head = make_contact(
            self.state_a, "Head", function=Function.NATIONAL_COORDINATOR, topic_list=["cbrn"]
        )
        self.assertEqual(route_contact(self.charlie, country="FRA", topic="cbrn").contact, head)
        desk = make_contact(self.state_a, "CBRN desk", topic_list=["cbrn", "cyber"])
        self.assertEqual(route_contact(self.charlie, country="FRA", topic="cbrn").contact, desk)


class DemoRouteTests(TestCase):
    """The case seen in the demo: France x border security."""

    def test_france_border_security_is_the_border_police_room(self) -> None:
        load_reference_organisations()
        load_directory_demo()
        ken = Organisation.objects.get(code="KEN")
        charlie = make_person("charlie", ken, Role.NATIONAL_COORDINATOR)
        for name in ("FRA", "France", "Франция"):
            answer = route_contact(charlie, country=name, topic="border-security")
            assert answer.contact is not None
            self.assertEqual(answer.contact.office, "Border police operations room")
            self.assertEqual(answer.chosen_as, "topic")
            self.assertTrue(answer.contact.verified and answer.contact.always_on)
            self.assertIn("border-security", answer.contact.topic_list)
