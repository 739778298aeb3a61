"""The exchange's home page: the inbox of the user's organisation, in three boxes."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.exchange import access
from ctnet.exchange.inbox import BOXES, inbox
from ctnet.exchange.models import ReleaseStatus
from ctnet.exchange.policy import policy
from ctnet.exchange.views.common import PAGE_SIZE, exchange_required


@member_required
@exchange_required
@require_GET
def inbox_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    box = request.GET.get("box", "incoming")
    if box not in BOXES:
        return render(request, "ctnet/error.html", {"message": _("Unknown box.")}, status=400)
    page = Paginator(inbox(request.user, box), PAGE_SIZE).get_page(request.GET.get("page"))
    awaiting = access.visible_releases(request.user).filter(
        status=ReleaseStatus.PENDING, originator_id=request.membership.organisation_id
    )
    context = {
        "box": box,
        "boxes": BOXES,
        "page": page,
        "awaiting_count": awaiting.count(),
        "due_people_count": (
            access.due_people(request.user).count() if policy.can_review_people(request.user) else 0
        ),
        "can_send": policy.can_send_exchange(request.user),
    }
    return render(request, "exchange/inbox.html", context)
