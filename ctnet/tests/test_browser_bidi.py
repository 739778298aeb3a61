"""Browser test: right-to-left pages keep times, periods, deadlines and document lines in order.

Chromium lays the demo's pages out in Arabic. Every left-to-right isolate (``<bdi dir="ltr">``, from
``|ltr``, ``|when``, ``|day``, ``{% period %}``) on every main page must read left to right: its
first character is drawn to the left of its last. Then the issue's four cases are measured part by
part: a contact's hours (09:00 left of 17:00), a practice's period (start left of end), a request's
deadline (date, then time, then zone), a listed entry's document line (type, then number). A
control proves the measure can fail: the same hours without the isolate read 17:00–09:00. Last, in
an English page Arabic user content takes its own direction (right to left).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ctnet.core.demo import DEMO_PASSWORD
from ctnet.core.models import User
from ctnet.core.tests.test_browser import SCREENSHOTS
from ctnet.demo import load_demo
from ctnet.testing.base import current_code
from ctnet.testing.crawl import crawl

pytestmark = pytest.mark.browser

# For each LTR isolate: is its first visible character left of its last (on one line)?
ISOLATES_IN_ORDER = """() => {
  const bad = [];
  const edge = (node, last) => {
    const text = node.textContent;
    const i = last ? text.replace(/\\s+$/, '').length - 1 : text.search(/\\S/);
    const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
    return r.getBoundingClientRect();
  };
  for (const el of document.querySelectorAll('bdi[dir=ltr]')) {
    if (getComputedStyle(el).direction !== 'ltr') {
      bad.push('direction: ' + el.textContent);
      continue;
    }
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) {
      if (walker.currentNode.textContent.trim()) nodes.push(walker.currentNode);
    }
    if (!nodes.length || el.textContent.trim().length < 2) continue;
    const a = edge(nodes[0], false), b = edge(nodes[nodes.length - 1], true);
    if (!a.width || !b.width || Math.abs(a.top - b.top) > 2) continue;  // hidden, or wrapped
    if (!(a.left < b.left)) bad.push(el.textContent);
  }
  return bad;
}"""

# The left edge of each of ``parts`` inside the first element matching ``selector`` that holds
# them all (null when absent).
PART_POSITIONS = """([selector, parts]) => {
  for (const el of document.querySelectorAll(selector)) {
    const text = el.textContent;
    if (!parts.every(p => text.includes(p))) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const found = {};
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (const p of parts) {
        const i = node.textContent.indexOf(p);
        if (i < 0 || p in found) continue;
        const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + p.length);
        found[p] = r.getBoundingClientRect().left;
      }
    }
    if (parts.every(p => p in found)) return parts.map(p => found[p]);
  }
  return null;
}"""


def _sign_in(browser: Any, live_server: Any, username: str, language: str) -> Any:
    user = User.objects.get(username=username)
    context = browser.new_context()
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/login/otp/**")
    page.fill("#id_code", current_code(user))
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    # The sign-in sets the profile's language; the person then reads the pages in ``language``.
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    return page


def _main_pages(page: Any) -> list[str]:
    """The main pages of the person signed in on ``page`` (their session, not a second sign-in:
    the second factor's code may be used once)."""
    client = Client()
    for cookie in page.context.cookies():
        client.cookies[cookie["name"]] = cookie["value"]
    return [path for path, _html in crawl(client, per_shape=1)]


def _left_to_right(page: Any, selector: str, *parts: str) -> None:
    positions = page.evaluate(PART_POSITIONS, [selector, list(parts)])
    assert positions is not None, (page.url, selector, parts)
    assert positions == sorted(positions), (page.url, parts, positions)


def test_right_to_left_order_of_times_periods_deadlines_documents_and_user_content(
    browser, live_server, transactional_db
) -> None:
    load_demo()
    from ctnet.exchange.models import Delivery
    from ctnet.practices.models import Practice
    from ctnet.screening.models import Entry

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = _sign_in(browser, live_server, "coord.jor", "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    checked = 0
    for path in _main_pages(page):
        page.goto(live_server.url + path)
        assert page.evaluate(ISOLATES_IN_ORDER) == [], path
        checked += 1
    assert checked > 30

    # Hours of a contact in the directory: 09:00 is drawn left of 17:00.
    page.goto(f"{live_server.url}/directory/?country=KEN")
    _left_to_right(page, "bdi[dir=ltr]", "09:00", "17:00")
    # The control: the same text without the isolate, in this right-to-left page, reads backwards.
    page.evaluate(
        "() => { const s = document.createElement('span'); s.id = 'control';"
        " s.textContent = 'ساعات 09:00–17:00'; document.querySelector('main').prepend(s); }"
    )
    reversed_ = page.evaluate(PART_POSITIONS, ["#control", ["09:00", "17:00"]])
    assert reversed_[0] > reversed_[1]

    # A practice's period: the start date left of the end date.
    practice = Practice.objects.exclude(period_start=None).exclude(period_end=None).first()
    page.goto(f"{live_server.url}/practices/{practice.pk}/")
    start, end = practice.period_start, practice.period_end
    _left_to_right(page, ".period", f"{start:%d/%m/%Y}", f"{end:%d/%m/%Y}")

    # A listed entry's document line: its type left of its number.
    entry = next(e for e in Entry.objects.exclude(documents=[])[:200] if e.documents[0].get("type"))
    document = entry.documents[0]
    page.goto(f"{live_server.url}/screening/entries/{entry.pk}/")
    _left_to_right(page, "bdi[dir=ltr]", document["type"], document["number"])
    page.screenshot(path=str(SCREENSHOTS.joinpath("entry-ar.png")), full_page=True)
    page.context.close()

    # A deadline, read by a recipient: date, then time, then zone.
    # A recipient other than coord.jor, who signed in above: a second factor's code is good once,
    # so signing the same person in again within its 30 seconds is refused (and should be).
    delivery, recipient = next(
        (d, u)
        for d in Delivery.objects.select_related("organisation").order_by("deadline", "id")
        for u in User.objects.filter(
            membership__organisation=d.organisation,
            membership__is_active=True,
            totpdevice__confirmed=True,
        )
        .exclude(username="coord.jor")
        .order_by("username")[:1]
    )
    page = _sign_in(browser, live_server, recipient.username, "ar")
    page.goto(f"{live_server.url}/exchange/requests/{delivery.request_id}/")
    deadline = delivery.deadline
    _left_to_right(page, "bdi[dir=ltr]", f"{deadline:%d/%m/%Y}", f"{deadline:%H:%M}", "UTC")
    page.screenshot(path=str(SCREENSHOTS / "request-ar.png"), full_page=True)
    page.context.close()

    # In an English page, Arabic user content takes its own direction (right to left).
    practice = Practice.objects.filter(language="ar", status="published").first()
    page = _sign_in(browser, live_server, "secretariat", "en")
    page.goto(f"{live_server.url}/practices/{practice.pk}/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    title = page.locator("h1 bdi")
    assert title.evaluate("el => getComputedStyle(el).direction") == "rtl"
    body = page.locator("div[dir=auto]").first
    assert body.evaluate("el => getComputedStyle(el).direction") == "rtl"
    page.context.close()
