"""Every main page in a real browser (issue 14, items 5 and 7).

The pages are enumerated from the URL map (``matrix/visits.py``): a new page is covered by being
added. Each is opened in Debian's chromium, served by the test client in this thread
(``testing/inprocess.py``), and must:

- in English and Arabic: show no serious or critical violation found by axe-core (the vendored
  copy in ``testing/assets/axe-core``), log no console error (a style or script the CSP refuses
  is one) and ask for nothing from another origin;
- in all six languages at 360 px wide (a small phone; the issue measured at 390): have no
  horizontal scroll, ``document.documentElement.scrollWidth <= innerWidth``.

Failures are collected over all pages and reported together.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from ctnet.testing.inprocess import ORIGIN, InProcessSite
from ctnet.tests.matrix.people import MatrixTestCase
from ctnet.tests.matrix.visits import Visit, visits

pytestmark = pytest.mark.browser

AXE_VERSION = "4.11.0"
AXE = Path(settings.BASE_DIR) / "testing" / "assets" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# The elements wider than the window, for a readable failure.
WIDEST = """() => {
  const w = window.innerWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 || r.left < -1) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '');
      out.push(name + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
    if (out.length > 4) break;
  }
  return out;
}"""


def test_axe_is_the_pinned_copy() -> None:
    head = AXE.read_text(encoding="utf-8")[:40]
    assert f"axe v{AXE_VERSION}" in head, head


def test_the_checks_can_fail(browser: Any) -> None:
    """On a page made to fail them, the axe and width checks report what they must."""
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(script=AXE.read_text(encoding="utf-8"))
    page = context.new_page()
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
        '<input type="text"><p style="color:#ccc">faint</p>'
        "<pre>" + "x" * 200 + "</pre></main></body></html>"
    )
    tc = EveryPageInTheBrowserTests
    found = " ".join(tc._axe(page, "specimen"))
    assert "critical label" in found, found  # an input without a label
    assert "serious color-contrast" in found, found
    assert tc._too_wide(page, "specimen"), "a 200-character line fits 360 px?"
    context.close()


class EveryPageInTheBrowserTests(MatrixTestCase):
    browser: Any

    @pytest.fixture(autouse=True)
    def _take_browser(self, browser: Any) -> None:
        self.browser = browser

    def setUp(self) -> None:
        super().setUp()
        started = time.monotonic()
        self.visits, left_out = visits(self)
        print(f"enumerated in {time.monotonic() - started:.1f} s")
        print(f"{len(self.visits)} pages; left out: {'; '.join(left_out) or 'none'}")
        assert len(self.visits) >= 30, [v.name for v in self.visits]  # the walk found the site

    def _walk(
        self, language: str, viewport: dict[str, int], *, axe: bool, width: bool
    ) -> list[str]:
        context = self.browser.new_context(viewport=viewport, locale=language)
        if axe:
            # Before the page's own scripts, outside its CSP (which still holds for the page).
            context.add_init_script(script=AXE.read_text(encoding="utf-8"))
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        site = InProcessSite(page, self.anonymous)
        failures: list[str] = []
        started = time.monotonic()
        try:
            for visit in self.visits:
                site.client = self._client(visit, language)
                errors.clear()
                page.goto(ORIGIN + visit.url, wait_until="load")
                where = f"{visit.name} ({visit.url}, {visit.person or 'anonymous'}, {language})"
                if page.locator("html").get_attribute("lang") != language:
                    failures.append(f"{where}: html lang is not {language}")
                if width:
                    failures.extend(self._too_wide(page, where))
                if axe:
                    failures.extend(self._axe(page, where))
                    failures.extend(f"{where}: console: {e}" for e in errors)
            failures.extend(f"another origin asked for: {url}" for url in site.external)
            failures.extend(f"our own request failed: {f}" for f in site.failed)
        finally:
            context.close()
        print(f"{language}: {len(self.visits)} pages in {time.monotonic() - started:.1f} s")
        return failures

    def _client(self, visit: Visit, language: str) -> Any:
        client = self.browsers[visit.person] if visit.person else self.anonymous
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    @staticmethod
    def _too_wide(page: Any, where: str) -> list[str]:
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll <= inner:
            return []
        return [f"{where}: {scroll} px wide in {inner} px: {page.evaluate(WIDEST)}"]

    @staticmethod
    def _axe(page: Any, where: str) -> list[str]:
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        found = []
        for violation in result["violations"]:
            if violation["impact"] in FAILING_IMPACTS:
                targets = [" ".join(map(str, n["target"])) for n in violation["nodes"][:3]]
                found.append(
                    f"{where}: axe {violation['impact']} {violation['id']}: "
                    f"{violation['help']} at {targets}"
                )
        return found

    def test_every_page_in_six_languages(self) -> None:
        """One walk per language over the same objects (made once: making them is the slow
        part), all problems of all languages reported together."""
        failures = self._walk("en", DESKTOP, axe=True, width=False)
        failures += self._walk("ar", PHONE, axe=True, width=True)
        for language in ("ru", "zh-hans", "fr", "es"):
            failures += self._walk(language, PHONE, axe=False, width=True)
        assert not failures, f"{len(failures)} problems:\n  " + "\n  ".join(failures)
