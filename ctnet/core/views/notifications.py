"""Pages: the person's notifications (read, unread, mark read) and how they reach them by e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ctnet.core import notifications, services
from ctnet.core.decorators import member_required
from ctnet.core.forms import NoticeEmailForm
from ctnet.core.http import AuthenticatedHttpRequest

PAGE_SIZE = 50


@member_required
@require_GET
def notifications_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    found = notifications.notifications_of(request.user)
    if unread_only:
        found = found.filter(read_at=None)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread_only": unread_only,
        "notice_form": NoticeEmailForm(initial={"notice_email": request.user.notice_email}),
    }
    return render(request, "ctnet/notifications.html", context)


@member_required
@require_POST
def notification_read(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    """Mark one notice read; with ``open``, go on to the page it links to."""
    found = notifications.access_notification(request.user, notification_id)
    notifications.mark_read(acting_user=request.user, notification=found)
    link = found.link
    # The link is a path this site wrote; checked all the same, as any redirect target.
    if request.POST.get("open") and link and url_has_allowed_host_and_scheme(link, None):
        return redirect(link)
    return redirect("notifications")


@member_required
@require_POST
def notifications_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    marked = notifications.mark_all_read(acting_user=request.user)
    messages.success(
        request,
        _("%(n)d notifications marked read.") % {"n": marked}
        if marked != 1
        else _("One notification marked read."),
    )
    return redirect("notifications")


@member_required
@require_POST
def notice_email(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NoticeEmailForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose how notices reach you by e-mail."))
        services.set_notice_email(
            acting_user=request.user, notice_email=form.cleaned_data["notice_email"]
        )
    except ValidationError as exc:
        context = {
            "page": Paginator(notifications.notifications_of(request.user), PAGE_SIZE).get_page(1),
            "unread_only": False,
            "notice_form": form,
            "notice_error": " ".join(exc.messages),
        }
        return render(request, "ctnet/notifications.html", context, status=400)
    messages.success(request, _("Your e-mail preference is saved."))
    return redirect("notifications")
