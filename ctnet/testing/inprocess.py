"""A browser page served by Django's test client, in the test's own thread and transaction.

The browser tests that go over every page read objects a ``TestCase`` made (the authorisation
matrix's makers, ``setUpTestData``), which a live server in another thread would not see on
PostgreSQL. Playwright hands each request the browser makes to ``_answer``, which asks the test
client of the person the page is for and gives the browser the response as it is: status,
headers (the Content-Security-Policy included, which the browser enforces) and body. Requests to
any other origin are refused and recorded, so a page that would need the network is caught.

Playwright calls the handler on the test's thread, in a greenlet of its own; Django keeps its
connections per context, so the handler is given the test's connection (the test waits in
``page.goto`` meanwhile: one user of it at a time).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.db import DEFAULT_DB_ALIAS, connections

# localhost: the one plain-http origin browsers trust as secure, so that headers meant for HTTPS
# (Cross-Origin-Opener-Policy) are applied, not ignored with a console error.
HOST = "localhost"
ORIGIN = f"http://{HOST}"
# Request headers the pages read (htmx's own, the language, the CSRF token of htmx calls).
FORWARDED = (
    *("accept", "accept-language", "x-csrftoken"),
    *("hx-request", "hx-target", "hx-trigger", "hx-current-url"),
)


class InProcessSite:
    def __init__(self, page: Any, client: Any) -> None:
        self.client = client
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.external: list[str] = []  # requests to another origin, refused
        self.failed: list[str] = []  # our own requests that did not answer 2xx/3xx
        page.route("**/*", self._answer)

    def _answer(self, route: Any, request: Any) -> None:
        url = urlsplit(request.url)
        if f"{url.scheme}://{url.netloc}" != ORIGIN:
            if url.scheme in ("http", "https", "ws", "wss"):
                self.external.append(request.url)
            route.abort()
            return
        path = url.path + (f"?{url.query}" if url.query else "")
        # Playwright calls this in a greenlet of its own, whose context has no database
        # connection: it takes the test's, which waits in ``page.goto`` meanwhile.
        connections[DEFAULT_DB_ALIAS] = self.connection
        headers = {k: v for k, v in request.headers.items() if k.lower() in FORWARDED}
        response = self.client.generic(
            request.method,
            path,
            data=request.post_data_buffer or b"",
            content_type=request.headers.get("content-type", "application/octet-stream"),
            headers=headers,
            SERVER_NAME=HOST,
        )
        body = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        )
        if response.status_code >= 400:
            self.failed.append(f"{request.method} {path}: {response.status_code}")
        route.fulfill(
            status=response.status_code,
            headers={k: v for k, v in response.items() if k.lower() != "content-length"},
            body=body,
        )
