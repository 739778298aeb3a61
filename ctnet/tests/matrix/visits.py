"""Every page a person reads, with a person who may read it: the main pages of the browser,
accessibility and offline tests.

Read from the URL map (``routes.pages()``), never kept by hand: a page that answers GET with HTML
is a main page. One without an id is opened by the first fixed person it answers 200 for (an
anonymous visitor for the public ones); one with an id gets its object from the authorisation
matrix's maker and is opened by that entry's actor (``table.PAGE_TABLE``, which already must name
every page with an id), except a public one with an id (a consultation's public link), which its
maker in ``PUBLIC_VISITS`` makes and an anonymous visitor opens. A page that answers a file
(CSV, vCard, an attachment) is not a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ctnet.tests.matrix.consultations import PUBLIC_VISITS
from ctnet.tests.matrix.people import PEOPLE
from ctnet.tests.matrix.routes import Page, pages
from ctnet.tests.matrix.table import PAGE_TABLE

if TYPE_CHECKING:
    from ctnet.tests.matrix.people import MatrixTestCase

# Pages that are not read: a probe, the language switch (a POST target), the second-factor page
# (shown only half-way through signing in; the keyboard test goes through it) and the page a
# contact point opens from a mailed link (its secret is made only by the test that sends one).
NOT_READ = {"healthz", "set_language", "logout", "login-otp", "directory-receipt"}


@dataclass(frozen=True)
class Visit:
    name: str  # the URL name
    url: str
    person: str | None  # None: anonymous


def readable_pages() -> list[Page]:
    found = []
    for page in pages():
        methods = page.methods
        if page.key in NOT_READ or (methods is not None and "GET" not in methods):
            continue
        found.append(page)
    return found


def _is_html(response: Any) -> bool:
    content_type = response.get("Content-Type", "")
    streaming = getattr(response, "streaming", False)
    return not streaming and content_type.startswith("text/html")


def visits(tc: MatrixTestCase) -> tuple[list[Visit], list[str]]:
    """The visits, and the pages left out with the reason (the tests print them)."""
    found: list[Visit] = []
    left_out: list[str] = []
    for page in readable_pages():
        candidates: tuple[str | None, ...]
        if page.key in PUBLIC_VISITS:
            candidates = (None,)
            url = PUBLIC_VISITS[page.key](tc)
        elif page.has_object:
            entry = PAGE_TABLE.get(page.key)
            if entry is None or entry.method not in (None, "GET"):
                left_out.append(f"{page.key}: no GET entry in the matrix table")
                continue
            made = entry.make(tc)
            candidates = (entry.actor, *entry.readers)
            url = page.url(made.ids)
            query = entry.query_for(made)
            if query:
                from django.utils.http import urlencode

                url = f"{url}?{urlencode(query)}"
        else:
            candidates = (None, *PEOPLE)
            url = page.url()
        for person in candidates:
            response = tc.call_page(person, "GET", url)
            if response.status_code == 200:
                if _is_html(response):
                    found.append(Visit(page.key, url, person))
                else:
                    left_out.append(f"{page.key}: a file ({response.get('Content-Type')})")
                break
        else:
            left_out.append(f"{page.key}: no fixed person gets 200")
    return found, left_out
