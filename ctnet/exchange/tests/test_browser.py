"""Browser test: two coordinators complete an urgent request through the pages (issue 5)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ctnet.core.models import Role
from ctnet.exchange.models import Delivery, DeliveryStatus
from ctnet.testing.base import PASSWORD, current_code, make_org, make_person

SCREENSHOTS = Path(os.environ.get("CTNET_SCREENSHOTS", "build/screenshots"))

pytestmark = pytest.mark.browser


def sign_in(browser, base: str, user) -> object:
    page = browser.new_context().new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/login/otp/**")
    page.fill("#id_code", current_code(user))
    page.click("button.primary")
    page.wait_for_url(f"{base}/")
    return page


def test_two_coordinators_complete_an_urgent_request(browser, live_server, transactional_db):
    fra, ken = make_org("FRA"), make_org("KEN")
    make_org("BRA")
    alice = make_person("alice", fra, Role.NATIONAL_COORDINATOR)
    charlie = make_person("charlie", ken, Role.NATIONAL_COORDINATOR)
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    sender = sign_in(browser, base, alice)
    sender.click("text=Exchange")
    sender.click("text=New request")
    # The recipient through the organisation picker, by keyboard.
    sender.locator("#id_recipients-search").focus()
    sender.keyboard.type("KEN")
    sender.locator(f"#id_recipients-listbox [data-value='{ken.pk}']").wait_for()
    sender.keyboard.press("Enter")
    sender.fill("#id_subject", "Urgent: travel of a suspected facilitator")
    sender.fill("#id_body", "Do you hold entry records for this week?")
    sender.select_option("#id_priority", "urgent")
    sender.fill("#id_legal_basis", "UNSC resolution 2396 (2017)")
    sender.fill("#id_purpose", "Prevent travel of a foreign terrorist fighter")
    sender.select_option("#id_tlp", "AMBER")
    sender.fill("#id_source_details", "Liaison officer report 42")
    sender.click("form.request-form button.primary")
    sender.wait_for_load_state()
    sender.screenshot(path=str(SCREENSHOTS / "exchange-sent.png"), full_page=True)
    sender.wait_for_url(re.compile(r".*/exchange/requests/\d+/$"))
    assert "Sent" in sender.locator(".delivery .status").inner_text()
    request_url = sender.url

    recipient = sign_in(browser, base, charlie)
    recipient.goto(f"{base}/exchange/?box=incoming")
    recipient.click("text=Urgent: travel of a suspected facilitator")
    assert "Liaison officer" not in recipient.content()
    recipient.click("button[name=ack]")
    recipient.wait_for_load_state()
    assert "Acknowledged" in recipient.locator(".delivery .status").inner_text()
    recipient.fill("textarea[name=body]", "Two entries, at NBO on Monday and Tuesday.")
    recipient.select_option("select[name=kind]", "final")
    recipient.click(".reply-form button")
    recipient.wait_for_load_state()
    assert "Answered" in recipient.locator(".delivery .status").inner_text()
    recipient.screenshot(path=str(SCREENSHOTS / "exchange-recipient.png"), full_page=True)

    sender.goto(request_url)
    assert "Two entries" in sender.locator(".thread").inner_text()
    assert "Liaison officer report 42" in sender.content()
    sender.click("button[name=close]")
    sender.wait_for_load_state()
    assert "Closed" in sender.locator(".delivery .status").inner_text()
    sender.screenshot(path=str(SCREENSHOTS / "exchange-sender.png"), full_page=True)

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.CLOSED
    assert delivery.answered_at is not None and delivery.answered_at < delivery.deadline
