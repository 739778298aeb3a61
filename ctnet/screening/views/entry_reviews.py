"""Entries due for review: the owner's list of them, and marking one reviewed (DESIGN rule 3)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.screening import access
from ctnet.screening.forms import EntryReviewForm
from ctnet.screening.models import Watchlist
from ctnet.screening.services import entry_reviews
from ctnet.screening.views.common import PAGE_SIZE, screening_required


def _render_due(
    request: AuthenticatedHttpRequest,
    watchlist: Watchlist,
    *,
    form: EntryReviewForm | None = None,
    failed_entry: int | None = None,
    status: int = 200,
) -> HttpResponse:
    paged = access.due_entries(
        request.user,
        watchlist,
        window=access.Window.of_page(request.GET.get("page"), PAGE_SIZE),
    )
    context = {
        "w": watchlist,
        "page": paged.page,
        "count": paged.count,
        "today": timezone.localdate(),
        "form": form or EntryReviewForm(),
        "failed_entry": failed_entry,
    }
    return render(request, "screening/review_due.html", context, status=status)


@member_required
@screening_required
@require_GET
def due_page(request: AuthenticatedHttpRequest, watchlist_id: int) -> HttpResponse:
    return _render_due(request, access.access_owned_watchlist(request.user, watchlist_id))


@member_required
@screening_required
@require_POST
def entry_reviewed(request: AuthenticatedHttpRequest, entry_id: int) -> HttpResponse:
    entry = access.access_owned_entry(request.user, entry_id)
    form = EntryReviewForm(request.POST)
    if form.is_valid():
        try:
            entry = entry_reviews.mark_entry_reviewed(
                acting_user=request.user,
                entry=entry,
                review_date=form.cleaned_data["review_date"],
            )
        except ValidationError as exc:
            form.add_error("review_date", exc)
        else:
            messages.success(
                request,
                _("Entry %(ref)s reviewed: next review on %(date)s.")
                % {"ref": entry.ref, "date": entry.review_date},
            )
            return redirect("screening-review-due", watchlist_id=entry.watchlist_id)
    return _render_due(request, entry.watchlist, form=form, failed_entry=entry.pk, status=400)
