"""Pages of the Compact's working groups: the list, one group (members, chairs, programme,
meetings with decisions and follow-ups), the late follow-ups, and one entity's part."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ctnet.coordination import groups
from ctnet.coordination.policy import groups_policy
from ctnet.core.decorators import member_required, require_role_check
from ctnet.core.http import AuthenticatedHttpRequest

groups_required = require_role_check(groups_policy.can_read_groups)
LATE_SHOWN = 200


@member_required
@groups_required
@require_GET
def group_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = groups.visible_groups(request.user).prefetch_related("chairs", "members")
    return render(request, "coordination/groups.html", {"groups": rows})


# One group or entity: those who may not read groups get the 404 of a missing one (the access
# helper), as from the API, not the list's 403.
@member_required
@require_GET
def group_page(request: AuthenticatedHttpRequest, group_id: int) -> HttpResponse:
    group = groups.access_group(request.user, group_id)
    context = {
        "group": group,
        "detail": groups.group_detail(group),
        "can_run": groups_policy.can_run_group(request.user, group),
    }
    return render(request, "coordination/group.html", context)


@member_required
@groups_required
@require_GET
def late_follow_ups(request: AuthenticatedHttpRequest) -> HttpResponse:
    # ``?mine=1``: the person's organisation's, the list the waiting count links to.
    mine = request.GET.get("mine") == "1"
    membership = groups_policy.membership(request.user)
    org_id = membership.organisation_id if mine and membership is not None else None
    items = [
        groups.follow_up_detail(f)
        for f in groups.late_follow_ups(request.user, org_id)[:LATE_SHOWN]
    ]
    return render(request, "coordination/follow_ups_late.html", {"items": items, "mine": mine})


# One group or entity: those who may not read groups get the 404 of a missing one (the access
# helper), as from the API, not the list's 403.
@member_required
@require_GET
def entity_page(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    org = groups.access_entity(request.user, code)
    detail = groups.entity_detail(request.user, org)
    return render(request, "coordination/entity.html", {"org": org, "detail": detail})
