"""Browser test of the organisation picker on the request form (issue 14, item 2): by keyboard
only, in English and in Arabic (right to left), choose a recipient and send the request."""

from __future__ import annotations

import pytest

from ctnet.core.models import Organisation, OrgKind, Role, UNGroup
from ctnet.core.tests.test_browser import SCREENSHOTS
from ctnet.exchange.models import Request
from ctnet.testing.base import PASSWORD, current_code, make_person

pytestmark = pytest.mark.browser


def _org(code: str, group: str, **names: str) -> Organisation:
    return Organisation.objects.create(
        code=code, kind=OrgKind.MEMBER_STATE, names=names, un_group=group
    )


@pytest.mark.parametrize(("lang", "query"), [("en", "Fran"), ("ar", "فرن")])
def test_choose_a_recipient_by_keyboard_and_send(
    browser, live_server, transactional_db, lang: str, query: str
) -> None:
    wen = UNGroup.WESTERN_EUROPEAN_OTHERS
    fra = _org("FRA", wen, en="France", fr="France", ar="فرنسا")
    _org("FRX", wen, en="Franconia", ar="فرنكونيا")  # a second match, for the arrows
    ken = _org("KEN", UNGroup.AFRICAN, en="Kenya", ar="كينيا")
    charlie = make_person("charlie", ken, Role.NATIONAL_COORDINATOR)
    page = browser.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "charlie")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/login/otp/**")
    page.fill("#id_code", current_code(charlie))
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    if lang != "en":
        page.select_option("#lang-select", lang)
        page.click("form.lang button")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("dir") == "rtl"
    page.goto(f"{live_server.url}/exchange/requests/new/")

    # picker.js has replaced the plain select by the combobox; the label now names the input.
    select = page.locator("select#id_recipients")
    box = page.locator("#id_recipients-search")
    assert select.is_hidden() and box.is_visible()
    assert box.get_attribute("role") == "combobox"
    assert page.locator('label[for="id_recipients-search"]').count() == 1

    box.focus()
    page.keyboard.type(query)
    options = page.locator("#id_recipients-listbox [role=option][data-value]")
    options.nth(1).wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    first, second = options.nth(0).get_attribute("id"), options.nth(1).get_attribute("id")
    assert box.get_attribute("aria-activedescendant") == first
    assert options.nth(0).get_attribute("data-value") == str(fra.pk)
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == second
    page.keyboard.press("ArrowUp")
    assert box.get_attribute("aria-activedescendant") == first
    page.keyboard.press("Enter")  # chooses; the form is not sent
    assert "/requests/new/" in page.url
    chips = page.locator(".picker-chips li")
    assert chips.count() == 1
    assert fra.names[lang] in chips.first.inner_text()
    assert box.get_attribute("aria-expanded") == "false"
    assert page.locator(f'select#id_recipients option[value="{fra.pk}"]').evaluate(
        "o => o.selected"
    )
    # Escape closes an open list without choosing.
    page.keyboard.type("Ken")
    page.keyboard.press("Escape")
    assert chips.count() == 1

    page.fill("#id_subject", "Travel of a suspected facilitator")
    page.fill("#id_body", "Do you hold records of entries between March and May?")
    page.fill("#id_legal_basis", "UNSC resolution 2396 (2017)")
    page.fill("#id_purpose", "Disrupt facilitation of foreign terrorist fighters")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"picker-{lang}.png"), full_page=True)
    page.click("form.request-form button[type=submit]")
    page.wait_for_url("**/exchange/requests/*/")
    sent = Request.objects.get()
    assert [o.code for o in sent.recipient_orgs.all()] == ["FRA"]
    page.close()
