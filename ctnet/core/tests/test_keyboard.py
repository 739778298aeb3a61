"""A main flow by keyboard only (issue 14, item 5): skip link, sign in with the second factor,
open an incoming request; every stop on the way shows where the focus is."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from ctnet.core import services
from ctnet.core.models import Role
from ctnet.testing.base import PASSWORD, current_code, make_org, make_person
from ctnet.tests.matrix.objects import request_data

pytestmark = pytest.mark.browser

# The focused element, and whether its focus can be seen (an outline, or a box shadow).
FOCUS = """() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  const seen = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
    || s.boxShadow !== 'none';
  const r = el.getBoundingClientRect();
  return {tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute('href') || '',
          cls: el.className || '', seen: seen, inView: r.bottom > 0 && r.top < innerHeight,
          inMain: !!el.closest('main')};
}"""


def tab_to(page: Any, matches: Any, *, limit: int = 40) -> dict[str, Any]:
    """Press Tab until the focused element matches; each stop on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        assert focused["seen"], f"focus not visible on {focused}"
        assert focused["inView"], f"focused element out of view: {focused}"
        if matches(focused):
            return focused
    raise AssertionError(f"not reached by Tab in {limit} presses")


def test_sign_in_and_open_a_request_by_keyboard(browser, live_server, transactional_db) -> None:
    fra, ken = make_org("FRA"), make_org("KEN")
    alice = make_person("alice", fra, Role.NATIONAL_COORDINATOR)
    charlie = make_person("charlie", ken, Role.NATIONAL_COORDINATOR)
    token = services.create_api_token(
        acting_user=alice, name="t", read_only=False, expires_days=1
    ).plaintext
    made = Client().post(
        "/api/v1/exchange/requests",
        json.dumps(request_data(subject="Entries of a suspected facilitator")),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert made.status_code == 201, made.content
    request_id = made.json()["id"]

    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/login/")
    # The first stop is the skip link, shown when focused; it leads into the page's content.
    first = tab_to(page, lambda f: True, limit=1)
    assert "skip" in first["cls"], first
    page.keyboard.press("Enter")
    tab_to(page, lambda f: f["id"] == "id_username", limit=3)
    page.keyboard.type("charlie")
    tab_to(page, lambda f: f["id"] == "id_password", limit=1)
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/login/otp/**")

    tab_to(page, lambda f: f["id"] == "id_code")
    page.keyboard.type(current_code(charlie))
    page.keyboard.press("Enter")
    # The skip link's #main stays on the address through the redirects.
    page.wait_for_url(lambda url: urlsplit(url).path == "/")

    tab_to(page, lambda f: f["href"] == "/exchange/")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == "/exchange/")
    tab_to(page, lambda f: f["href"] == f"/exchange/requests/{request_id}/")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == f"/exchange/requests/{request_id}/")
    assert "Entries of a suspected facilitator" in page.locator("h1").inner_text()
    # On the request, the next stops reach its actions (acknowledge, reply) by keyboard too.
    tab_to(page, lambda f: f["inMain"] and f["tag"] in ("button", "textarea", "select"))
    page.close()
