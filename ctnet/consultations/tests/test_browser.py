"""Browser test: a civil-society member submits anonymously in Arabic, right to left, and comes
back with the receipt code (issue 15, done when)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ctnet.consultations.models import Consultation, Submission
from ctnet.consultations.services import configuring, submitting
from ctnet.consultations.tests.helpers import consultation_data
from ctnet.core.models import OrgKind, Role
from ctnet.testing.base import PASSWORD, current_code, make_org, make_person

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


def sign_in_with_code(browser, base: str, user) -> object:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/login/otp/**")
    page.fill("#id_code", current_code(user))
    page.click("button.primary")
    page.wait_for_url(f"{base}/")
    return page


def assert_right_to_left(page) -> None:
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"


def _configure_in_arabic(page, base: str) -> Consultation:
    """The unit opens the form in Arabic, is refused a unique field, then saves a draft."""
    page.goto(f"{base}/consultations/")
    page.click("a[href='/consultations/new/']")
    page.wait_for_url(f"{base}/consultations/new/")
    assert_right_to_left(page)
    assert page.inner_text("h1") == "استشارة جديدة"  # "New consultation"
    # The form's two sections side by side, the first on the right as Arabic reads.
    first, second = (page.locator("form.configure-form > fieldset").nth(i) for i in (0, 1))
    box1, box2 = first.bounding_box(), second.bounding_box()
    assert box1 and box2 and box1["x"] > box2["x"] + box2["width"] - 1
    # A field's label starts at the right edge of its section.
    label = page.locator("label[for=id_title]").bounding_box()
    title = page.locator("#id_title").bounding_box()
    assert (
        label and title and abs((label["x"] + label["width"]) - (title["x"] + title["width"])) < 2
    )

    page.fill("#id_title", "خطة العمل الوطنية لمنع التطرف العنيف")
    page.select_option("#id_subject_kind", "action_plan")
    page.fill("#id_subject", "مسودة خطة العمل 2027-2030")
    page.select_option("#id_audience", "all_csos")
    page.check("input[name=mode][value=anonymous]")
    page.check("input[name=languages][value=ar]")
    page.check("input[name=languages][value=fr]")
    # A question whose answer must be unique would identify an anonymous sender: refused.
    page.fill("#id_q-0-text", "رقم التسجيل")
    page.check("#id_q-0-unique_answer")
    page.click("form.configure-form button.primary")
    page.wait_for_load_state()
    assert_right_to_left(page)
    assert page.locator(".error[role=alert]").count() >= 1
    assert Consultation.objects.count() == 0
    page.uncheck("#id_q-0-unique_answer")
    page.fill("#id_q-0-text", "ما الذي يجب أن تغيره الخطة؟")
    page.click("form.configure-form button.primary")
    page.wait_for_url(re.compile(r".*/consultations/\d+/$"))
    c = Consultation.objects.get()
    assert (c.mode, c.status, c.languages) == ("anonymous", "draft", ["ar", "en", "fr"])
    return c


def _group_inputs(page, base: str, c: Consultation, texts: list[str]) -> None:
    """After the window closes, the unit puts the inputs into one new theme."""
    page.goto(f"{base}/consultations/{c.pk}/")
    page.click("form[action$='/move/'] button")  # close
    page.wait_for_load_state()
    page.click(f"a[href='/consultations/{c.pk}/themes/']")
    page.wait_for_url(f"{base}/consultations/{c.pk}/themes/")
    assert_right_to_left(page)
    ids = {s.answers.get().text: str(s.pk) for s in Submission.objects.all()}
    page.check(f"input[name=inputs][value='{ids[texts[0]]}']")
    page.check(f"input[name=inputs][value='{ids[texts[1]]}']")
    page.fill("#new-theme", "مشاركة الشباب")
    page.click("form.inputs-form button:not([formaction])")
    page.wait_for_url(f"{base}/consultations/{c.pk}/themes/")
    page.check(f"input[name=inputs][value='{ids[texts[2]]}']")
    page.click("form.inputs-form button[formaction]")
    page.wait_for_url(f"{base}/consultations/{c.pk}/themes/")
    assert Submission.objects.filter(theme__isnull=True).count() == 0
    page.screenshot(path=str(SCREENSHOTS / "consultation-themes-ar.png"), full_page=True)


def _answer_and_publish(page, base: str, c: Consultation) -> None:
    """Publishing is refused while the theme lacks a response; answered, it is published."""
    page.click(f"a[href='/consultations/{c.pk}/answers/']")
    page.wait_for_url(f"{base}/consultations/{c.pk}/answers/")
    assert_right_to_left(page)
    page.click("form[action$='/move/'] button")  # synthesis
    page.wait_for_load_state()
    page.goto(f"{base}/consultations/{c.pk}/answers/")
    page.click("form.publish-form button")
    page.wait_for_load_state()
    assert page.locator(".error[role=alert]").count() == 1
    theme = c.themes.get()
    page.check(f"input[name=t{theme.pk}-response][value=taken_up]")
    page.fill(f"#id_t{theme.pk}-reason", "تمول الخطة الآن مراكز الشباب في كل منطقة.")
    page.fill(f"#id_t{theme.pk}-change_link", "https://example.org/plan/v2")
    page.click("form.response-form button.primary")
    page.wait_for_url(f"{base}/consultations/{c.pk}/answers/")
    page.screenshot(path=str(SCREENSHOTS / "consultation-answers-ar.png"), full_page=True)
    page.click("form.publish-form button")
    page.wait_for_url(f"{base}/consultations/{c.pk}/")
    c.refresh_from_db()
    assert c.status == "published"


def test_the_unit_configures_groups_and_answers_in_arabic(browser, live_server, transactional_db):
    unoct = make_org("UNOCT", OrgKind.UN_ENTITY)
    cso_org = make_org("CSO-X", OrgKind.CIVIL_SOCIETY)
    sam = make_person("sam", unoct, Role.SECRETARIAT)
    members = [make_person(f"m{i}", cso_org, Role.CSO_MEMBER, otp=False) for i in range(3)]
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page = sign_in_with_code(browser, base, sam)
    page.select_option("#lang-select", "ar")
    page.click("form.lang button")
    page.wait_for_load_state()
    c = _configure_in_arabic(page, base)
    page.click("form[action$='/move/'] button")  # open
    page.wait_for_load_state()

    texts = ["يجب إشراك الشباب في تصميم البرامج", "Les jeunes doivent participer", "السجون"]
    (question,) = c.questions.all()
    c.refresh_from_db()  # open
    for member, text in zip(members, texts, strict=True):
        lang = "fr" if text.startswith("Les") else "ar"
        submitting.submit(
            acting_user=member, consultation=c, answers={str(question.pk): text}, language=lang
        )
    _group_inputs(page, base, c, texts)
    _answer_and_publish(page, base, c)
    # Nothing on the unit's pages names an anonymous sender.
    for path in ("themes", "answers", "moderation"):
        page.goto(f"{base}/consultations/{c.pk}/{path}/")
        body = page.inner_text("main")
        assert "CSO-X" not in body and not any(m.username in body for m in members)
