"""Every list of the API is ``{items, count}`` with core's bounds (issue 13, item 5), read from
the OpenAPI schema so that a new list endpoint is checked without being named here."""

from __future__ import annotations

from typing import Any

from django.test import SimpleTestCase

from ctnet.api import api
from ctnet.core.pagination import MAX_LIMIT, MAX_OFFSET

# Lists that other apps still serve their own way, each with what must change; the test fails
# when one of them is fixed, so that this table only shrinks. Not core's files to edit.
PENDING: dict[str, str] = {}


def _maximum(schema: dict[str, Any]) -> Any:
    """A parameter's maximum, also when it is optional (``anyOf: [integer, null]``)."""
    if "maximum" in schema:
        return schema["maximum"]
    return next((s["maximum"] for s in schema.get("anyOf", []) if "maximum" in s), None)


def _list_problems() -> dict[str, str]:
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    problems = {}
    for path, operations in schema["paths"].items():
        operation: dict[str, Any] | None = operations.get("get")
        if operation is None:
            continue
        params = {p["name"]: p.get("schema", {}) for p in operation.get("parameters", [])}
        ok = operation["responses"].get(200, {})
        body = ok.get("content", {}).get("application/json", {}).get("schema", {})
        if "$ref" in body:
            body = components[body["$ref"].rsplit("/", 1)[-1]]
        if body.get("type") == "array":
            problems[path] = "a bare list"
        elif "since" in params and "offset" not in params:
            # A cursor feed (the hashes feed): bounded cursor and page, no offset.
            if _maximum(params["since"]) is None or _maximum(params.get("limit", {})) is None:
                problems[path] = "a cursor without bounds"
        elif "limit" in params and (
            params["limit"].get("maximum") != MAX_LIMIT
            or params.get("offset", {}).get("maximum") != MAX_OFFSET
        ):
            problems[path] = "limit/offset without core's bounds"
    return problems


class ApiListTests(SimpleTestCase):
    def test_every_list_is_items_and_count_with_core_bounds(self) -> None:
        problems = _list_problems()
        new = {p: why for p, why in problems.items() if p not in PENDING}
        self.assertEqual(new, {}, "use @paginate(ctnet.core.pagination.Pagination)")

    def test_the_pending_table_only_shrinks(self) -> None:
        fixed = sorted(set(PENDING) - set(_list_problems()))
        self.assertEqual(fixed, [], "fixed: remove these from PENDING")
