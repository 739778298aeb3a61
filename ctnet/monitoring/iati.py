"""IATI activity standard 2.03: the XML export of projects, the safe parser, schema validation.

The export writes one ``iati-activity`` per project with IATI's own codelist values (kept in
the models as they are): activity status, organisation roles, result types, indicator measures;
countries as ISO 3166-1 alpha-2 (IATI's Country codelist) from the alpha-3 codes ctnet keeps.
It is written incrementally (``etree.xmlfile``), 10 projects at a time, and the response streams
each chunk as it is written (``iter_export``), so neither the objects nor the document in memory
are more than one chunk's: the whole file of 1,000 projects is about 100 MB.
Organisation identifiers are ``XI-CTNET-<code>``: ctnet's own codes, not identifiers registered
with IATI (say so to a publisher before they publish the file).

The schema is the official one (``settings.MONITORING_IATI_SCHEMA_DIR``), loaded once per
process; files are parsed with entities, DTDs and the network off, so an upload can neither
read a local file nor fetch a URL nor expand a billion laughs.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import pycountry
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from lxml import etree

from ctnet.core import audit

from .models import Indicator, Period, Project, Result
from .presenters import num

IATI_VERSION = "2.03"
ORG_PREFIX = "XI-CTNET-"
# IATI OrganisationType: multilateral for UN and other international bodies, government.
ORG_TYPES = {"UN_ENTITY": "40", "INTERNATIONAL": "40", "REGIONAL": "40", "MEMBER_STATE": "10"}
THEME_VOCABULARY = "99"  # TagVocabulary: the reporting organisation's own
CHUNK = 10


@functools.cache
def schema() -> etree.XMLSchema:
    path = settings.MONITORING_IATI_SCHEMA_DIR / "iati-activities-schema.xsd"
    return etree.XMLSchema(etree.parse(str(path), parser=safe_parser()))


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
    )


def alpha2(alpha3: str) -> str:
    country = pycountry.countries.get(alpha_3=alpha3)
    return country.alpha_2 if country is not None else alpha3[:2]


def alpha3(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code.upper())
    return country.alpha_3 if country is not None else ""


def _text(parent: etree._Element, tag: str, text: str, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attrs)
    narrative = etree.SubElement(element, "narrative")
    narrative.text = text or "-"
    return element


def _value(parent: etree._Element, tag: str, value: Decimal, currency: str, on: Any) -> None:
    element = etree.SubElement(parent, tag, {"currency": currency, "value-date": on.isoformat()})
    element.text = num(value)


def _indicator(parent: etree._Element, indicator: Indicator) -> None:
    attrs = {"measure": indicator.measure, "ascending": "1" if indicator.ascending else "0"}
    element = etree.SubElement(parent, "indicator", attrs)
    _text(element, "title", indicator.title)
    if indicator.description:
        _text(element, "description", indicator.description)
    if indicator.baseline_year:
        base = {"year": str(indicator.baseline_year)}
        if indicator.baseline_value is not None:
            base["value"] = num(indicator.baseline_value) or ""
        baseline = etree.SubElement(element, "baseline", base)
        for code in indicator.countries:
            etree.SubElement(baseline, "location", {"ref": f"LOC-{code}"})
        if indicator.baseline_comment:
            _text(baseline, "comment", indicator.baseline_comment)
    for period in indicator.periods.all():
        _period(element, indicator, period)


def _period(parent: etree._Element, indicator: Indicator, period: Period) -> None:
    element = etree.SubElement(parent, "period")
    etree.SubElement(element, "period-start", {"iso-date": period.start.isoformat()})
    etree.SubElement(element, "period-end", {"iso-date": period.end.isoformat()})
    target_attrs = {} if period.target_value is None else {"value": num(period.target_value) or ""}
    target = etree.SubElement(element, "target", target_attrs)
    if period.target_comment:
        _text(target, "comment", period.target_comment)
    for row in period.target_dimensions:
        sub = etree.SubElement(element, "target", {"value": row["value"]})
        for name, val in row["dims"].items():
            etree.SubElement(sub, "dimension", {"name": name, "value": val})
    if not period.has_actual:
        return
    attrs = {} if period.actual_value is None else {"value": num(period.actual_value) or ""}
    actual = etree.SubElement(element, "actual", attrs)
    if period.actual_numerator is not None:
        _text(
            actual, "comment", f"{num(period.actual_numerator)} / {num(period.actual_denominator)}"
        )
    for row in period.actual_dimensions:
        sub = etree.SubElement(element, "actual", {"value": row["value"]})
        for name, val in row["dims"].items():
            etree.SubElement(sub, "dimension", {"name": name, "value": val})


def activity(project: Project) -> etree._Element:
    element = etree.Element(
        "iati-activity",
        {
            "last-updated-datetime": project.updated_at.isoformat(timespec="seconds"),
            "{http://www.w3.org/XML/1998/namespace}lang": "en",
            "default-currency": project.currency,
        },
    )
    etree.SubElement(element, "iati-identifier").text = project.iati_identifier
    owner = project.originator
    _text(
        element,
        "reporting-org",
        owner.name,
        ref=ORG_PREFIX + owner.code,
        type=ORG_TYPES.get(owner.kind, "40"),
    )
    _text(element, "title", project.title)
    _text(element, "description", project.description or project.title, type="1")
    _text(
        element,
        "participating-org",
        owner.name,
        ref=ORG_PREFIX + owner.code,
        role="2",
        type=ORG_TYPES.get(owner.kind, "40"),
    )
    for partner in project.partners.all():
        attrs = {"role": partner.role}
        if partner.organisation is not None:
            attrs["ref"] = ORG_PREFIX + partner.organisation.code
            attrs["type"] = ORG_TYPES.get(partner.organisation.kind, "40")
        _text(element, "participating-org", partner.name, **attrs)
    etree.SubElement(element, "activity-status", {"code": project.status})
    etree.SubElement(
        element, "activity-date", {"type": "1", "iso-date": project.start_date.isoformat()}
    )
    etree.SubElement(
        element, "activity-date", {"type": "3", "iso-date": project.end_date.isoformat()}
    )
    share = (
        (Decimal(100) / len(project.countries)).quantize(Decimal("0.01"))
        if project.countries
        else None
    )
    for code in project.countries:
        etree.SubElement(
            element, "recipient-country", {"code": alpha2(code), "percentage": str(share)}
        )
    for code in sorted(
        {c for r in project.results.all() for i in r.indicators.all() for c in i.countries}
    ):
        location = etree.SubElement(element, "location", {"ref": f"LOC-{code}"})
        _text(location, "name", code)
    for slug in project.themes:
        _text(element, "tag", slug, code=slug, vocabulary=THEME_VOCABULARY)
    _money(element, project)
    _results(element, project)
    return element


def _money(element: etree._Element, project: Project) -> None:
    """Budgets by period (original, indicative) and disbursements (transaction type 3)."""
    for budget in project.budgets.all():
        row = etree.SubElement(element, "budget", {"type": "1", "status": "1"})
        etree.SubElement(row, "period-start", {"iso-date": budget.period_start.isoformat()})
        etree.SubElement(row, "period-end", {"iso-date": budget.period_end.isoformat()})
        _value(row, "value", budget.value, project.currency, budget.period_start)
    for paid in project.disbursements.all():
        row = etree.SubElement(element, "transaction")
        etree.SubElement(row, "transaction-type", {"code": "3"})
        etree.SubElement(row, "transaction-date", {"iso-date": paid.date.isoformat()})
        _value(row, "value", paid.value, project.currency, paid.date)
        if paid.description:
            _text(row, "description", paid.description)


def _results(element: etree._Element, project: Project) -> None:
    for result in project.results.all():
        if not result.indicators.all():
            continue  # IATI wants at least one indicator per result
        attrs = {
            "type": result.type,
            "aggregation-status": "1" if result.aggregation_status else "0",
        }
        res = etree.SubElement(element, "result", attrs)
        _text(res, "title", result.title)
        if result.description:
            _text(res, "description", result.description)
        for indicator in result.indicators.all():
            _indicator(res, indicator)


def export_queryset(projects: QuerySet[Project]) -> QuerySet[Project]:
    periods = Prefetch("periods", queryset=Period.objects.order_by("start", "id"))
    indicators = Prefetch("indicators", queryset=Indicator.objects.prefetch_related(periods))
    return (
        projects.select_related("originator")
        .prefetch_related(
            "partners__organisation",
            "budgets",
            "disbursements",
            Prefetch("results", queryset=Result.objects.prefetch_related(indicators)),
        )
        .order_by("pk")
    )


def export_ids(projects: QuerySet[Project]) -> list[int]:
    """The projects of an export, fixed when it starts (rows added meanwhile are not in it)."""
    return list(projects.order_by("pk").values_list("pk", flat=True))


class _Chunks:
    """The file ``etree.xmlfile`` writes to: it keeps what was written until it is taken."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self._parts.append(bytes(data))

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def iter_export(ids: list[int]) -> Iterator[bytes]:
    """The ``iati-activities`` document of these projects, one chunk of projects at a time."""
    attrs = {
        "version": IATI_VERSION,
        "generated-datetime": timezone.now().isoformat(timespec="seconds"),
    }
    sink = _Chunks()
    with etree.xmlfile(sink, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("iati-activities", attrs):
            for start in range(0, len(ids), CHUNK):
                chunk = export_queryset(Project.objects.filter(pk__in=ids[start : start + CHUNK]))
                for project in chunk:
                    xf.write(activity(project))
                xf.flush()
                yield sink.take()
    yield sink.take()


def export_response(acting_user: Any, projects: QuerySet[Project]) -> StreamingHttpResponse:
    """The download of an export, streamed, with the audit row of who took which projects."""
    ids = export_ids(projects)
    audit.record(
        "monitoring.iati.export",
        actor=acting_user,
        object_type="monitoring.project",
        detail={"projects": len(ids)},
    )
    response = StreamingHttpResponse(
        iter_export(ids), content_type="application/xml; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="ctnet-iati-activities.xml"'
    return response


def export_bytes(projects: QuerySet[Project]) -> bytes:
    """The whole document at once: for tests and the demo check, not for responses."""
    return b"".join(iter_export(export_ids(projects)))


@dataclass(frozen=True)
class XmlProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def parse_and_validate(data: bytes) -> tuple[etree._Element | None, list[XmlProblem]]:
    """The document's root, or the problems with their line numbers (syntax, then schema)."""
    try:
        root = etree.parse(io.BytesIO(data), parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        return None, [XmlProblem(exc.lineno or 0, exc.msg or str(exc))]
    if root.docinfo.doctype:
        return None, [XmlProblem(1, "a DOCTYPE is not accepted")]
    xsd = schema()
    if not xsd.validate(root):
        return None, [XmlProblem(e.line, e.message) for e in list(xsd.error_log)[:50]]
    return root.getroot(), []


def iter_activities(root: etree._Element) -> Iterator[etree._Element]:
    yield from root.iterfind("iati-activity")


def narrative(element: etree._Element | None) -> str:
    if element is None:
        return ""
    found = element.find("narrative")
    return (found.text or "").strip() if found is not None else ""


def iso_date(element: etree._Element | None) -> Any:
    if element is None or not element.get("iso-date"):
        return None
    return datetime.strptime(element.get("iso-date", ""), "%Y-%m-%d").date()  # noqa: DTZ007
