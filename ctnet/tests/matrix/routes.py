"""Every API operation and every page, read from the OpenAPI schema and the URL resolver.

Nothing here is a list someone keeps: a new endpoint or page appears in these enumerations by
itself, and the matrix then fails until it has an entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

API_PREFIX = "/api/v1"
# An id that no test object reaches (ids start at 1 in every fresh test database).
MISSING_ID = 987654321

_API_PARAM = re.compile(r"\{(\w+)\}")
_PAGE_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass(frozen=True)
class Operation:
    """One API operation: ``method`` and the schema's ``path`` (``/api/v1/...{id}``)."""

    method: str
    path: str
    operation_id: str
    params: tuple[str, ...]
    body: str | None  # "json", "multipart" or None
    required_query: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.method} {self.path.removeprefix(API_PREFIX)}"

    def url(self, values: dict[str, Any] | None = None, default: Any = MISSING_ID) -> str:
        values = values or {}
        return _API_PARAM.sub(lambda m: str(values.get(m.group(1), default)), self.path)


@dataclass(frozen=True)
class Page:
    """One page of the URL map: its route (``exchange/requests/<int:request_id>/``) and view."""

    route: str
    name: str
    view: Any
    params: tuple[str, ...]
    str_params: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.name

    def url(self, values: dict[str, Any] | None = None, default: Any = MISSING_ID) -> str:
        values = values or {}

        def fill(m: re.Match[str]) -> str:
            name = m.group(2)
            if name in values:
                return str(values[name])
            return "not-a-secret" if name in self.str_params else str(default)

        return "/" + _PAGE_PARAM.sub(fill, self.route)

    @property
    def methods(self) -> frozenset[str] | None:
        """The methods ``require_http_methods`` allows, or None if the view takes any."""
        return allowed_methods(self.view)

    @property
    def has_object(self) -> bool:
        return bool(self.params)


@cache
def operations() -> tuple[Operation, ...]:
    from ctnet.api import api

    schema = api.get_openapi_schema()
    found = []
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            content = (op.get("requestBody") or {}).get("content", {})
            body = (
                "multipart"
                if "multipart/form-data" in content
                else "json"
                if "application/json" in content
                else None
            )
            query = tuple(
                p["name"]
                for p in op.get("parameters", [])
                if p["in"] == "query" and p.get("required")
            )
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    operation_id=op["operationId"],
                    params=tuple(_API_PARAM.findall(path)),
                    body=body,
                    required_query=query,
                )
            )
    return tuple(found)


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


@cache
def pages() -> tuple[Page, ...]:
    found = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(API_PREFIX.lstrip("/") + "/"):
            continue  # the API is enumerated from its schema
        if route.startswith("static/") or route.startswith("media/"):
            continue
        names = _PAGE_PARAM.findall(route)
        found.append(
            Page(
                route=route,
                name=pattern.name or route,
                view=pattern.callback,
                params=tuple(n for _conv, n in names),
                str_params=tuple(n for conv, n in names if conv in ("", "str", "slug")),
            )
        )
    return tuple(found)


def allowed_methods(view: Any) -> frozenset[str] | None:
    """Read ``require_POST``/``require_GET``/``require_http_methods`` off a view's wrappers.

    Django's decorator keeps its list in the closure of the function it returns; ``functools.wraps``
    chains the wrappers through ``__wrapped__``. The innermost restriction wins (they all apply,
    so the allowed set is their intersection).
    """
    allowed: frozenset[str] | None = None
    fn = view
    seen = 0
    while fn is not None and seen < 20:
        seen += 1
        code = getattr(fn, "__code__", None)
        if code is not None and fn.__closure__ and "request_method_list" in code.co_freevars:
            cell = fn.__closure__[code.co_freevars.index("request_method_list")]
            methods = frozenset(m.upper() for m in cell.cell_contents)
            allowed = methods if allowed is None else allowed & methods
        fn = getattr(fn, "__wrapped__", None)
    return allowed
