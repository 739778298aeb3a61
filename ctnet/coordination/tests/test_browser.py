"""Browser test: a coordinator records a commitment, another state assesses it (issue 17)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ctnet.coordination.models import Commitment
from ctnet.core.models import Role
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


def test_record_a_commitment_and_assess_it(browser, live_server, transactional_db):
    fra, ken = make_org("FRA"), make_org("KEN")
    alice = make_person("alice", fra, Role.NATIONAL_COORDINATOR)
    charlie = make_person("charlie", ken, Role.NATIONAL_COORDINATOR)
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    owner = sign_in(browser, base, alice)
    owner.click("text=Action plans")
    owner.click("text=Record an action plan")
    owner.fill("#id_title", "National counter-terrorism action plan")
    owner.select_option("#id_focus", "ct")
    owner.check("input[name=pillars][value=II]")
    owner.fill("#id_period_start", "2025-01-01")
    owner.fill("#id_period_end", "2027-12-31")
    owner.select_option("#id_visibility", "network")
    owner.click("form button.primary")
    owner.wait_for_url(re.compile(r".*/coordination/plans/\d+/$"))
    owner.fill("#id_title", "Watch lists of known and suspected terrorists")
    owner.select_option("#id_references", ["UNSCR-2396:13"])
    owner.click("text=Add the commitment")
    owner.wait_for_load_state()
    assert "Watch lists of known" in owner.content()
    plan_url = owner.url
    owner.screenshot(path=str(SCREENSHOTS / "coordination-plan.png"), full_page=True)

    assessor = sign_in(browser, base, charlie)
    assessor.goto(plan_url)
    assessor.click("text=Assess independently")
    assessor.select_option("select[name=status]", "limited")
    assessor.fill("textarea[name=note]", "The database exists; no link to the border yet.")
    assessor.click("text=Record the assessment")
    assessor.wait_for_load_state()
    assert "Limited (KEN)" in assessor.inner_text("main")
    assessor.screenshot(path=str(SCREENSHOTS / "coordination-assessed.png"), full_page=True)

    commitment = Commitment.objects.get()
    assert (commitment.assessed_status, commitment.assessed_by_id) == ("limited", ken.pk)
    assert commitment.references.get().code == "UNSCR-2396"


def test_set_up_a_working_group_and_record_a_meeting_in_arabic(
    browser, live_server, transactional_db
):
    """The secretariat sets a group up with the organisation picker; the chair, reading the
    pages in Arabic (right to left), records a meeting and assigns a follow-up."""
    from ctnet.coordination.models import FollowUp, WorkingGroup
    from ctnet.core.models import OrgKind

    unoct, unodc = make_org("UNOCT", OrgKind.UN_ENTITY), make_org("UNODC", OrgKind.UN_ENTITY)
    sam = make_person("sam", unoct, Role.SECRETARIAT)
    ursula = make_person("ursula", unodc, Role.ENTITY_FOCAL_POINT)
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    secretariat = sign_in(browser, base, sam)
    secretariat.goto(f"{base}/coordination/groups/")
    secretariat.click("text=Set up a working group")
    secretariat.fill("#id_name", "Border Management and Law Enforcement")
    for field, org in (("members", unodc), ("members", unoct), ("chairs", unodc)):
        secretariat.locator(f"#id_{field}-search").focus()
        secretariat.keyboard.type(org.code)
        secretariat.locator(f"#id_{field}-listbox [data-value='{org.pk}']").wait_for()
        secretariat.keyboard.press("Enter")
    secretariat.click("form button.primary")
    secretariat.wait_for_url(re.compile(r".*/coordination/groups/\d+/$"))
    group = WorkingGroup.objects.get()
    assert set(group.members.values_list("code", flat=True)) == {"UNOCT", "UNODC"}

    chair = sign_in(browser, base, ursula)
    chair.select_option("#lang-select", "ar")
    chair.click("form.lang button")
    chair.wait_for_load_state()
    chair.goto(f"{base}/coordination/groups/{group.pk}/")
    assert chair.locator("html").get_attribute("dir") == "rtl"
    chair.locator("details:has(form[action$='/meetings/']) summary").click()
    chair.fill("#id_held_on", "2026-01-10")
    chair.fill("#id_agenda", "١. قوائم المراقبة")
    chair.fill("#id_decisions", "تحديث الخلاصة الوافية للممارسات")
    chair.locator("form[action$='/meetings/'] button.primary").click()
    chair.wait_for_load_state()
    assert "تحديث الخلاصة الوافية للممارسات" in chair.inner_text("main")
    chair.locator("details:has(form[action*='/follow-ups/']) summary").first.click()
    follow_up_form = chair.locator("form[action*='/follow-ups/']").first
    follow_up_form.locator("input[name=title]").fill("إعداد المسودة")
    decision = group.meetings.get().decisions.get()
    chair.locator(f"#id_decision{decision.pk}_responsible-search").focus()
    chair.keyboard.type("UNOCT")
    listbox = f"#id_decision{decision.pk}_responsible-listbox [data-value='{unoct.pk}']"
    chair.locator(listbox).wait_for()
    chair.keyboard.press("Enter")
    follow_up_form.locator("input[name=due_date]").fill("2026-03-01")
    follow_up_form.locator("button[type=submit]").click()
    chair.wait_for_load_state()
    assert "إعداد المسودة" in chair.inner_text("main")
    chair.screenshot(path=str(SCREENSHOTS / "coordination-group-ar.png"), full_page=True)
    follow_up = FollowUp.objects.get()
    assert (follow_up.title, follow_up.responsible_id) == ("إعداد المسودة", unoct.pk)
