"""Issue 14, item 8: "send a request" from a directory contact opens the request form with the
organisation and the topic filled in; the query is checked like any input."""

from __future__ import annotations

from ctnet.directory.tests.helpers import make_contact
from ctnet.exchange.models import Request
from ctnet.exchange.tests.helpers import ExchangeTestCase
from ctnet.exchange.tests.test_pages import form_data

NEW = "/exchange/requests/new/"


class PrefillTests(ExchangeTestCase):
    def test_the_link_fills_in_recipient_and_topic(self) -> None:
        self.login(self.alice)
        response = self.client.get(NEW, {"to": "KEN", "topic": "border-security"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'<option value="{self.state_b.pk}" selected>')
        self.assertContains(response, 'value="border-security"')
        # The form then posts as usual (the plain select, no JavaScript).
        posted = self.client.post(NEW, form_data([self.state_b], topic="border-security"))
        self.assertEqual(posted.status_code, 302)
        sent = Request.objects.latest("id")
        self.assertEqual(
            (sent.topic, list(sent.recipient_orgs.all())), ("border-security", [self.state_b])
        )

    def test_a_bad_link_is_a_400_that_fills_nothing(self) -> None:
        self.login(self.alice)
        for query in (
            {"to": "FRA"},
            {"to": "ZZZ"},
            {"to": "CSO-X"},
            {"to": "KEN", "topic": "knitting"},
        ):
            with self.subTest(query=query):
                response = self.client.get(NEW, query)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "The link did not fill in the form", status_code=400)
                self.assertNotContains(response, " selected>KEN", status_code=400)
        self.assertEqual(Request.objects.count(), 0)

    def test_the_link_is_for_senders_only(self) -> None:
        self.login(self.cso)
        self.assertEqual(self.client.get(NEW, {"to": "KEN"}).status_code, 403)


class ContactPageActionTests(ExchangeTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ken_desk = make_contact(
            cls.state_b, "KEN border desk", topic_list=["border-security", "cbrn"]
        )
        cls.ken_cbrn = make_contact(cls.state_b, "KEN cbrn", topic_list=["cbrn"])
        cls.fra_desk = make_contact(cls.state_a, "FRA desk", topic_list=["cbrn"])

    def test_a_sender_sees_send_a_request_with_the_topic(self) -> None:
        self.login(self.alice)
        page = self.client.get(f"/directory/contacts/{self.ken_desk.pk}/?topic=border-security")
        self.assertContains(page, f'href="{NEW}?to=KEN&amp;topic=border-security"')
        self.assertContains(page, "Send a request to")
        # No topic asked and several listed: the organisation only; one listed: that one.
        page = self.client.get(f"/directory/contacts/{self.ken_desk.pk}/")
        self.assertContains(page, f'href="{NEW}?to=KEN"')
        page = self.client.get(f"/directory/contacts/{self.ken_cbrn.pk}/?topic=prisons")
        self.assertContains(page, f'href="{NEW}?to=KEN&amp;topic=cbrn"')

    def test_no_link_to_ones_own_state_or_for_those_who_may_not_send(self) -> None:
        self.login(self.alice)
        page = self.client.get(f"/directory/contacts/{self.fra_desk.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "Send a request to")
        self.client.logout()
        self.login(self.cso)
        page = self.client.get(f"/directory/contacts/{self.ken_desk.pk}/")
        self.assertNotContains(page, "Send a request to", status_code=page.status_code)

    def test_the_route_page_links_the_contact_with_the_topic(self) -> None:
        self.login(self.alice)
        page = self.client.get("/directory/route/", {"country": "KEN", "topic": "cbrn"})
        self.assertContains(page, f"/directory/contacts/{self.ken_cbrn.pk}/?topic=cbrn")
