"""Exchange pages: bulletins and alerts, publishing one, reading and acknowledging it, and
asking the originator to release it onward or for export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.markings import needs_release
from ctnet.exchange import access, presenters
from ctnet.exchange.forms import BulletinForm, ExportReleaseForm, ReleaseForm
from ctnet.exchange.models import Bulletin, ReleaseKind
from ctnet.exchange.policy import policy
from ctnet.exchange.services import bulletins, releases
from ctnet.exchange.views.common import PAGE_SIZE, exchange_required, sender_required


@member_required
@exchange_required
@require_GET
def bulletin_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # ?pending=1: only those the organisation has still to acknowledge (the home page's count).
    pending = request.GET.get("pending") == "1"
    qs = access.bulletins_to_acknowledge(request.user) if pending else None
    qs = (qs if qs is not None else access.visible_bulletins(request.user)).select_related(
        "originator"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "pending": pending, "can_send": policy.can_send_exchange(request.user)}
    return render(request, "exchange/bulletins.html", context)


@member_required
@sender_required
@require_http_methods(["GET", "POST"])
def bulletin_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BulletinForm(request.POST or None, groups=access.visible_groups(request.user))
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


def bulletin_context(request: AuthenticatedHttpRequest, b: Bulletin) -> dict[str, Any]:
    user = request.user
    own = b.acks.filter(organisation_id=request.membership.organisation_id).first()
    may_ask = (
        own is not None and policy.can_send_exchange(user) and needs_release(b.tlp, b.handling)
    )
    is_originator = policy.can_edit_marked(user, b)
    return {
        "b": b,
        "detail": presenters.bulletin_detail(user, b),
        "own_ack": own,
        "can_export": policy.can_take_out(user, b),
        "release_form": ReleaseForm(sender_org_id=b.originator_id) if may_ask else None,
        "export_form": ExportReleaseForm(prefix="export") if may_ask else None,
        "copies": b.released_copies.select_related("release") if is_originator else [],
    }


@member_required
@exchange_required
@require_GET
def bulletin_page(request: AuthenticatedHttpRequest, bulletin_id: int) -> HttpResponse:
    b = access.access_bulletin(request.user, bulletin_id)
    return render(request, "exchange/bulletin.html", bulletin_context(request, b))


@member_required
@sender_required
@require_POST
def bulletin_release(request: AuthenticatedHttpRequest, bulletin_id: int) -> HttpResponse:
    """Ask the originator to pass a bulletin on to one organisation, or to export it."""
    b = access.access_bulletin(request.user, bulletin_id)
    export = request.POST.get("kind") == ReleaseKind.EXPORT
    form: ReleaseForm | ExportReleaseForm = (
        ExportReleaseForm(request.POST, prefix="export")
        if export
        else ReleaseForm(request.POST, sender_org_id=b.originator_id)
    )
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose the organisation and say why."))
        releases.file_release(
            acting_user=request.user,
            material=b,
            new_recipient=form.cleaned_data.get("new_recipient"),
            reason=form.cleaned_data["reason"],
            kind=ReleaseKind.EXPORT if export else ReleaseKind.ONWARD,
        )
    except ValidationError as exc:
        context = {**bulletin_context(request, b), "error": " ".join(exc.messages)}
        return render(request, "exchange/bulletin.html", context, status=400)
    messages.success(request, _("Release request sent to the originator."))
    return redirect("exchange-bulletin", bulletin_id=b.pk)


@member_required
@sender_required
@require_POST
def bulletin_ack(request: AuthenticatedHttpRequest, bulletin_id: int) -> HttpResponse:
    b = access.access_bulletin(request.user, bulletin_id)
    bulletins.acknowledge_bulletin(acting_user=request.user, bulletin=b)
    messages.success(request, _("Acknowledged."))
    return redirect("exchange-bulletin", bulletin_id=b.pk)
