"""Browser test: someone without an account opens a public consultation's link in Arabic, reads
it right to left, submits, and comes back with the receipt code (issue 15, item 1)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ctnet.consultations.models import Submission
from ctnet.consultations.services import configuring, public_link
from ctnet.consultations.tests.helpers import consultation_data
from ctnet.core.models import AuditEvent, OrgKind, Role
from ctnet.testing.base import make_org, make_person

SCREENSHOTS = Path(os.environ.get("CTNET_SCREENSHOTS", "build/screenshots"))
ARABIC = "نحتاج إلى أماكن آمنة للشباب في الحي"

pytestmark = pytest.mark.browser


def test_public_submission_in_arabic(browser, live_server, transactional_db):
    unoct = make_org("UNOCT", OrgKind.UN_ENTITY)
    sam = make_person("sam", unoct, Role.SECRETARIAT)
    data = consultation_data(audience="public", at_risk=True)
    c = configuring.create_consultation(acting_user=sam, data=data, questions=data.pop("questions"))
    token = public_link.make_public_link(acting_user=sam, consultation=c).token
    c = configuring.move_on(acting_user=sam, consultation=c, to="open")
    text_q, single_q, _, statement_q = c.questions.all()
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # A visitor whose browser asks for Arabic, never signed in.
    page = browser.new_context(locale="ar", viewport={"width": 360, "height": 740}).new_page()
    page.goto(f"{base}/consultations/public/{c.pk}/{token}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert "شارك" in page.inner_text("main")
    # Right to left: the form's first question lies against the right edge.
    box = page.locator(".questions fieldset").first.bounding_box()
    assert box is not None and box["x"] + box["width"] > 300, box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.fill(f"textarea[name=q{text_q.pk}]", ARABIC)
    page.check(f"input[name=q{single_q.pk}][value=Yes]")
    page.check(f"input[name=q{statement_q.pk}][value=agree]")
    assert page.locator("#language").input_value() == "ar"
    page.click("form.consultation-form button.primary")
    page.wait_for_load_state()
    page.screenshot(path=str(SCREENSHOTS / "consultation-public-sent-ar.png"), full_page=True)
    assert page.locator("html").get_attribute("dir") == "rtl"
    receipt = page.inner_text(".receipt code").strip()
    assert re.fullmatch(r"[A-Z2-7]{5}(-[A-Z2-7]{5}){3}", receipt)

    s = Submission.objects.get()
    assert (s.author_id, s.organisation_id, s.language, s.mode) == (None, None, "ar", "anonymous")
    event = AuditEvent.objects.get(action="consultations.public_submission")
    assert (event.ip, event.user_agent, event.actor_id) == (None, "", None)
    assert not page.context.cookies() or all(
        cookie["name"] != "sessionid" for cookie in page.context.cookies()
    )

    # Back with the receipt code, from the link on the page.
    page.click("a[href='/consultations/receipt/']")
    page.fill("#code", receipt)
    page.click("button.primary")
    page.wait_for_load_state()
    assert ARABIC in page.inner_text("main")
