"""SQL queries on the hot lists, pinned: the same number for 2 requests as for 10 (STYLE.md 9).

Counted after signing in (page) and after the token's first use (API), so that only the list
itself is measured; a query per row would show up as a different count at 10.
"""

from __future__ import annotations

from collections.abc import Iterator

from ctnet.exchange.tests.helpers import ExchangeTestCase

# Session, user with membership, OTP device, count, pending releases, person records due, rows,
# and the menu's two: what waits (one SELECT of every count) and the unread notifications.
INBOX_PAGE_QUERIES = 9
# Token with membership, count, rows (a valid token is checked before any rate-limit count).
INBOX_API_QUERIES = 3


class InboxQueryCountTests(ExchangeTestCase):
    def growing(self) -> Iterator[int]:
        """Alice's state sends to B and C until 2, then 10, requests exist."""
        sent = 0
        for total in (2, 10):
            for _ in range(total - sent):
                self.send(self.state_b, self.state_c)
            sent = total
            yield total

    def test_inbox_page_incoming(self) -> None:
        self.login(self.charlie)
        for total in self.growing():
            with self.assertNumQueries(INBOX_PAGE_QUERIES):
                response = self.client.get("/exchange/?box=incoming")
            self.assertEqual(len(response.context["page"].object_list), total)

    def test_inbox_page_outgoing(self) -> None:
        self.login(self.alice)
        for total in self.growing():
            with self.assertNumQueries(INBOX_PAGE_QUERIES):
                response = self.client.get("/exchange/?box=outgoing")
            # One row per delivery: two recipients each.
            self.assertEqual(len(response.context["page"].object_list), 2 * total)

    def test_api_request_list_incoming(self) -> None:
        token = self.token_for(self.charlie)
        # The first use of a token stamps last_used_at; measure after it.
        self.api("GET", "/exchange/requests", self.charlie, token=token)
        for total in self.growing():
            with self.assertNumQueries(INBOX_API_QUERIES):
                response = self.api("GET", "/exchange/requests", self.charlie, token=token)
            body = response.json()
            self.assertEqual((body["count"], len(body["items"])), (total, total))

    def test_api_request_list_outgoing(self) -> None:
        token = self.token_for(self.alice)
        self.api("GET", "/exchange/requests?box=outgoing", self.alice, token=token)
        for total in self.growing():
            with self.assertNumQueries(INBOX_API_QUERIES):
                response = self.api(
                    "GET", "/exchange/requests?box=outgoing", self.alice, token=token
                )
            body = response.json()
            self.assertEqual((body["count"], len(body["items"])), (2 * total, 2 * total))
