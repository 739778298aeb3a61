"""Coordination pages: technical-assistance needs with the matches proposed for them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ctnet.coordination import access, presenters, waiting
from ctnet.coordination.policy import policy
from ctnet.coordination.services import assistance
from ctnet.coordination.views.common import coordination_required
from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest

NEEDS_SHOWN = 100


@member_required
@coordination_required
@require_GET
def needs(request: AuthenticatedHttpRequest) -> HttpResponse:
    # ``?waiting=accept``: the state's needs the home page counts as having an offer to accept.
    to_accept = request.GET.get("waiting") == waiting.ACCEPT
    found = (
        waiting.needs_to_accept(request.user) if to_accept else access.visible_needs(request.user)
    )
    qs = presenters.needs_with_matches(found)[:NEEDS_SHOWN]
    rows = [(n, presenters.need_detail(n), policy.can_accept_match(request.user, n)) for n in qs]
    context = {"rows": rows, "to_accept": to_accept}
    return render(request, "coordination/needs.html", context)


@member_required
@coordination_required
@require_POST
def match_accept(request: AuthenticatedHttpRequest, match_id: int) -> HttpResponse:
    match = access.access_match(request.user, match_id)
    try:
        assistance.accept_match(acting_user=request.user, match=match)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Match accepted; the offering organisation is told."))
    return redirect("coordination-needs")
