"""Screening counts for transparency: how many travellers, possible matches and decisions.

Numbers only, never a name or an entry: the oversight role reads them for the whole network,
a screening organisation for itself.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from ctnet.screening.models import Hit, ScreeningRun
from ctnet.screening.policy import policy


def screening_stats(user: Any, days: int = 30) -> dict[str, Any]:
    since = timezone.now() - timedelta(days=days)
    runs = ScreeningRun.objects.filter(at__gte=since)
    hits = Hit.objects.filter(created_at__gte=since)
    if not policy.can_read_audit(user):
        org_id = user.active_membership.organisation_id
        runs = runs.filter(organisation_id=org_id)
        hits = hits.filter(organisation_id=org_id)
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
