"""The authorisation matrix (issue 13, item 10): a test, not a claim.

Generated from the OpenAPI schema and Django's URL map, in layers:

1. every operation and page is enumerated; the public pages are an explicit list that must be
   exactly the pages an anonymous visitor can open;
2. anonymous: every API operation is a JSON 401, every member page a redirect to sign in;
3. a missing id is a 404 (JSON on the API) or a role's 403 for every fixed person, never a 500;
4. a method a page or path does not take is a 405;
5. the explicit table (``matrix/table.py``): for every operation and page with an object id, an
   object of one organisation is made and every fixed person asks for it: the actor succeeds, a
   person who may see but not act gets 403, everyone else gets exactly what the missing id gets
   (status and body), and the named outsider a 404. An operation or page without an entry fails.

The failures of a layer are collected and reported together, with the layer's counts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.urls import reverse

from ctnet.tests.matrix.people import PEOPLE, MatrixTestCase
from ctnet.tests.matrix.routes import MISSING_ID, Operation, Page, operations, pages
from ctnet.tests.matrix.table import API_TABLE, PAGE_TABLE, Entry, Made

# Pages an anonymous visitor may open, each for a reason. Every other page sends them to sign in;
# the test fails if this list and the pages that do not are not the same set.
PUBLIC_PAGES = {
    "healthz": "the load balancer's probe, no data",
    "set_language": "Django's language switch, before signing in",
    "login": "the sign-in page",
    "logout": "signing out needs no session",
    "accept-invitation": "an invitation is opened by someone who has no account yet",
    "directory-receipt": "a contact point confirms a communication test from an e-mailed link",
    "consultations-receipt": "a sender at risk comes back to their input with a receipt code, "
    "without an account",
    "consultation-public": "a consultation open to the public, read through its link's token by "
    "people without an account (404 for a wrong or revoked token)",
    "consultation-public-submit": "the public link's submit target: the token in the form, "
    "rate-limited per address",
}

API_STATUSES_OK = {200, 201, 204}
PAGE_STATUSES_OK = {200, 201, 204, 301, 302, 303}


def _detail(response: Any) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def _is_json(response: Any) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _report(layer: str, counts: dict[str, int], failures: list[str]) -> str:
    head = f"{layer}: " + ", ".join(f"{v} {k}" for k, v in counts.items())
    print(head)  # the counts the docs quote (pytest -rP shows them)
    if not failures:
        return head
    return f"{head}; {len(failures)} failing:\n  " + "\n  ".join(failures)


class RouteEnumerationTests(MatrixTestCase):
    """Layer 1 and 2: what exists, and what an anonymous caller gets."""

    def test_layer1_routes_are_enumerated(self) -> None:
        ops, all_pages = operations(), pages()
        names = [p.name for p in all_pages]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        counts = {"operations": len(ops), "pages": len(all_pages), "persons": len(PEOPLE)}
        assert ops and all_pages and not duplicates, _report("layer 1", counts, duplicates)
        unknown = sorted(set(PUBLIC_PAGES) - set(names))
        assert not unknown, f"PUBLIC_PAGES names pages that do not exist: {unknown}"

    def test_layer2_anonymous_api_is_401(self) -> None:
        failures = []
        for op in operations():
            files = {"file": ("x.bin", b"x")} if op.body == "multipart" else None
            response = self.call_api(None, op.method, op.url(default=1), files=files)
            detail = _detail(response)
            if (
                response.status_code != 401
                or not _is_json(response)
                or not isinstance(detail, dict)
            ):
                failures.append(
                    f"{op.key}: expected 401 JSON, got {response.status_code} "
                    f"{response.content[:80]!r}"
                )
        counts = {"operations": len(operations()), "cases": len(operations())}
        assert not failures, _report("layer 2 (API anonymous)", counts, failures)
        _report("layer 2 (API anonymous)", counts, failures)

    def test_layer2_anonymous_pages_redirect_to_sign_in(self) -> None:
        login = reverse("login")
        failures, public = [], set()
        for page in pages():
            method = "GET" if page.methods is None or "GET" in page.methods else "POST"
            url = page.url(default=1)
            response = self.call_page(None, method, url)
            location = response.get("Location", "")
            if response.status_code >= 500:
                failures.append(f"{page.key} {method} {url}: {response.status_code}")
            signs_in = response.status_code == 302 and location.startswith(f"{login}?next=")
            if not signs_in:
                public.add(page.key)
            elif page.key in PUBLIC_PAGES:
                failures.append(f"{page.key}: listed public but redirects to sign in")
            elif f"next={url}" not in location.replace("%2F", "/"):
                failures.append(f"{page.key}: redirect {location} does not come back to {url}")
        unexpected = sorted(public - set(PUBLIC_PAGES))
        failures += [
            f"{name}: opens without signing in, not in PUBLIC_PAGES" for name in unexpected
        ]
        counts = {"pages": len(pages()), "public": len(PUBLIC_PAGES), "cases": len(pages())}
        assert not failures, _report("layer 2 (pages anonymous)", counts, failures)
        _report("layer 2 (pages anonymous)", counts, failures)


class MissingIdAndMethodTests(MatrixTestCase):
    """Layer 3 and 4: a missing id for everyone; a method a route does not take."""

    def test_layer3_missing_ids_api(self) -> None:
        failures, cases, unchecked = [], 0, []
        with_ids = [op for op in operations() if op.params]
        for op in with_ids:
            entry = API_TABLE.get(op.key)
            if entry is None and (op.body or op.required_query):
                # Nothing valid to send: the completeness test (layer 5) names the operation.
                unchecked.append(op.key)
                continue
            body, files = (entry.body_for(None), entry.files) if entry else ({}, None)
            query = entry.query_for(None) if entry else None
            for person in PEOPLE:
                cases += 1
                response = self.call_api(person, op.method, op.url(), body, files, query)
                failures += _missing_failures(op.key, person, response, api=True, entry=entry)
        counts = {
            "operations with an id": len(with_ids),
            "without an entry, left to layer 5": len(unchecked),
            "persons": len(PEOPLE),
            "cases": cases,
        }
        assert not failures, _report("layer 3 (API missing ids)", counts, failures)
        _report("layer 3 (API missing ids)", counts, failures)

    def test_layer3_missing_ids_pages(self) -> None:
        failures, cases = [], 0
        with_ids = [p for p in pages() if p.has_object and p.key not in PUBLIC_PAGES]
        for page in with_ids:
            entry = PAGE_TABLE.get(page.key)
            method = (entry.method if entry else None) or _first_method(page)
            data = entry.body_for(None) if entry else {}
            for person in PEOPLE:
                cases += 1
                response = self.call_page(person, method, page.url(), data)
                failures += _missing_failures(page.key, person, response, api=False, entry=entry)
        counts = {"pages with an id": len(with_ids), "persons": len(PEOPLE), "cases": cases}
        assert not failures, _report("layer 3 (pages missing ids)", counts, failures)
        _report("layer 3 (pages missing ids)", counts, failures)

    def test_layer4_wrong_method_pages(self) -> None:
        failures, cases = [], 0
        restricted = [p for p in pages() if p.methods is not None]
        for page in restricted:
            assert page.methods is not None
            for method in sorted({"GET", "POST", "PUT"} - page.methods):
                answers = {}
                # Signed in, so a redirect to sign in cannot hide the method check. A role's
                # 403 may come first (refused whatever the method): then the next person is
                # asked, until one gets past the role to the method check.
                for person in PEOPLE:
                    cases += 1
                    answers[person] = self.call_page(person, method, page.url(default=1))
                    if answers[person].status_code != 403:
                        break
                if any(
                    r.status_code != 405 for r in answers.values() if r.status_code != 403
                ) or all(r.status_code == 403 for r in answers.values()):
                    got = ", ".join(f"{p} {r.status_code}" for p, r in answers.items())
                    failures.append(
                        f"{page.key} {method}: expected 405 (or a role's 403), got {got}"
                    )
        counts = {
            "pages with declared methods": len(restricted),
            "persons": len(PEOPLE),
            "cases": cases,
        }
        unrestricted = sorted(p.key for p in pages() if p.methods is None)
        assert not failures, _report("layer 4 (pages wrong method)", counts, failures)
        _report(f"layer 4 (pages wrong method; no declared methods: {unrestricted})", counts, [])

    def test_layer4_wrong_method_api(self) -> None:
        failures, cases = [], 0
        by_path: dict[str, set[str]] = {}
        for op in operations():
            by_path.setdefault(op.path, set()).add(op.method)
        for path, methods in sorted(by_path.items()):
            for method in sorted({"GET", "POST", "PUT", "PATCH", "DELETE"} - methods):
                cases += 1
                url = path.replace("{", "").replace("}", "")
                url = Operation(method, path, "", (), None, ()).url(default=1)
                response = self.call_api("alice", method, url)
                if response.status_code != 405:
                    failures.append(f"{method} {path}: expected 405, got {response.status_code}")
        counts = {"paths": len(by_path), "cases": cases}
        assert not failures, _report("layer 4 (API wrong method)", counts, failures)
        _report("layer 4 (API wrong method)", counts, failures)


def _first_method(page: Page) -> str:
    return "GET" if page.methods is None or "GET" in page.methods else sorted(page.methods)[0]


def _missing_failures(
    key: str, person: str, response: Any, *, api: bool, entry: Entry | None
) -> list[str]:
    status = response.status_code
    got = f"got {status} {response.content[:100]!r}"
    if status not in (403, 404):
        return [f"{key} as {person} (missing id): expected 404 or a role's 403, {got}"]
    if api and not (_is_json(response) and isinstance(_detail(response), dict)):
        return [f"{key} as {person} (missing id): not a JSON error, {got}"]
    if entry is not None and person == entry.actor and status != 404:
        return [f"{key} as {person}, who may act (missing id): expected 404, {got}"]
    return []


# --- Layer 5: the explicit table ---------------------------------------------------------------


class TableCompletenessTests(MatrixTestCase):
    def test_layer5_every_route_with_an_id_has_an_entry(self) -> None:
        api_keys = {op.key for op in operations() if op.params}
        page_keys = {p.key for p in pages() if p.has_object and p.key not in PUBLIC_PAGES}
        missing = sorted(api_keys - set(API_TABLE)) + sorted(page_keys - set(PAGE_TABLE))
        stale = sorted(set(API_TABLE) - api_keys) + sorted(set(PAGE_TABLE) - page_keys)
        counts = {
            "operations with an id": len(api_keys),
            "pages with an id": len(page_keys),
            "entries": len(API_TABLE) + len(PAGE_TABLE),
        }
        failures = [f"no entry in matrix/table.py: {k}" for k in missing]
        failures += [f"entry for a route that no longer exists: {k}" for k in stale]
        assert not failures, _report("layer 5 (table)", counts, failures)
        _report("layer 5 (table)", counts, failures)


class ObjectMatrixTests(MatrixTestCase):
    """One test per entry (generated below), so each runs in its own transaction."""

    def check_entry(self, kind: str, key: str) -> None:
        entry = (API_TABLE if kind == "api" else PAGE_TABLE)[key]
        route: Operation | Page = (
            next(op for op in operations() if op.key == key)
            if kind == "api"
            else next(p for p in pages() if p.key == key)
        )
        method = (
            route.method if isinstance(route, Operation) else entry.method or _first_method(route)
        )
        call: Callable[[str, str, Made | None], Any]
        if kind == "api":

            def call(person: str, url: str, made: Made | None) -> Any:
                body, query = entry.body_for(made), entry.query_for(made)
                return self.call_api(person, method, url, body, entry.files, query)
        else:

            def call(person: str, url: str, made: Made | None) -> Any:
                return self.call_page(person, method, url, entry.body_for(made))

        made: Made = entry.make(self)
        ok = API_STATUSES_OK if kind == "api" else PAGE_STATUSES_OK
        failures: list[str] = []
        hidden = [p for p in PEOPLE if p not in entry.sees]
        for person in hidden:
            missing = call(person, route.url(), None)
            response = call(person, route.url(made.ids), made)
            same = response.status_code == missing.status_code and (
                kind != "api" or _detail(response) == _detail(missing)
            )
            if not same:
                failures.append(
                    f"{key} as {person} (another organisation's object): expected what a missing "
                    f"id gets ({missing.status_code} {missing.content[:80]!r}), got "
                    f"{response.status_code} {response.content[:100]!r}"
                )
            elif person == entry.outsider and response.status_code != 404:
                failures.append(
                    f"{key} as {person} (outsider): expected 404, got {response.status_code}"
                )
        expectations: list[tuple[str, str, frozenset[int] | set[int]]] = [
            *((p, "may see, may not act", {403}) for p in entry.forbidden),
            *((p, "may read", ok) for p in entry.readers),
            (entry.actor, "own object", entry.expect or ok),
            # After the actor: a second write shows only that the person passed the checks.
            *((p, "sees it", codes) for p, codes in entry.also.items()),
        ]
        for person, role, codes in expectations:
            response = call(person, route.url(made.ids), made)
            if response.status_code not in codes:
                failures.append(
                    f"{key} as {person} ({role}): expected {sorted(codes)}, got "
                    f"{response.status_code} {response.content[:160]!r}"
                )
        cases = len(hidden) * 2 + len(expectations)
        assert not failures, _report(f"layer 5 {key}", {"cases": cases}, failures)


def _add_entry_tests() -> None:
    import re

    for kind, table in (("api", API_TABLE), ("page", PAGE_TABLE)):
        for key in table:
            slug = re.sub(r"\W+", "_", key).strip("_").lower()

            def test(self: ObjectMatrixTests, kind: str = kind, key: str = key) -> None:
                self.check_entry(kind, key)

            test.__name__ = f"test_layer5_{kind}_{slug}"
            test.__doc__ = f"Layer 5: {key}"
            setattr(ObjectMatrixTests, test.__name__, test)


_add_entry_tests()
_ = MISSING_ID
