"""Coverage at a glance: which member states have a verified, fresh coordinator entry.

Three queries whatever the number of states: the states, their head entries, their stale counts.
The map shapes are read once per process from the vendored file (see data/README.md).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils.formats import number_format
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext_lazy as _

from ctnet.core.charts import Chart, Row, Series, bar_chart
from ctnet.core.models import Organisation, OrgKind, UNGroup
from ctnet.directory.models import ContactPoint, Function, reconfirm_cutoff

MAP_FILE = Path(__file__).resolve().parent / "data" / "countries-110m.json"

# Worst first: the order in which the table lists states and the legend reads.
STATUSES = {
    "missing": _("No coordinator entry"),
    "stale": _("Coordinator entry stale"),
    "unverified": _("Coordinator entry not verified"),
    "verified": _("Verified coordinator"),
}


@lru_cache(maxsize=1)
def map_shapes() -> dict[str, Any]:
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


@dataclass
class StateCoverage:
    organisation: Organisation
    status: str
    contacts: int = 0
    stale: int = 0

    @property
    def label(self) -> str:
        return str(STATUSES[self.status])


@dataclass
class GroupCoverage:
    code: str
    label: str
    states: list[StateCoverage] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    @property
    def summary(self) -> list[tuple[str, str, int]]:
        return [(key, str(label), self.counts[key]) for key, label in STATUSES.items()]


def _head_status(heads: list[tuple[bool, bool]]) -> str:
    """Best status among a state's coordinator entries: (verified, stale) pairs."""
    if not heads:
        return "missing"
    if any(verified and not stale for verified, stale in heads):
        return "verified"
    if any(not stale for _verified, stale in heads):
        return "unverified"
    return "stale"


def coverage() -> list[GroupCoverage]:
    cutoff = reconfirm_cutoff()
    states = list(
        Organisation.objects.filter(kind=OrgKind.MEMBER_STATE, is_active=True).order_by("code")
    )
    heads: dict[int, list[tuple[bool, bool]]] = {}
    rows = ContactPoint.objects.filter(
        is_active=True,
        function=Function.NATIONAL_COORDINATOR,
        organisation__kind=OrgKind.MEMBER_STATE,
    ).values_list("organisation_id", "verified", "last_confirmed_at")
    for org_id, verified, confirmed in rows:
        heads.setdefault(org_id, []).append((verified, confirmed < cutoff))
    totals = _entry_counts(cutoff)
    groups = {g.value: GroupCoverage(g.value, str(g.label)) for g in UNGroup}
    other = GroupCoverage("", str(_("No regional group")))
    for org in states:
        count, stale = totals.get(org.pk, (0, 0))
        state = StateCoverage(org, _head_status(heads.get(org.pk, [])), count, stale)
        group = groups.get(org.un_group, other)
        group.states.append(state)
        group.counts[state.status] += 1
    result = [g for g in groups.values() if g.states]
    return [*result, other] if other.states else result


def freshness(groups: list[GroupCoverage]) -> list[tuple[str, int, int]]:
    """Per regional group: (label, entries, entries confirmed within the re-confirmation
    period), from the counts ``coverage`` already holds: no query of its own."""
    found = []
    for group in groups:
        total = sum(state.contacts for state in group.states)
        stale = sum(state.stale for state in group.states)
        found.append((group.label, total, total - stale))
    return found


def freshness_chart(groups: list[GroupCoverage]) -> Chart:
    """The share of fresh entries per regional group, as a bar chart (``core.charts``)."""
    rows = [
        Row(
            label,
            (100 * fresh / total if total else 0.0,),
            text=_("%(share)s %% (%(fresh)s of %(total)s)")
            % {
                "share": number_format(round(100 * fresh / total) if total else 0),
                "fresh": number_format(fresh),
                "total": number_format(total),
            },
        )
        for label, total, fresh in freshness(groups)
    ]
    return bar_chart(
        _("Entries confirmed within the re-confirmation period, by regional group"),
        [Series("fresh", _("Confirmed in time"))],
        rows,
        summary=_(
            "One bar per UN regional group: the share of its member states' directory entries "
            "confirmed within the last %(days)d days."
        )
        % {"days": settings.DIRECTORY_RECONFIRM_DAYS},
        maximum=100,
        unit=_("percent"),
        rtl=get_language_bidi(),
    )


def _entry_counts(cutoff: Any) -> dict[int, tuple[int, int]]:
    rows = (
        ContactPoint.objects.filter(is_active=True, organisation__kind=OrgKind.MEMBER_STATE)
        .values("organisation_id")
        .annotate(total=Count("id"), stale=Count("id", filter=Q(last_confirmed_at__lt=cutoff)))
    )
    return {r["organisation_id"]: (r["total"], r["stale"]) for r in rows}


def map_features(groups: list[GroupCoverage]) -> list[dict[str, str]]:
    """One entry per drawable state: code, name, status, path; states without a shape skipped."""
    shapes = map_shapes()["shapes"]
    features = []
    for group in groups:
        for state in group.states:
            path = shapes.get(state.organisation.code)
            if path:
                features.append(
                    {
                        "code": state.organisation.code,
                        "name": state.organisation.name,
                        "status": state.status,
                        "label": str(STATUSES[state.status]),
                        "path": path,
                    }
                )
    return features
