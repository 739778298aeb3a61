"""Browser test: a platform member uploads an image and sees the shared signal it matches."""

from __future__ import annotations

import pytest

from ctnet.core.markings import TLP
from ctnet.core.models import OrgKind, Role
from ctnet.hashes import matching, services
from ctnet.hashes.models import ContentCategory
from ctnet.hashes.tests.helpers import pdq_of, recompressed
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
    matching.reset_index_cache()
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
