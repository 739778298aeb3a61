"""Notices to list owners: received and sent, one notice, its acknowledgement."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.screening import access
from ctnet.screening.presenters import flight_facts
from ctnet.screening.services import review
from ctnet.screening.views.common import PAGE_SIZE, screening_required


@member_required
@screening_required
@require_GET
def notices_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    org_id = request.membership.organisation_id
    notices = access.visible_notices(request.user).select_related(
        "entry__watchlist", "owner", "sender"
    )
    received = notices.filter(owner_id=org_id)
    page = Paginator(received, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unacknowledged": received.filter(acknowledged_at__isnull=True).count(),
        "sent": notices.filter(sender_id=org_id)[:PAGE_SIZE],
    }
    return render(request, "screening/notices.html", context)


@member_required
@screening_required
@require_GET
def notice_page(request: AuthenticatedHttpRequest, notice_id: int) -> HttpResponse:
    notice = access.access_notice(request.user, notice_id)
    context = {
        "n": notice,
        "is_owner": notice.owner_id == request.membership.organisation_id,
        "flight": flight_facts(notice.flight),
    }
    return render(request, "screening/notice.html", context)


@member_required
@screening_required
@require_POST
def notice_acknowledge(request: AuthenticatedHttpRequest, notice_id: int) -> HttpResponse:
    notice = access.access_notice(request.user, notice_id)
    try:
        review.acknowledge_notice(acting_user=request.user, notice=notice)
    except review.WrongState as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Notice acknowledged."))
    return redirect("screening-notices")
