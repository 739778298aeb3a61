"""Browser test: a coordinator screens a passenger list, reads the evidence of the possible
match in plain words and proposes its confirmation; an officer of the same state approves it."""

from __future__ import annotations

from typing import Any

import pytest

from ctnet.core.markings import TLP
from ctnet.core.models import OrgKind, Role, User
from ctnet.screening import matching
from ctnet.screening.models import ListSource
from ctnet.screening.services import watchlists
from ctnet.testing.base import PASSWORD, current_code, make_org, make_person

pytestmark = pytest.mark.browser

WATCHLIST_CSV = (
    b"id,name,aliases,dob,nationality\n"
    b"QDi.901,Abdul Rahman Yasin,Aboud Yasin,1960-04-10,IRQ\n"
    b"QDi.902,Hamid Tarek Boumediene,,1975,DZA\n"
)
PASSENGERS = (
    b"id,name,dob,nationality,document\n"
    b"P1,Abdul Rahman Yasin,1960-04-10,IRQ,A1234567\n"
    b"P2,Marguerite Duplessis-Okonkwo,1985-02-03,FRA,Z7654321\n"
)


def _sign_in(page: Any, base: str, user: User) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/login/otp/**")
    page.fill("#id_code", current_code(user))
    page.click("button.primary")
    page.wait_for_url(f"{base}/")


def test_screen_review_and_approve(browser, live_server, transactional_db, tmp_path) -> None:
    state = make_org("FRA")
    unoct = make_org("UNOCT", OrgKind.UN_ENTITY)
    alice = make_person("alice", state, Role.NATIONAL_COORDINATOR)
    bob = make_person("bob", state, Role.OFFICER)
    sam = make_person("sam", unoct, Role.SECRETARIAT)
    watchlist = watchlists.create_watchlist(
        acting_user=sam,
        name="Consolidated list (test)",
        source=ListSource.UN_SC,
        legal_basis="UNSCR 1267, 2396",
        purpose="Border screening",
        tlp=TLP.GREEN,
    )
    watchlists.import_watchlist(
        acting_user=sam, watchlist=watchlist, data=WATCHLIST_CSV, file_name="un.csv"
    )
    matching.reset_index_cache()
    manifest = tmp_path / "passengers.csv"
    manifest.write_bytes(PASSENGERS)
    base = live_server.url

    page = browser.new_page()
    _sign_in(page, base, alice)
    page.click("nav >> text=Traveller screening")
    page.wait_for_url(f"{base}/screening/")
    page.set_input_files("#id_upload-file", str(manifest))
    page.select_option("#id_upload-purpose", "BORDER")
    page.click("#upload-form button.primary")
    page.wait_for_url("**/screening/runs/*/")
    result = page.locator("#run-result").inner_text()
    assert "1 possible match" in result
    assert "Same date of birth." in result
    assert "Name similarity 1.00 with the listed name." in result
    assert "Duplessis" not in page.content()

    page.click("#run-result >> text=Review this possible match")
    page.wait_for_url("**/screening/hits/*/")
    hit_url = page.url
    page.select_option("#id_outcome", "CONFIRMED")
    page.fill("#id_reason", "Passport photograph compared at the desk.")
    page.check("#id_notify_owner")
    page.click("#decision-form button.primary")
    page.wait_for_selector("text=Waiting for a second reviewer")
    assert page.locator("#second-review-form").count() == 0
    page.close()

    page = browser.new_page()  # a new context: bob's own session
    _sign_in(page, base, bob)
    page.goto(hit_url)
    page.select_option("#id_approve", "1")
    page.fill("#id_reason", "Checked the file: the same person.")
    page.click("#second-review-form button.primary")
    page.wait_for_selector("text=Your review is recorded.")
    assert page.locator("#hit-status").inner_text() == "Confirmed"
    page.close()
