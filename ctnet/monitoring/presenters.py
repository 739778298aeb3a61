"""Plain dicts of monitoring objects, shared by the API and the pages' CSV and JSON."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .models import Evidence, Indicator, Period, PeriodUpdate, Project, Result, UpdateEvent
from .progress import progress
from .reports import Tally
from .themes import theme_label


def num(value: Decimal | None) -> str | None:
    """Decimals as text without trailing zeros ("12", "33.3333"): exact, and JSON-safe."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def project_dict(project: Project) -> dict[str, Any]:
    return {
        "id": project.pk,
        "iati_identifier": project.iati_identifier,
        "title": project.title,
        "description": project.description,
        "owner": project.originator.code,
        "status": project.status,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "countries": project.countries,
        "themes": project.themes,
        "currency": project.currency,
        "tlp": project.tlp,
        "handling": project.handling,
    }


def project_detail_dict(project: Project, results: list[Result]) -> dict[str, Any]:
    return {
        **project_dict(project),
        "partners": [
            {
                "name": p.name,
                "role": p.role,
                "organisation": p.organisation.code if p.organisation else None,
            }
            for p in project.partners.select_related("organisation")
        ],
        "budgets": [
            {"period_start": b.period_start, "period_end": b.period_end, "value": num(b.value)}
            for b in project.budgets.all()
        ],
        "disbursements": [
            {"date": d.date, "value": num(d.value), "description": d.description}
            for d in project.disbursements.all()
        ],
        "documents": [
            {"id": d.pk, "title": d.title, "file_name": d.file_name, "size": d.size}
            for d in project.documents.all()
        ],
        "results": [result_dict(r) for r in results],
    }


def result_dict(result: Result) -> dict[str, Any]:
    return {
        "id": result.pk,
        "type": result.type,
        "title": result.title,
        "description": result.description,
        "parent": result.parent_id,
        "indicators": [indicator_dict(i) for i in result.indicators.all()],
    }


def indicator_dict(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": indicator.pk,
        "title": indicator.title,
        "measure": indicator.measure,
        "ascending": indicator.ascending,
        "baseline": {
            "year": indicator.baseline_year,
            "value": num(indicator.baseline_value),
            "comment": indicator.baseline_comment,
        },
        "dimensions": indicator.dimensions,
        "countries": indicator.countries,
        "periods": [period_dict(p, indicator) for p in indicator.periods.all()],
    }


def period_dict(period: Period, indicator: Indicator) -> dict[str, Any]:
    value = progress(
        ascending=indicator.ascending,
        baseline=indicator.baseline_value,
        target=period.target_value,
        actual=period.actual_value if period.has_actual else None,
    )
    return {
        "id": period.pk,
        "start": period.start,
        "end": period.end,
        "target": {
            "value": num(period.target_value),
            "comment": period.target_comment,
            "dimensions": period.target_dimensions,
        },
        "actual": {
            "reported": period.has_actual,
            "value": num(period.actual_value),
            "numerator": num(period.actual_numerator),
            "denominator": num(period.actual_denominator),
            "dimensions": period.actual_dimensions,
        },
        "progress": num(value.quantize(Decimal("0.001"))) if value is not None else None,
        "locked": period.is_locked,
    }


def update_dict(update: PeriodUpdate) -> dict[str, Any]:
    return {
        "id": update.pk,
        "period": update.period_id,
        "status": update.status,
        "value": num(update.value),
        "numerator": num(update.numerator),
        "denominator": num(update.denominator),
        "narrative": update.narrative,
        "disaggregations": update.disaggregations,
        "country": update.country,
        "created_by": update.created_by.username if update.created_by_id else None,
        "submitted_by": update.submitted_by.username
        if update.submitted_by_id and update.submitted_by
        else None,
        "submitted_at": update.submitted_at,
        "decided_by": update.decided_by.username
        if update.decided_by_id and update.decided_by
        else None,
        "decided_at": update.decided_at,
        "return_comment": update.return_comment,
    }


def event_dict(event: UpdateEvent) -> dict[str, Any]:
    return {
        "at": event.at,
        "actor": event.actor.username,
        "action": event.action,
        "from": event.from_status,
        "to": event.to_status,
        "comment": event.comment,
        "snapshot": event.snapshot,
    }


def evidence_dict(evidence: Evidence) -> dict[str, Any]:
    return {
        "id": evidence.pk,
        "title": evidence.title,
        "kind": "link" if evidence.is_link else "file",
        "url": evidence.url or None,
        "file_name": evidence.file_name or None,
        "content_type": evidence.content_type or None,
        "size": evidence.size,
        "sha256": evidence.sha256 or None,
    }


def tally_dict(tally: Tally, kind: str) -> dict[str, Any]:
    label = theme_label(tally.key) if kind == "theme" else tally.label
    return {
        "key": tally.key,
        "label": label,
        "projects": len(tally.projects),
        "indicators": tally.indicators,
        "measured": tally.measured,
        "on_track": tally.on_track,
        "without_data": tally.without_data,
        "late_reports": tally.late,
        "progress": num(tally.progress.quantize(Decimal("0.001")))
        if tally.progress is not None
        else None,
    }
