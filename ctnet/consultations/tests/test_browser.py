"""Browser test: a civil-society member submits anonymously in Arabic, right to left, and comes
back with the receipt code (issue 15, done when)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ctnet.consultations.models import Submission
from ctnet.consultations.services import configuring
from ctnet.consultations.tests.helpers import consultation_data
from ctnet.core.models import OrgKind, Role
from ctnet.testing.base import PASSWORD, make_org, make_person

SCREENSHOTS = Path(os.environ.get("CTNET_SCREENSHOTS", "build/screenshots"))
ARABIC = "يجب إشراك الشباب في تصميم البرامج"

pytestmark = pytest.mark.browser


def test_anonymous_submission_in_arabic(browser, live_server, transactional_db):
    unoct = make_org("UNOCT", OrgKind.UN_ENTITY)
    cso_org = make_org("CSO-X", OrgKind.CIVIL_SOCIETY)
    sam = make_person("sam", unoct, Role.SECRETARIAT)
    member = make_person("member", cso_org, Role.CSO_MEMBER, otp=False)
    data = consultation_data()
    c = configuring.create_consultation(acting_user=sam, data=data, questions=data.pop("questions"))
    c = configuring.move_on(acting_user=sam, consultation=c, to="open")
    text_q, _, _, statement_q = c.questions.all()
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page = browser.new_context().new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", member.username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/")
    page.select_option("#lang-select", "ar")
    page.click("form.lang button")
    page.wait_for_load_state()
    page.goto(f"{base}/consultations/{c.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert "شارك" in page.inner_text("main, body")
    page.fill(f"textarea[name=q{text_q.pk}]", ARABIC)
    page.check(f"input[name=q{statement_q.pk}][value=agree]")
    page.select_option("#language", "ar")
    page.click("form.consultation-form button.primary")
    page.wait_for_load_state()
    page.screenshot(path=str(SCREENSHOTS / "consultation-sent-ar.png"), full_page=True)
    receipt = page.inner_text(".receipt code").strip()
    assert re.fullmatch(r"[A-Z2-7]{5}(-[A-Z2-7]{5}){3}", receipt)

    s = Submission.objects.get()
    assert (s.author_id, s.organisation_id, s.language) == (None, None, "ar")

    # Back with the receipt, signed out: the member's own words.
    other = browser.new_context().new_page()
    other.goto(f"{base}/consultations/receipt/")
    other.fill("#code", receipt)
    other.click("button.primary")
    other.wait_for_load_state()
    assert ARABIC in other.inner_text("body")
