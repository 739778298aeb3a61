"""No page needs another origin (issue 14, item 7): an isolated government network has none.

Every main page (the same enumeration as the browser tests, ``matrix/visits.py``), the
second-factor page and the API docs are fetched; each must name no other origin in a ``src``,
``href``, ``action``, ``srcset``, ``poster`` or ``data`` attribute, in htmx's ``hx-get`` and the
like, or in a CSS ``url()``, and its Content-Security-Policy must allow none. The stylesheets and
scripts they load are read too (a ``url()`` or an ``import`` from a CDN there would break the
page as surely).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from ctnet.tests.matrix.people import MatrixTestCase
from ctnet.tests.matrix.visits import visits

LINKING = {"src", "href", "action", "srcset", "poster", "data", "formaction"}
LINKING |= {"hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete"}  # htmx loads these
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")
ABSOLUTE = re.compile(r"""(?:https?:)?//[\w.-]+""")
# A script's own text may name URLs it never loads (licence headers, docs links in comments,
# the OpenAPI schema's own "$schema"), so scripts are checked for what loads: import and fetch.
SCRIPT_LOAD = re.compile(
    r"""(?:import\s*\(?|fetch\(|importScripts\()\s*['"]((?:https?:)?//[^'"]+)"""
)


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        for name, value in values.items():
            if name in LINKING or name == "style":
                self.refs.append((tag, name, value))
        if tag == "script" and values.get("src"):
            self.assets.append(values["src"])
        if tag == "link" and "stylesheet" in values.get("rel", "") and values.get("href"):
            self.assets.append(values["href"])


def external(value: str, attribute: str) -> list[str]:
    if attribute == "style":
        found = CSS_URL.findall(value)
    elif attribute == "srcset":
        found = [part.strip().split(" ")[0] for part in value.split(",")]
    else:
        found = [value]
    out = []
    for ref in found:
        ref = ref.strip()
        split = urlsplit(ref)
        if split.netloc and split.netloc not in ("testserver", "localhost"):
            out.append(ref)
    return out


def csp_others(policy: str) -> list[str]:
    """Sources in a Content-Security-Policy other than our own ('self', 'none', data:)."""
    found = []
    for directive in policy.split(";"):
        for source in directive.split()[1:]:
            if ABSOLUTE.match(source) or source in ("*", "https:", "http:") or "." in source:
                found.append(f"{directive.split()[0]} {source}")
    return found


class NoOtherOriginTests(MatrixTestCase):
    def _check_page(self, client: Any, url: str, assets: set[str]) -> list[str]:
        response = client.get(url)
        problems = [
            f"{url}: CSP allows {s}"
            for s in csp_others(response.get("Content-Security-Policy", ""))
        ]
        if "Content-Security-Policy" not in response:
            problems.append(f"{url}: no Content-Security-Policy")
        parser = _Refs()
        parser.feed(response.content.decode())
        for tag, attribute, value in parser.refs:
            problems.extend(
                f"{url}: <{tag} {attribute}> {ref}" for ref in external(value, attribute)
            )
        assets.update(parser.assets)
        return problems

    def _check_asset(self, path: str) -> list[str]:
        from django.conf import settings
        from django.contrib.staticfiles import finders

        name = path.removeprefix(settings.STATIC_URL)
        found = finders.find(name)
        if not found:
            return [f"{path}: a page loads it and it is not a static file"]
        with open(found, encoding="utf-8") as handle:
            text = handle.read()
        refs = CSS_URL.findall(text) if path.endswith(".css") else SCRIPT_LOAD.findall(text)
        return [f"{path}: loads {ref}" for ref in refs if urlsplit(ref).netloc]

    def test_no_page_names_another_origin(self) -> None:
        found, _left_out = visits(self)
        self.assertGreaterEqual(len(found), 30)
        assets: set[str] = set()
        problems: list[str] = []
        for visit in found:
            client = self.browsers[visit.person] if visit.person else self.anonymous
            problems += self._check_page(client, visit.url, assets)
        # Pages outside the walk: half-way through signing in, and the API's docs.
        problems += self._check_page(self.anonymous, "/api/v1/docs", assets)
        signing_in = type(self.anonymous)()
        signing_in.post("/login/", {"username": "alice", "password": _password()})
        problems += self._check_page(signing_in, "/login/otp/", assets)
        self.assertIn("/static/ninja/swagger-ui-bundle.js", assets)  # the docs load it from us
        for path in sorted(assets):
            problems += self._check_asset(path)
        print(f"{len(found) + 2} pages, {len(assets)} scripts and stylesheets")
        self.assertEqual(problems, [])

    def test_the_check_sees_another_origin(self) -> None:
        """The checks themselves: each way of naming a CDN is caught."""
        self.assertEqual(
            external("https://cdn.example.org/x.js", "src"), ["https://cdn.example.org/x.js"]
        )
        self.assertEqual(external("//cdn.example.org/x.css", "href"), ["//cdn.example.org/x.css"])
        self.assertEqual(external("/static/x.css", "href"), [])
        self.assertEqual(
            external("background: url('https://cdn.example.org/a.png')", "style"),
            ["https://cdn.example.org/a.png"],
        )
        self.assertEqual(
            external("/a.png 1x, https://cdn.example.org/b.png 2x", "srcset"),
            ["https://cdn.example.org/b.png"],
        )
        self.assertEqual(
            csp_others("default-src 'self'; script-src 'self' https://cdn.jsdelivr.net"),
            ["script-src https://cdn.jsdelivr.net"],
        )
        self.assertEqual(csp_others("default-src 'self'; img-src 'self' data:"), [])


def _password() -> str:
    from ctnet.testing.base import PASSWORD

    return PASSWORD
