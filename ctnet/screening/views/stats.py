"""Counts for transparency: runs, travellers and decisions, no person in them."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ctnet.core.decorators import member_required, require_role_check
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.screening.models import HitStatus
from ctnet.screening.policy import policy
from ctnet.screening.reports import screening_stats


@member_required
@require_role_check(policy.can_see_screening_stats)
@require_GET
def stats_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    stats = screening_stats(request.user)
    labels = dict(HitStatus.choices)
    stats["statuses"] = [(labels.get(k, k), n) for k, n in sorted(stats["hits_by_status"].items())]
    return render(request, "screening/stats.html", {"stats": stats})
