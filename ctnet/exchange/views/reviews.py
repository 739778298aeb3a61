"""Person records due for review: the originating organisation's list, and marking one reviewed
(DESIGN.md rule 3: the review date acts)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.exchange import access
from ctnet.exchange.forms import PersonReviewForm
from ctnet.exchange.services import people
from ctnet.exchange.views.common import PAGE_SIZE, reviewer_required


def _render_due(
    request: AuthenticatedHttpRequest,
    *,
    form: PersonReviewForm | None = None,
    failed_record: int | None = None,
    status: int = 200,
) -> HttpResponse:
    page = Paginator(access.due_people(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    access.record_due_read(request.user, list(page))
    context = {
        "page": page,
        "today": timezone.localdate(),
        "form": form or PersonReviewForm(),
        "failed_record": failed_record,
    }
    return render(request, "exchange/people_due.html", context, status=status)


@member_required
@reviewer_required
@require_GET
def people_due(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _render_due(request)


@member_required
@reviewer_required
@require_POST
def person_reviewed(request: AuthenticatedHttpRequest, record_id: int) -> HttpResponse:
    # A reader who is not the originator sees the record, so the service's refusal is a 403
    # (as for a correction); a record the user may not see is a 404.
    record = access.access_person(request.user, record_id)
    form = PersonReviewForm(request.POST)
    if form.is_valid():
        try:
            record = people.mark_person_reviewed(
                acting_user=request.user,
                record=record,
                review_date=form.cleaned_data["review_date"],
                legal_status=form.cleaned_data["legal_status"] or None,
            )
        except ValidationError as exc:
            form.add_error("review_date", exc)
        else:
            messages.success(
                request,
                _("Person record #%(id)d reviewed: next review on %(date)s.")
                % {"id": record.pk, "date": record.review_date.isoformat()},
            )
            return redirect("exchange-people-due")
    return _render_due(request, form=form, failed_record=record.pk, status=400)
