"""The views across plans: per resolution (which plans commit to it, how far they are) and per
region (coverage of plans and commitment status). Both read a fixed number of queries whatever
the number of states, plans and commitments; the visibility rule is one subquery.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctnet.coordination.access import visible_plans
from ctnet.coordination.models import (
    ActionPlan,
    Commitment,
    CommitmentReference,
    Milestone,
    Status,
)
from ctnet.core.models import Organisation, OrgKind, UNGroup
from ctnet.directory.coverage import map_shapes

SCALE = [s.value for s in Status]


def readable_plan_ids(user: Any) -> list[int]:
    """The plans the user may read, as ids, in one query. The cross-plan counts then filter on
    a plain list instead of repeating the marking rule's joins inside every aggregate (on
    SQLite that subquery made each count several seconds at 48,000 commitments)."""
    return list(visible_plans(user).values_list("pk", flat=True))


REGIONAL_ROW = "REGIONAL"


@dataclass
class ResolutionRow:
    owner: Organisation
    plan_id: int
    plan_title: str
    commitment_id: int
    commitment_title: str
    paragraph: str
    self_status: str
    assessed_status: str


@dataclass
class ResolutionView:
    code: str
    rows: list[ResolutionRow] = field(default_factory=list)  # one page of them
    total: int = 0
    owners: int = 0
    self_counts: Counter = field(default_factory=Counter)
    assessed_counts: Counter = field(default_factory=Counter)


# A page of rows: a resolution with thousands of commitments is read page by page; its counts
# are always over all of them.
ROWS_PER_PAGE = 200


def resolution_view(
    user: Any, code: str, paragraph: str = "", offset: int = 0, limit: int = ROWS_PER_PAGE
) -> ResolutionView:
    """Five queries whatever the number of plans: the readable plans, a page of rows, the
    total and owners, and
    the counts of each scale (self-reported, assessed). Plans are those the user may read."""
    refs = CommitmentReference.objects.filter(
        code=code, commitment__plan_id__in=readable_plan_ids(user)
    )
    if paragraph:
        refs = refs.filter(paragraph=paragraph)
    view = ResolutionView(code)
    page = refs.select_related("commitment__plan__originator").order_by(
        "commitment__plan__originator__code", "commitment__plan_id", "commitment_id", "paragraph"
    )[offset : offset + limit]
    for ref in page:
        c = ref.commitment
        view.rows.append(
            ResolutionRow(
                owner=c.plan.originator,
                plan_id=c.plan_id,
                plan_title=c.plan.title,
                commitment_id=c.pk,
                commitment_title=c.title,
                paragraph=ref.paragraph,
                self_status=c.self_status,
                assessed_status=c.assessed_status,
            )
        )
    totals = refs.aggregate(
        total=Count("id"), owners=Count("commitment__plan__originator", distinct=True)
    )
    view.total, view.owners = totals["total"], totals["owners"]
    for status, n in refs.values_list("commitment__self_status").annotate(n=Count("id")).order_by():
        view.self_counts[status] += n
    for status, n in (
        refs.exclude(commitment__assessed_status="")
        .values_list("commitment__assessed_status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        view.assessed_counts[status] += n
    return view


@dataclass
class RegionRow:
    code: str
    label: str
    members: int = 0  # states in the group (or regional organisations)
    with_plan: int = 0
    self_counts: Counter = field(default_factory=Counter)
    assessed_counts: Counter = field(default_factory=Counter)

    @property
    def commitments(self) -> int:
        return sum(self.self_counts.values())


def _region_of(kind: str, un_group: str) -> str:
    return REGIONAL_ROW if kind == OrgKind.REGIONAL else un_group


def regional_coverage(user: Any) -> list[RegionRow]:
    """Five queries: members per group, the readable plans, owners with a plan, and the
    self-reported and assessed counts."""
    rows = {g.value: RegionRow(g.value, str(g.label)) for g in UNGroup}
    rows[REGIONAL_ROW] = RegionRow(REGIONAL_ROW, str(_("Regional organisations")))
    members = (
        Organisation.objects.filter(
            is_active=True, kind__in=[OrgKind.MEMBER_STATE, OrgKind.REGIONAL]
        )
        .values_list("kind", "un_group")
        .annotate(n=Count("id"))
    )
    for kind, group, n in members:
        if _region_of(kind, group) in rows:
            rows[_region_of(kind, group)].members += n
    plan_ids = readable_plan_ids(user)
    plans = ActionPlan.objects.filter(pk__in=plan_ids)
    owners = (
        plans.values_list("originator__kind", "originator__un_group")
        .annotate(n=Count("originator", distinct=True))
        .order_by()
    )
    for kind, group, n in owners:
        if _region_of(kind, group) in rows:
            rows[_region_of(kind, group)].with_plan += n
    commitments = Commitment.objects.filter(plan_id__in=plan_ids)
    key = ("plan__originator__kind", "plan__originator__un_group")
    for kind, group, status, n in (
        commitments.values_list(*key, "self_status").annotate(n=Count("id")).order_by()
    ):
        if _region_of(kind, group) in rows:
            rows[_region_of(kind, group)].self_counts[status] += n
    for kind, group, status, n in (
        commitments.exclude(assessed_status="")
        .values_list(*key, "assessed_status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if _region_of(kind, group) in rows:
            rows[_region_of(kind, group)].assessed_counts[status] += n
    return list(rows.values())


# The late page lists at most this many milestones, oldest first.
LATE_SHOWN = 100


def late_milestones(user: Any, limit: int = LATE_SHOWN) -> list[Milestone]:
    """Milestones past their date and not done, in plans the user may read, oldest first."""
    return list(
        Milestone.objects.filter(
            done_at=None,
            due_date__lt=timezone.localdate(),
            commitment__plan_id__in=readable_plan_ids(user),
        )
        .select_related("commitment__plan__originator")
        .order_by("due_date", "id")[:limit]
    )


# The world map of the coverage page: each state by the share of its commitments (in the plans
# the person may read) that it reports substantial or complete. The shapes are the directory's.
MAP_BUCKETS = (
    ("none", _("No plan you may read")),
    ("low", _("Under a third of commitments substantial or complete")),
    ("mid", _("A third to two thirds")),
    ("high", _("Over two thirds")),
)
MAP_COLOURS = {"none": "#b9c0c8", "low": "#f2a900", "mid": "#4a90c2", "high": "#2e7d32"}
ADVANCED = (Status.SUBSTANTIAL, Status.COMPLETE)


def _bucket(advanced: int, total: int) -> str:
    if not total:
        return "none"
    share = advanced / total
    return "low" if share < 1 / 3 else ("mid" if share <= 2 / 3 else "high")


def state_map(user: Any) -> list[dict[str, Any]]:
    """One drawable entry per member state: code, name, bucket, colour, counts, path (two
    queries: the states, and the readable commitments counted per owner)."""
    shapes = map_shapes()["shapes"]
    counts: dict[int, list[int]] = {}
    rows = (
        Commitment.objects.filter(plan_id__in=readable_plan_ids(user))
        .values_list("plan__originator_id")
        .annotate(
            total=Count("id"),
            advanced=Count("id", filter=Q(self_status__in=ADVANCED)),
        )
        .order_by()
    )
    for owner_id, total, advanced in rows:
        counts[owner_id] = [total, advanced]
    labels = dict(MAP_BUCKETS)
    features = []
    states = Organisation.objects.filter(is_active=True, kind=OrgKind.MEMBER_STATE).order_by("code")
    for state in states:
        path = shapes.get(state.code)
        if not path:
            continue
        total, advanced = counts.get(state.pk, [0, 0])
        bucket = _bucket(advanced, total)
        features.append(
            {
                "code": state.code,
                "name": state.name,
                "bucket": bucket,
                "label": str(labels[bucket]),
                "colour": MAP_COLOURS[bucket],
                "total": total,
                "advanced": advanced,
                "path": path,
            }
        )
    return features
