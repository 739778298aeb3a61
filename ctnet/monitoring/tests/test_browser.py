"""Browser test: an entity's officer reports a period's actuals with evidence and submits them;
a second head of the entity approves; the portfolio's progress moves."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ctnet.core.markings import TLP
from ctnet.core.models import OrgKind, Role, User
from ctnet.monitoring.models import Measure, ResultType
from ctnet.monitoring.services import framework, projects
from ctnet.testing.base import PASSWORD, current_code, make_org, make_person

pytestmark = pytest.mark.browser


def _sign_in(page: Any, base: str, user: User) -> None:
    # The first request of the live server imports every app and the API: slow on a loaded
    # machine, so waits are generous (they end as soon as the page is there).
    page.set_default_timeout(120_000)
    page.goto(f"{base}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/login/otp/**")
    page.fill("#id_code", current_code(user))
    page.click("button.primary")
    page.wait_for_url(f"{base}/")


def test_report_submit_and_approve(browser, live_server, transactional_db) -> None:
    unoct = make_org("UNOCT", OrgKind.UN_ENTITY)
    make_org("KEN")
    sam = make_person("sam", unoct, Role.SECRETARIAT)
    una = make_person("una", unoct, Role.ENTITY_FOCAL_POINT)
    project = projects.create_project(
        acting_user=sam,
        iati_identifier="XI-CTNET-UNOCT-B1",
        title="Aviation security in East Africa",
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2027, 12, 31),
        countries=["KEN"],
        themes=["aviation-security"],
        tlp=TLP.GREEN,
    )
    result = framework.add_result(
        acting_user=sam, project=project, type=ResultType.OUTPUT, title="Screeners trained"
    )
    indicator = framework.add_indicator(
        acting_user=sam,
        result=result,
        title="Screeners certified",
        measure=Measure.UNIT,
        baseline_year=2024,
        baseline_value=0,
        dimensions={"sex": ["female", "male"]},
    )
    framework.add_period(
        acting_user=sam,
        indicator=indicator,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 3, 31),
        target_value=40,
    )
    base = live_server.url

    page = browser.new_page()
    _sign_in(page, base, una)
    page.click("nav >> text=Projects")
    page.wait_for_url(f"{base}/monitoring/")
    assert "no data" in page.content()
    page.click("#portfolio >> text=Aviation security in East Africa")
    page.click("a.report")
    page.wait_for_url("**/report/")
    page.fill("#id_value", "lots")
    page.click("#report-form button.primary")
    page.wait_for_selector("text=The value must be a number.")
    page.fill("#id_value", "30")
    page.fill("#id_dim_0", "12")
    page.fill("#id_dim_1", "18")
    page.click("#report-form button.primary")
    page.wait_for_url("**/monitoring/updates/*/")
    update_url = page.url
    page.fill("#id_url", "https://example.org/certificates")
    page.fill("#id_title", "Certificates issued")
    page.click("#evidence-form button")
    page.wait_for_selector("text=Evidence added.")
    page.click("#submit-form button.primary")
    page.wait_for_selector("text=Four eyes: another head of the entity approves")
    assert page.locator("#decision-form").count() == 0
    page.close()

    page = browser.new_page()
    _sign_in(page, base, sam)
    page.goto(f"{base}/monitoring/due/")
    page.click("#waiting a")
    page.wait_for_url(update_url)
    page.select_option("#id_decision", "approve")
    page.click("#decision-form button.primary")
    page.wait_for_selector("text=Decision recorded.")
    assert page.locator("#update-status").inner_text() == "Approved"
    page.goto(f"{base}/monitoring/")
    row = page.locator("#portfolio tbody tr").first.inner_text()
    assert "0.75" in row  # 30 of the way from 0 to 40
    page.close()


# Where a field's label text starts: its left edge in a left-to-right page, its right edge in a
# right-to-left one, against the field's own box (labels are blocks above their inputs).
LABEL_START = """(id) => {
  const label = document.querySelector('label[for=' + id + ']');
  const box = label.closest('.field').getBoundingClientRect();
  const r = document.createRange(); r.selectNodeContents(label);
  const text = r.getBoundingClientRect();
  const input = document.getElementById(id);
  return {dir: getComputedStyle(input).direction, fromLeft: text.left - box.left,
          fromRight: box.right - text.right};
}"""


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_head_builds_a_project_through_the_pages(
    browser, live_server, transactional_db, language
) -> None:
    """A head of UNOCT creates a project, then adds a result, an indicator and a period, each
    through its form page; a refusal shows on the form. In Arabic the forms read right to left."""
    unoct = make_org("UNOCT", OrgKind.UN_ENTITY)
    make_org("KEN")
    sam = make_person("sam", unoct, Role.SECRETARIAT)
    sam.preferred_language = language
    sam.save(update_fields=["preferred_language"])
    base = live_server.url
    context = browser.new_context()
    page = context.new_page()
    _sign_in(page, base, sam)
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(f"{base}/monitoring/")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "ltr")
    page.click("#new-project")
    page.wait_for_url("**/monitoring/projects/new/")
    start = page.evaluate(LABEL_START, "id_title")
    if language == "ar":
        assert start["dir"] == "rtl" and abs(start["fromRight"]) < 4, start
    else:
        assert start["dir"] == "ltr" and abs(start["fromLeft"]) < 4, start
    page.fill("#id_iati_identifier", f"XI-CTNET-UNOCT-{language.upper()}1")
    page.fill("#id_title", "Children of returning fighters")
    page.fill("#id_start_date", "2025-01-01")
    page.fill("#id_end_date", "2024-12-31")  # ends before it starts: refused on the form
    page.fill("#id_other_donors", "European Union")
    page.check("#id_themes_0")
    page.select_option("#id_tlp", "GREEN")
    page.click("#project-form button.primary")
    page.wait_for_selector("#project-form .error")
    page.fill("#id_end_date", "2026-12-31")
    page.click("#project-form button.primary")
    page.wait_for_url("**/monitoring/projects/*/")
    assert "Children of returning fighters" in page.inner_text("h1")

    page.click("#add-result")
    page.wait_for_url("**/results/new/")
    page.select_option("#id_type", "2")
    page.fill("#id_title", "Children reintegrated")
    page.click("#result-form button.primary")
    page.wait_for_url("**/monitoring/projects/*/")

    page.click("a.add-indicator")
    page.wait_for_url("**/indicators/new/")
    assert page.evaluate(LABEL_START, "id_measure")["dir"] == ("rtl" if language == "ar" else "ltr")
    page.fill("#id_title", "Children in school")
    page.select_option("#id_measure", "1")
    page.fill("#id_baseline_year", "2024")
    page.fill("#id_baseline_value", "0")
    page.fill("#id_dimensions", "sex: female, male")
    page.click("#indicator-form button.primary")
    page.wait_for_url("**/monitoring/projects/*/")

    page.click("a.add-period")
    page.wait_for_url("**/periods/new/")
    page.fill("#id_start", "2025-01-01")
    page.fill("#id_end", "2025-06-30")
    page.fill("#id_target_value", "120")
    page.fill("#id_dim_0", "60")
    page.click("#period-form button.primary")
    page.wait_for_url("**/monitoring/projects/*/")
    assert page.locator("table.periods tbody tr").count() == 1
    assert page.locator("a.edit-period").count() == 1
    context.close()
