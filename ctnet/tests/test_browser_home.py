"""Browser test: the home page shows what waits, and the count leads to the work (issue 14)."""

from __future__ import annotations

import pytest

from ctnet.core.models import Role
from ctnet.exchange.services import sending
from ctnet.exchange.tests.helpers import request_data
from ctnet.exchange.tests.test_browser import sign_in
from ctnet.testing.base import make_org, make_person

pytestmark = pytest.mark.browser


def test_the_home_page_count_links_to_the_urgent_request(browser, live_server, transactional_db):
    fra, ken = make_org("FRA"), make_org("KEN")
    alice = make_person("alice", fra, Role.NATIONAL_COORDINATOR)
    charlie = make_person("charlie", ken, Role.NATIONAL_COORDINATOR)
    sending.send_request(
        acting_user=alice,
        recipients=[ken],
        data=request_data(subject="Urgent: a facilitator crossing tonight"),
    )
    page = sign_in(browser, live_server.url, charlie)
    waiting = page.locator(".waiting-list li.urgent a", has_text="Urgent requests open")
    assert waiting.locator(".count").inner_text() == "1"
    # The same count as a badge on the menu's Exchange entry.
    assert (
        page.locator("nav[aria-label=Main] a[href='/exchange/'] .badge")
        .inner_text()
        .startswith("1")
    )
    waiting.click()
    page.wait_for_url("**/exchange/?box=urgent")
    assert page.locator("h2", has_text="Urgent, still open").is_visible()
    assert page.get_by_role("link", name="Urgent: a facilitator crossing tonight").is_visible()
    page.context.close()
