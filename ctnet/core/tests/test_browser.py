"""Browser tests: Playwright with Debian's chromium (see ctnet/conftest.py), live server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ctnet.core.models import Role
from ctnet.testing.base import PASSWORD, current_code, make_org, make_person

SCREENSHOTS = Path(os.environ.get("CTNET_SCREENSHOTS", "build/screenshots"))

pytestmark = pytest.mark.browser


def test_login_with_second_factor_then_arabic(browser, live_server, transactional_db) -> None:
    state = make_org("FRA")
    alice = make_person("alice", state, Role.NATIONAL_COORDINATOR)
    page = browser.new_page()
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/login/otp/**")
    page.fill("#id_code", current_code(alice))
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text().startswith("Welcome")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "home-en.png"), full_page=True)

    page.select_option("#lang-select", "ar")
    page.click("form.lang button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    heading = page.locator("h1").inner_text()
    assert not heading.startswith("Welcome"), heading
    # Right to left for real: the brand sits at the right edge of the header.
    box = page.locator(".brand").bounding_box()
    assert box is not None and box["x"] > page.viewport_size["width"] / 2
    page.screenshot(path=str(SCREENSHOTS / "home-ar.png"), full_page=True)
    page.close()


def test_wrong_code_keeps_the_door_shut(browser, live_server, transactional_db) -> None:
    state = make_org("KEN")
    make_person("charlie", state, Role.NATIONAL_COORDINATOR)
    page = browser.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "charlie")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/login/otp/**")
    page.fill("#id_code", "000000")
    page.click("button.primary")
    assert page.locator(".error").first.is_visible()
    page.goto(f"{live_server.url}/organisations/")
    assert "/login/otp/" in page.url
    page.close()
