"""Exchange pages: bulletins and alerts, publishing one, reading and acknowledging it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.exchange import access, presenters
from ctnet.exchange.forms import BulletinForm
from ctnet.exchange.policy import policy
from ctnet.exchange.services import bulletins
from ctnet.exchange.views.common import PAGE_SIZE, exchange_required, sender_required


@member_required
@exchange_required
@require_GET
def bulletin_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = access.visible_bulletins(request.user).select_related("originator")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_send": policy.can_send_exchange(request.user)}
    return render(request, "exchange/bulletins.html", context)


@member_required
@sender_required
@require_http_methods(["GET", "POST"])
def bulletin_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BulletinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        group_id = data.pop("sharing_group")
        try:
            group = access.access_group(request.user, group_id) if group_id else None
            created = bulletins.publish_bulletin(
                acting_user=request.user,
                data=data,
                group=group,
                indicators=form.indicator_rows(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Bulletin published."))
            return redirect("exchange-bulletin", bulletin_id=created.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "exchange/bulletin_form.html", {"form": form}, status=status)


@member_required
@exchange_required
@require_GET
def bulletin_page(request: AuthenticatedHttpRequest, bulletin_id: int) -> HttpResponse:
    b = access.access_bulletin(request.user, bulletin_id)
    detail = presenters.bulletin_detail(request.user, b)
    own = b.acks.filter(organisation_id=request.membership.organisation_id).first()
    context = {"b": b, "detail": detail, "own_ack": own}
    return render(request, "exchange/bulletin.html", context)


@member_required
@sender_required
@require_POST
def bulletin_ack(request: AuthenticatedHttpRequest, bulletin_id: int) -> HttpResponse:
    b = access.access_bulletin(request.user, bulletin_id)
    bulletins.acknowledge_bulletin(acting_user=request.user, bulletin=b)
    messages.success(request, _("Acknowledged."))
    return redirect("exchange-bulletin", bulletin_id=b.pk)
