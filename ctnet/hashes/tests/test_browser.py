"""Browser tests: a platform member uploads an image and sees the shared signal it matches; a
coordinator creates a bank and contributes an image to it through the pages."""

from __future__ import annotations

import pytest

from ctnet.core.markings import TLP
from ctnet.core.models import OrgKind, Role
from ctnet.hashes import indexing, services
from ctnet.hashes.models import ContentCategory, Signal
from ctnet.hashes.tests.helpers import image_bytes, pdq_of, recompressed
from ctnet.testing.base import PASSWORD, current_code, make_org, make_person

pytestmark = pytest.mark.browser


def test_platform_member_matches_an_upload(
    browser,
    live_server,
    transactional_db,
    tmp_path,
) -> None:
    state = make_org("FRA")
    tech = make_org("TECH-X", OrgKind.TECH_COMPANY)
    alice = make_person("alice", state, Role.NATIONAL_COORDINATOR)
    pat = make_person("pat", tech, Role.PLATFORM_MEMBER)
    bank = services.create_bank(
        acting_user=alice,
        name="Known content",
        tlp=TLP.GREEN,
        recipients=[tech],
        requires_confirmation=False,
    )
    services.contribute_signal(
        acting_user=alice,
        bank=bank,
        signal_type="pdq",
        value=pdq_of(20),
        category=ContentCategory.PROPAGANDA,
        entity="QDe.004",
        legal_basis="UNSCR 2396",
    )
    indexing.reset_index_cache()
    image = tmp_path / "copy.jpg"
    image.write_bytes(recompressed(20))

    page = browser.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "pat")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/login/otp/**")
    page.fill("#id_code", current_code(pat))
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/hashes/")
    page.set_input_files("input[type=file]", str(image))
    page.click("#match-form button.primary")
    page.wait_for_selector("#match-result")
    result = page.locator("#match-result").inner_text()
    assert "1 possible match" in result
    assert "QDe.004" in result
    page.close()


def test_coordinator_creates_a_bank_and_contributes_an_image(
    browser,
    live_server,
    transactional_db,
    tmp_path,
) -> None:
    state = make_org("FRA")
    make_org("TECH-X", OrgKind.TECH_COMPANY)
    alice = make_person("alice", state, Role.NATIONAL_COORDINATOR)
    image = tmp_path / "propaganda.jpg"
    image.write_bytes(image_bytes(30))

    page = browser.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/login/otp/**")
    page.fill("#id_code", current_code(alice))
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/hashes/")
    page.click(".subnav >> text=Banks")
    page.fill("#id_name", "FRA propaganda")
    page.select_option("#id_tlp", "GREEN")
    # The platform through the organisation picker, by keyboard.
    page.locator("#id_recipients-search").focus()
    page.keyboard.type("tech-x")
    page.locator("#id_recipients-listbox [data-value='TECH-X']").wait_for()
    page.keyboard.press("Enter")
    page.fill("#bank-form #id_legal_basis", "Loi 2015-912")
    page.click("#bank-form button.primary")
    page.wait_for_selector("#contribute-form")
    assert "TECH-X" in page.locator(".facts").inner_text()

    page.set_input_files("#id_file", str(image))
    page.fill("#id_entity", "QDe.004")
    page.fill("#contribute-form #id_legal_basis", "UNSCR 2396")
    page.click("#contribute-form button.primary")
    page.wait_for_selector(".messages")
    assert "PDQ hash contributed." in page.locator(".messages").inner_text()
    facts = page.locator(".facts").inner_text()
    assert pdq_of(30) in facts
    assert "Pending confirmation" in facts
    signal = Signal.objects.get()
    assert (signal.bank.name, signal.value, signal.entity) == (
        "FRA propaganda",
        pdq_of(30),
        "QDe.004",
    )
    page.close()
