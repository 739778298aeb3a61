"""Walk the pages a signed-in person can reach from the home page, for tests over every page.

The walk follows same-site links breadth-first and keeps a few pages per URL shape (digits
replaced, query keys sorted), so "every main page" means every kind of page the demo links to
without fetching each of its hundreds of contacts and organisations. Downloads, the API, static
files and sign-out are not pages; only HTML answers are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

from django.test import Client

HREF = re.compile(r'href="([^"#]*)"')
NOT_PAGES = ("/static/", "/api/", "/logout", "/i18n/", "/favicon")
# Links that answer a file, not a page.
FILE_HINTS = ("download", "export", ".csv", ".json", ".pdf", ".stix")


def shape(path: str) -> str:
    """``/exchange/requests/12/?box=in&page=2`` -> ``/exchange/requests/N/?box&page``."""
    parts = urlsplit(path)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


def crawl(
    client: Client, start: str = "/", *, per_shape: int = 2, limit: int = 400
) -> Iterator[tuple[str, str]]:
    """Yield ``(path, html)`` of every page reached (at most ``per_shape`` of each shape)."""
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    todo = [start]
    while todo and len(seen) < limit:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        yield path, html
        for href in HREF.findall(html):
            href = href.replace("&amp;", "&")
            if not href.startswith("/") or href.startswith(NOT_PAGES) or href in seen:
                continue
            if any(hint in href for hint in FILE_HINTS):
                continue
            key = shape(href)
            if shapes.get(key, 0) >= per_shape:
                continue
            shapes[key] = shapes.get(key, 0) + 1
            todo.append(href)
