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
