"""Oversight sees who, when, what kind and which id, never content (issue 13, item 2).

The issue's "Done when": an oversight account's every API response contains no content string
of the demo. The demo is loaded; its content strings are read from the models (practice titles,
request and bulletin subjects, titles and bodies, bank names, hash values, watchlist and entry
names, people named in exchange records, contact holders' names, e-mails and phones, office
names); then the oversight demo user calls every GET operation of the OpenAPI schema, those with
an id once per demo object, and no answer may carry any of those strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.test import TestCase

from ctnet.api import api
from ctnet.core import services
from ctnet.core.models import User
from ctnet.demo import load_demo

# Shorter strings are words any answer may hold ("Travel", "ISIL"): not evidence of a leak.
MIN_LENGTH = 8
# How much of a long text (a body) is searched: an excerpt leaks as much as the whole.
EXCERPT = 40

# Path parameter -> the model whose demo rows fill it.
PATH_MODELS = {
    "org_id": "core.Organisation",
    "contact_id": "directory.ContactPoint",
    "test_id": "directory.CommunicationTest",
    "request_id": "exchange.Request",
    "record_id": "exchange.PersonRecord",
    "bulletin_id": "exchange.Bulletin",
    "bank_id": "hashes.Bank",
    "signal_id": "hashes.Signal",
    "practice_id": "practices.Practice",
    "watchlist_id": "screening.Watchlist",
    "entry_id": "screening.Entry",
    "run_id": "screening.ScreeningRun",
    "hit_id": "screening.Hit",
    "notice_id": "screening.HitNotice",
    "plan_id": "coordination.ActionPlan",
    "commitment_id": "coordination.Commitment",
    "need_id": "coordination.AssistanceNeed",
    "group_id": "coordination.WorkingGroup",
    "project_id": "monitoring.Project",
    "update_id": "monitoring.PeriodUpdate",
    "document_id": "monitoring.ProjectDocument",
    "evidence_id": "monitoring.Evidence",
    "consultation_id": "consultations.Consultation",
}
# Path parameters that are codes, not ids: the values asked.
PATH_CODES = {"code": ("UNSCR-2396", "UNSCR-2178", "GCTS-II")}
# An attachment is reached through its parent: (parent parameter, attachment model, its FK).
ATTACHMENTS = {
    "request_id": ("exchange.Attachment", "request_id"),
    "practice_id": ("practices.Attachment", "practice_id"),
}
# Ids per path parameter are capped: enough to cover the demo's kinds, not its thousands of rows.
IDS_PER_PARAMETER = 40


def _values(label: str, *fields: str) -> Iterable[str]:
    model = apps.get_model(label)
    for row in model.objects.values_list(*fields):
        yield from (str(v) for v in row if v)


def content_strings() -> set[str]:
    found: set[str] = set()
    found.update(_values("practices.Practice", "title", "summary"))
    found.update(_values("exchange.Request", "subject", "body"))
    found.update(_values("exchange.Bulletin", "title", "body"))
    found.update(_values("exchange.Reply", "body"))
    found.update(_values("exchange.PersonRecord", "family_name"))
    found.update(_values("hashes.Bank", "name"))
    found.update(_values("hashes.Signal", "value"))
    found.update(_values("screening.Watchlist", "name"))
    found.update(_values("screening.Entry", "primary_name"))
    found.update(_values("coordination.ActionPlan", "title", "summary"))
    found.update(_values("coordination.Commitment", "title", "self_note"))
    found.update(_values("coordination.AssistanceNeed", "title", "existing"))
    found.update(_values("monitoring.Project", "title", "description"))
    found.update(_values("monitoring.PeriodUpdate", "narrative", "return_comment"))
    found.update(_values("consultations.Consultation", "title", "subject"))
    found.update(_values("consultations.Answer", "text"))
    found.update(_values("consultations.Theme", "title", "reason"))
    for person in apps.get_model("exchange.PersonRecord").objects.all():
        if person.given_names:
            found.add(f"{person.given_names} {person.family_name}")
    for contact in apps.get_model("directory.ContactPoint").objects.all():
        found.add(contact.office)
        found.update(filter(None, (contact.email, contact.phone)))
        for holder in contact.holders:
            found.update(str(holder.get(k, "")) for k in ("name", "email", "phone"))
    excerpts = {s.strip()[:EXCERPT].strip() for s in found}
    return {s for s in excerpts if len(s) >= MIN_LENGTH}


def get_paths() -> list[str]:
    schema = api.get_openapi_schema()
    return [path for path, ops in schema["paths"].items() if "get" in ops]


def _ids(label: str) -> list[int]:
    model = apps.get_model(label)
    return list(model.objects.order_by("pk").values_list("pk", flat=True)[:IDS_PER_PARAMETER])


def _with_queries(path: str) -> list[str]:
    """A list that needs a question is asked one; the audit log is read to its end."""
    if path.endswith("/directory/route"):
        topics = apps.get_model("directory.ContactPoint").objects.values_list("topics", flat=True)
        topic = next((t.strip(",").split(",")[0] for t in topics if t.strip(",")), "border")
        return [f"{path}?country={c}&topic={topic}" for c in ("FRA", "KEN", "JOR")]
    if path.endswith("/practices/search"):
        return [path] + [f"{path}?q={q}" for q in ("border", "radicalisation", "prison")]
    if path.endswith("/exchange/people"):
        names = apps.get_model("exchange.PersonRecord").objects.values_list(
            "family_name", flat=True
        )
        return [f"{path}?name={name}" for name in sorted(set(names))[:10]]
    if path.endswith("/audit"):
        rows = apps.get_model("core.AuditEvent").objects.count() + 500
        return [f"{path}?limit=200&offset={n}" for n in range(0, rows, 200)]
    return [path]


def concrete_urls(path: str) -> list[str]:
    params = re.findall(r"{(\w+)}", path)
    if not params:
        return _with_queries(path)
    if len(params) == 2 and params[1] == "attachment_id":
        label, parent_field = ATTACHMENTS[params[0]]
        rows = apps.get_model(label).objects.values_list(parent_field, "pk")[:IDS_PER_PARAMETER]
        return [
            path.replace(f"{{{params[0]}}}", str(parent)).replace("{attachment_id}", str(pk))
            for parent, pk in rows
        ]
    (param,) = params
    if param in PATH_CODES:
        return [path.replace(f"{{{param}}}", code) for code in PATH_CODES[param]]
    return [path.replace(f"{{{param}}}", str(pk)) for pk in _ids(PATH_MODELS[param])]


class OversightSeesNoContentTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo()
        cls.oversight = User.objects.get(username="oversight")

    def test_every_get_of_the_api_holds_no_content_of_the_demo(self) -> None:
        strings = content_strings()
        self.assertGreater(len(strings), 20)  # the demo was read
        token = services.create_api_token(
            acting_user=self.oversight, name="oversight test", expires_days=1
        ).plaintext
        headers = {"Authorization": f"Bearer {token}"}
        leaks: dict[str, list[str]] = {}
        answered: dict[int, int] = {}
        for path in get_paths():
            for url in concrete_urls(path):
                response = self.client.get(url, headers=headers)
                answered[response.status_code] = answered.get(response.status_code, 0) + 1
                self.assertLess(response.status_code, 500, url)
                body = response.content.decode(errors="replace").lower()
                found = [s for s in strings if s.lower() in body]
                if found:
                    leaks.setdefault(path, []).extend(f"{url}: {s!r}" for s in found[:5])
        self.assertIn(200, answered)
        self.assertEqual(leaks, {}, _report(leaks))


def _report(leaks: dict[str, Any]) -> str:
    return "\n".join(f"{path}\n  " + "\n  ".join(items) for path, items in leaks.items())
