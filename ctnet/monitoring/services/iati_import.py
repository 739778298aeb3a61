"""Import of an IATI 2.03 activity file: all or nothing, every refusal with its line number.

The file must be valid against the official schema first; then each activity becomes a project
owned by the importing entity (its own ``reporting-org``), with partners, countries, budgets,
disbursements, results, indicators, baselines and periods with targets. Actuals are *not*
imported: they enter ctnet only through updates that four eyes approve. One transaction: the
first refusal rolls everything back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.models import Organisation, User
from ctnet.core.policy import acting_org

from .. import iati
from ..models import PartnerRole, Project, ResultType
from ..policy import policy
from . import framework, projects

MAX_ACTIVITIES = 2000


@dataclass
class ImportRefused(Exception):
    """The file, refused: each problem names its line."""

    problems: list[str]

    def __str__(self) -> str:
        return "; ".join(self.problems)


def _at(element: Any, exc: ValidationError) -> ImportRefused:
    return ImportRefused([f"line {element.sourceline}: {m}" for m in exc.messages])


def _partners(activity: Any) -> list[dict[str, Any]]:
    rows = []
    codes = {}
    for org in activity.iterfind("participating-org"):
        ref = org.get("ref", "")
        if ref.startswith(iati.ORG_PREFIX):
            codes[ref] = ref[len(iati.ORG_PREFIX) :]
    known = {o.code: o for o in Organisation.objects.filter(code__in=codes.values())}
    for org in activity.iterfind("participating-org"):
        role = org.get("role", "")
        if role == PartnerRole.ACCOUNTABLE and org.get("ref", "").startswith(iati.ORG_PREFIX):
            continue  # the owner itself, written back by every export
        if role not in PartnerRole.values:
            raise ImportRefused(
                [f"line {org.sourceline}: " + _("Unknown partner role: %(role)s.") % {"role": role}]
            )
        linked = known.get(codes.get(org.get("ref", ""), ""))
        rows.append(
            {
                "role": role,
                "name": iati.narrative(org) or (linked.name if linked else org.get("ref", "")),
                "organisation": linked,
            }
        )
    return rows


def _project(acting_user: User, activity: Any) -> Project:
    dates = {d.get("type"): iati.iso_date(d) for d in activity.iterfind("activity-date")}
    start, end = dates.get("2") or dates.get("1"), dates.get("4") or dates.get("3")
    if start is None or end is None:
        raise ImportRefused(
            [f"line {activity.sourceline}: " + _("An activity needs a start and an end date.")]
        )
    status = activity.find("activity-status")
    countries = [
        iati.alpha3(c.get("code", "")) or c.get("code", "")
        for c in activity.iterfind("recipient-country")
    ]
    themes = [
        t.get("code", "")
        for t in activity.iterfind("tag")
        if t.get("vocabulary") == iati.THEME_VOCABULARY
    ]
    budgets = [
        {
            "period_start": iati.iso_date(b.find("period-start")),
            "period_end": iati.iso_date(b.find("period-end")),
            "value": b.findtext("value"),
        }
        for b in activity.iterfind("budget")
    ]
    paid = [
        {
            "date": iati.iso_date(t.find("transaction-date")),
            "value": t.findtext("value"),
            "description": iati.narrative(t.find("description")),
        }
        for t in activity.iterfind("transaction")
        if t.find("transaction-type") is not None and t.find("transaction-type").get("code") == "3"
    ]
    try:
        return projects.create_project(
            acting_user=acting_user,
            iati_identifier=activity.findtext("iati-identifier") or "",
            title=iati.narrative(activity.find("title")),
            description=iati.narrative(activity.find("description")),
            status=status.get("code", "2") if status is not None else "2",
            start_date=start,
            end_date=end,
            countries=countries,
            themes=themes,
            currency=activity.get("default-currency", "USD"),
            partners=_partners(activity),
            budgets=budgets,
            disbursements=paid,
            audit_action="monitoring.project.import",
        )
    except ValidationError as exc:
        raise _at(activity, exc) from None


def _results(acting_user: User, project: Project, activity: Any) -> int:
    count = 0
    for res in activity.iterfind("result"):
        try:
            kind = res.get("type", "")
            result = framework.add_result(
                acting_user=acting_user,
                project=project,
                type=kind if kind in ResultType.values else ResultType.OTHER,
                title=iati.narrative(res.find("title")),
                description=iati.narrative(res.find("description")),
                aggregation_status=res.get("aggregation-status", "1") in ("1", "true"),
            )
        except ValidationError as exc:
            raise _at(res, exc) from None
        for ind in res.iterfind("indicator"):
            count += _indicator(acting_user, result, ind)
    return count


def _indicator(acting_user: User, result: Any, ind: Any) -> int:
    baseline = ind.find("baseline")
    locations = (
        [] if baseline is None else [loc.get("ref", "") for loc in baseline.iterfind("location")]
    )
    countries = [r[4:] for r in locations if r.startswith("LOC-")]
    try:
        indicator = framework.add_indicator(
            acting_user=acting_user,
            result=result,
            title=iati.narrative(ind.find("title")),
            description=iati.narrative(ind.find("description")),
            measure=ind.get("measure", ""),
            ascending=ind.get("ascending", "1") in ("1", "true"),
            baseline_year=int(baseline.get("year")) if baseline is not None else None,
            baseline_value=baseline.get("value") if baseline is not None else None,
            baseline_comment=iati.narrative(baseline.find("comment"))
            if baseline is not None
            else "",
            countries=countries,
        )
    except ValidationError as exc:
        raise _at(ind, exc) from None
    for per in ind.iterfind("period"):
        target = per.find("target")
        try:
            framework.add_period(
                acting_user=acting_user,
                indicator=indicator,
                start=iati.iso_date(per.find("period-start")),
                end=iati.iso_date(per.find("period-end")),
                target_value=target.get("value") if target is not None else None,
                target_comment=iati.narrative(target.find("comment")) if target is not None else "",
            )
        except ValidationError as exc:
            raise _at(per, exc) from None
    return 1


def import_activities(*, acting_user: User, data: bytes) -> list[Project]:
    """Every activity of the file as a project of the importing entity, or nothing at all."""
    if not policy.can_import_iati(acting_user):
        raise PermissionDenied(_("Only the heads of a Compact entity may import projects."))
    root, problems = iati.parse_and_validate(data)
    if root is None:
        raise ImportRefused([str(p) for p in problems])
    activities = list(iati.iter_activities(root))
    if len(activities) > MAX_ACTIVITIES:
        raise ImportRefused([_("A file holds at most %(n)d activities.") % {"n": MAX_ACTIVITIES}])
    org = acting_org(acting_user)
    created = []
    with transaction.atomic():
        for activity in activities:
            reporter = activity.find("reporting-org")
            ref = reporter.get("ref", "") if reporter is not None else ""
            if ref != iati.ORG_PREFIX + org.code:
                raise ImportRefused(
                    [
                        f"line {activity.sourceline}: "
                        + _("The reporting organisation must be your own (%(ref)s).")
                        % {"ref": iati.ORG_PREFIX + org.code}
                    ]
                )
            project = _project(acting_user, activity)
            _results(acting_user, project, activity)
            created.append(project)
        audit.record(
            "monitoring.iati.import",
            actor=acting_user,
            object_type="monitoring.project",
            detail={"projects": [p.pk for p in created]},
        )
    return created
