"""Screening counts for transparency: how many travellers, possible matches and decisions.

Numbers only, never a name or an entry: the oversight role reads them for the whole network,
a screening organisation for itself.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from ctnet.screening.models import Hit, ScreeningRun
from ctnet.screening.policy import policy


def _scoped(user: Any, since: datetime) -> tuple[QuerySet[ScreeningRun], QuerySet[Hit]]:
    """Runs and possible matches since a moment: the network's for oversight, else the user's
    organisation's own (the one rule of what these counts cover)."""
    runs = ScreeningRun.objects.filter(at__gte=since)
    hits = Hit.objects.filter(created_at__gte=since)
    if not policy.can_read_audit(user):
        org_id = user.active_membership.organisation_id
        runs = runs.filter(organisation_id=org_id)
        hits = hits.filter(organisation_id=org_id)
    return runs, hits


def weekly(user: Any, weeks: int = 8) -> list[dict[str, Any]]:
    """Per week (Monday, oldest first), the screenings, travellers and possible matches by
    decision: two queries, counts only. Weeks with nothing are listed too, so a gap shows."""
    today = timezone.localdate()
    first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    since = timezone.make_aware(datetime.combine(first, time.min))
    runs, hits = _scoped(user, since)
    rows: dict[date, dict[str, Any]] = {
        first + timedelta(weeks=i): {"runs": 0, "travellers": 0, "hits": {}} for i in range(weeks)
    }
    for week, n, travellers in (
        runs.annotate(week=TruncWeek("at"))
        .values_list("week")
        .annotate(n=Count("pk"), t=Sum("travellers"))
        .order_by()
    ):
        row = rows.get(_day(week))
        if row is not None:
            row["runs"], row["travellers"] = n, travellers or 0
    for week, status, n in (
        hits.annotate(week=TruncWeek("created_at"))
        .values_list("week", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        found = rows.get(_day(week))
        if found is not None:
            found["hits"][status] = n
    return [{"week": week, **row} for week, row in sorted(rows.items())]


def _day(value: date | datetime) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def screening_stats(user: Any, days: int = 30) -> dict[str, Any]:
    since = timezone.now() - timedelta(days=days)
    runs, hits = _scoped(user, since)
    totals = runs.aggregate(
        runs=Count("pk"),
        travellers=Sum("travellers"),
        possible_matches=Sum("possible_matches"),
        suppressed=Sum("suppressed"),
        bad_rows=Sum("bad_rows"),
    )
    by_status = dict(hits.values_list("status").annotate(n=Count("pk")).order_by())
    per_org = list(
        runs.values("organisation__code")
        .annotate(runs=Count("pk"), travellers=Sum("travellers"), matches=Sum("possible_matches"))
        .order_by("organisation__code")
    )
    return {
        "since": since,
        "days": days,
        **{k: v or 0 for k, v in totals.items()},
        "hits_by_status": by_status,
        "per_organisation": [
            {
                "organisation": row["organisation__code"],
                "runs": row["runs"],
                "travellers": row["travellers"] or 0,
                "possible_matches": row["matches"] or 0,
            }
            for row in per_org
        ],
        "note": "Hits are purged at the end of their retention; older counts live in runs.",
    }
