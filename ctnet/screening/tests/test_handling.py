"""Handling codes on watchlists (issue 13, item 3): set by the owner, raised by readers, lowered
by the owner only; entry answers carry the marking; H2 keeps entries with the owner."""

from __future__ import annotations

from ctnet.core.models import AuditEvent
from ctnet.screening.tests.helpers import ScreeningTestCase

YASIN = {"name": "Abdul Rahman Yasin", "dob": "1960-04-10", "nationality": "IRQ"}


class WatchlistHandlingTests(ScreeningTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.watchlist = self.national_list(recipients=(self.state_b,))
        self.path = f"/screening/watchlists/{self.watchlist.pk}"

    def mark(self, user, tlp="AMBER", handling=(), **extra):
        return self.api(
            "post", f"{self.path}/marking", user, {"tlp": tlp, "handling": list(handling), **extra}
        )

    def test_created_with_codes_h3_needs_its_note(self) -> None:
        data = {
            "name": "Coded list",
            "legal_basis": "Art. 1",
            "purpose": "Border checks",
            "handling": ["H3", "H1"],
        }
        self.assertEqual(
            self.api("post", "/screening/watchlists", self.alice, data).status_code, 400
        )
        data["handling_note"] = "Only for the 2026 summit"
        created = self.api("post", "/screening/watchlists", self.alice, data)
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["handling"], ["H1", "H3"])
        self.assertEqual(created.json()["handling_note"], "Only for the 2026 summit")
        bad = {**data, "handling": ["H9"]}
        self.assertEqual(
            self.api("post", "/screening/watchlists", self.alice, bad).status_code, 400
        )

    def test_readers_raise_only_the_owner_lowers(self) -> None:
        raised = self.mark(self.charlie, "AMBER", ["H1"])
        self.assertEqual(raised.status_code, 200, raised.content)
        self.assertEqual(raised.json()["handling"], ["H1"])
        self.assertEqual(self.mark(self.charlie, "AMBER", []).status_code, 403)
        self.assertEqual(self.mark(self.charlie, "GREEN", ["H1"]).status_code, 403)
        lowered = self.mark(self.alice, "GREEN", [])
        self.assertEqual(lowered.status_code, 200, lowered.content)
        event = AuditEvent.objects.filter(action="screening.watchlist.marking").last()
        self.assertEqual(event.detail["to"], {"tlp": "GREEN", "handling": []})

    def test_entry_answers_carry_the_marking(self) -> None:
        self.mark(self.alice, "AMBER", ["H1"])
        page = self.api("get", f"{self.path}/entries", self.charlie)
        self.assertEqual(page.status_code, 200, page.content)
        self.assertEqual(page["X-Marking"], "TLP:AMBER; H1")
        self.assertEqual(page.json()["handling"]["codes"], ["H1"])
        entry_id = page.json()["items"][0]["id"]
        one = self.api("get", f"/screening/entries/{entry_id}", self.charlie)
        self.assertEqual(one["X-Marking"], "TLP:AMBER; H1")
        self.assertEqual(one.json()["handling"]["codes"], ["H1"])

    def test_h2_keeps_entries_with_the_owner_while_others_still_screen(self) -> None:
        entry_id = self.api("get", f"{self.path}/entries", self.alice).json()["items"][0]["id"]
        self.assertEqual(self.mark(self.alice, "AMBER", ["H2"]).status_code, 200)
        self.assertEqual(self.api("get", f"{self.path}/entries", self.charlie).status_code, 404)
        self.assertEqual(
            self.api("get", f"/screening/entries/{entry_id}", self.charlie).status_code, 404
        )
        own = self.api("get", f"{self.path}/entries", self.alice)
        self.assertEqual(own.status_code, 200)
        self.assertEqual(own["X-Marking"], "TLP:AMBER; H2")
        body = self.api(
            "post", "/screening/screen", self.charlie, {"purpose": "BORDER", "traveller": YASIN}
        )
        self.assertEqual(body.status_code, 200, body.content)
        (match,) = body.json()["results"][0]["possible_matches"]
        text = str(match)
        self.assertNotIn("Abd al-Rahman", text)  # no alias, no listed details
        self.assertIn("FRA", text)  # the owner to ask
