"""Handling codes on the watchlist pages (issue 13, item 3): set on the create form, shown in
plain words on the list's and its entries' pages, changed through the marking form (readers
raise, only the owner lowers), like the API's ``POST /screening/watchlists/{id}/marking``."""

from __future__ import annotations

from typing import Any

from ctnet.core.markings import TLP
from ctnet.core.models import AuditEvent, Role
from ctnet.screening.models import ListSource, Watchlist
from ctnet.screening.services import watchlists
from ctnet.screening.tests.helpers import ScreeningTestCase
from ctnet.testing.base import make_org, make_person

H1_WORDS = "not for use in court without the originator"


class WatchlistCreateHandlingTests(ScreeningTestCase):
    def form(self, **extra: Any) -> dict[str, Any]:
        return {
            "name": "FRA summit list",
            "source": ListSource.NATIONAL,
            "legal_basis": "Code de la sécurité intérieure",
            "purpose": "Security of the 2026 summit",
            "tlp": TLP.AMBER,
            "default_legal_status": "suspect",
            "hit_retention_days": "365",
            "review_days": "365",
            **extra,
        }

    def test_created_with_codes_through_the_page(self) -> None:
        self.login(self.alice)
        page = self.client.get("/screening/watchlists/")
        self.assertContains(page, 'name="handling"')
        self.assertContains(page, H1_WORDS)
        response = self.client.post(
            "/screening/watchlists/",
            self.form(handling=["H3", "H1"], handling_note="Only for the 2026 summit"),
        )
        watchlist = Watchlist.objects.get(name="FRA summit list")
        self.assertRedirects(response, f"/screening/watchlists/{watchlist.pk}/")
        self.assertEqual(watchlist.handling, ["H1", "H3"])
        self.assertEqual(watchlist.handling_note, "Only for the 2026 summit")
        shown = self.client.get(f"/screening/watchlists/{watchlist.pk}/")
        self.assertContains(shown, H1_WORDS)
        self.assertContains(shown, "Only for the 2026 summit")
        self.assertContains(shown, 'id="marking-form"')

    def test_h3_without_its_note_writes_nothing(self) -> None:
        self.login(self.alice)
        response = self.client.post("/screening/watchlists/", self.form(handling=["H3"]))
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response, "Handling code H3 needs the restriction stated in the note.", status_code=400
        )
        self.assertFalse(Watchlist.objects.filter(name="FRA summit list").exists())
        bad = self.client.post("/screening/watchlists/", self.form(handling=["H9"]))
        self.assertEqual(bad.status_code, 400)
        self.assertFalse(Watchlist.objects.exists())


class WatchlistMarkingPageTests(ScreeningTestCase):
    def setUp(self) -> None:
        super().setUp()
        # alice's (FRA) AMBER list, shared with KEN: charlie screens against it.
        self.watchlist = self.national_list(recipients=(self.state_b,))
        self.path = f"/screening/watchlists/{self.watchlist.pk}/"

    def mark(self, tlp: str = "AMBER", handling: tuple[str, ...] = ()) -> Any:
        return self.client.post(f"{self.path}marking/", {"tlp": tlp, "handling": list(handling)})

    def test_a_screener_of_another_organisation_raises_but_may_not_lower(self) -> None:
        self.login(self.charlie)
        raised = self.mark("AMBER", ("H1",))
        self.assertRedirects(raised, self.path)
        self.watchlist.refresh_from_db()
        self.assertEqual(self.watchlist.handling, ["H1"])
        self.assertContains(self.client.get(self.path), H1_WORDS)
        lowered = self.mark("AMBER", ())
        self.assertContains(
            lowered, "Only the originating organisation may lower a marking.", status_code=403
        )
        self.assertEqual(self.mark("GREEN", ("H1",)).status_code, 403)
        self.watchlist.refresh_from_db()
        self.assertEqual((self.watchlist.tlp, self.watchlist.handling), (TLP.AMBER, ["H1"]))

    def test_the_owner_lowers(self) -> None:
        watchlists.change_watchlist_marking(
            acting_user=self.alice, watchlist=self.watchlist, tlp=TLP.AMBER, handling=["H1", "H2"]
        )
        self.login(self.alice)
        response = self.client.post(f"{self.path}marking/", {"tlp": "GREEN"}, follow=True)
        self.assertRedirects(response, self.path)
        self.assertContains(response, "Marking changed.")
        self.watchlist.refresh_from_db()
        self.assertEqual((self.watchlist.tlp, self.watchlist.handling), (TLP.GREEN, []))
        event = AuditEvent.objects.filter(action="screening.watchlist.marking").last()
        self.assertEqual(event.detail["to"], {"tlp": "GREEN", "handling": []})

    def test_entry_page_carries_the_list_codes(self) -> None:
        watchlists.change_watchlist_marking(
            acting_user=self.alice, watchlist=self.watchlist, tlp=TLP.AMBER, handling=["H1"]
        )
        entry = self.watchlist.entries.order_by("id").first()
        self.login(self.charlie)
        page = self.client.get(f"/screening/entries/{entry.pk}/")
        self.assertContains(page, H1_WORDS)
        self.assertContains(page, "TLP:AMBER")

    def test_refusals(self) -> None:
        anonymous = self.mark("RED")
        self.assertEqual(anonymous.status_code, 302)
        self.assertIn("/login/", anonymous["Location"])
        outsider = make_person("dmitri", make_org("RUS"), Role.NATIONAL_COORDINATOR)
        self.login(outsider)
        self.assertEqual(self.mark("RED").status_code, 404)
        self.login(self.alice)
        self.assertEqual(self.client.get(f"{self.path}marking/").status_code, 405)
        self.assertEqual(self.mark("PURPLE").status_code, 400)
        self.watchlist.refresh_from_db()
        self.assertEqual((self.watchlist.tlp, self.watchlist.handling), (TLP.AMBER, []))
