"""Browser test: a coordinator finds, through the route page, a contact in another country."""

from __future__ import annotations

import pytest

from ctnet.core.models import Role, UNGroup
from ctnet.core.tests.test_browser import SCREENSHOTS
from ctnet.directory.tests.helpers import make_contact
from ctnet.testing.base import PASSWORD, current_code, make_org, make_person

pytestmark = pytest.mark.browser


def test_coordinator_finds_a_contact_through_the_route_page(
    browser,
    live_server,
    transactional_db,
) -> None:
    fra = make_org("FRA", un_group=UNGroup.WESTERN_EUROPEAN_OTHERS)
    ken = make_org("KEN", un_group=UNGroup.AFRICAN)
    alice = make_person("alice", fra, Role.NATIONAL_COORDINATOR)
    make_contact(
        ken, "KEN aviation desk", topic_list=["aviation-security"], time_zone="Africa/Nairobi"
    )
    make_contact(ken, "KEN prisons", topic_list=["prisons"])
    page = browser.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/login/otp/**")
    page.fill("#id_code", current_code(alice))
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    page.click("nav >> text=Directory")
    page.click("text=Who to contact now")
    # The country is chosen with the picker, by keyboard: type, Enter on the first match.
    page.locator("#id_country-search").focus()
    page.keyboard.type("KEN")
    page.locator("#id_country-listbox [role=option][data-value=KEN]").wait_for()
    page.keyboard.press("Enter")
    page.select_option("#id_topic", "aviation-security")
    page.click("#route-form button.primary")
    answer = page.locator("#route-answer")
    assert "KEN aviation desk" in answer.inner_text()
    assert "available now" in page.locator(".reasons").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "directory-route.png"), full_page=True)
    page.close()
