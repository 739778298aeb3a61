"""Exchange pages: person records (added to a request, corrected or withdrawn by the
originator) and, for oversight, the name search and the trail of a record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.exchange import access, trail
from ctnet.exchange.forms import CorrectionForm, NameSearchForm, PersonForm
from ctnet.exchange.models import PersonRecord
from ctnet.exchange.services import people
from ctnet.exchange.views.common import sender_required, tracer_required
from ctnet.exchange.views.requests import request_page_with_error


@member_required
@sender_required
@require_POST
def request_person(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    obj = access.read_request(request.user, request_id)
    form = PersonForm(request.POST, prefix="person")
    try:
        if not form.is_valid():
            raise ValidationError(
                _("Check the person record: %(f)s.") % {"f": ", ".join(form.errors)}
            )
        people.attach_person(
            acting_user=request.user, material=obj, cleaned=people.clean_person(form.person_data())
        )
    except ValidationError as exc:
        return request_page_with_error(request, obj, exc)
    messages.success(request, _("Person record added."))
    return redirect("exchange-request", request_id=obj.pk)


@member_required
@tracer_required
@require_GET
def person_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NameSearchForm(request.GET or None)
    found: list[PersonRecord] = []
    status = 200
    if form.is_bound:
        if form.is_valid():
            found = trail.search_records(form.cleaned_data["name"])
            for record in found:
                trail.record_trail_view(acting_user=request.user, root_id=record.pk)
        else:
            status = 400
    context = {"form": form, "found": found}
    return render(request, "exchange/person_search.html", context, status=status)


@member_required
@tracer_required
@require_GET
def person_trail(request: AuthenticatedHttpRequest, record_id: int) -> HttpResponse:
    found = trail.person_trail(record_id)
    trail.record_trail_view(acting_user=request.user, root_id=found.root_id)
    return render(request, "exchange/trail.html", {"trail": found})


@member_required
@sender_required
@require_POST
def person_edit(request: AuthenticatedHttpRequest, record_id: int) -> HttpResponse:
    """The originator corrects or withdraws a person record; every copy follows."""
    record = access.access_person(request.user, record_id)
    back = (
        redirect("exchange-request", request_id=record.request_id)
        if record.request_id
        else redirect("exchange-bulletin", bulletin_id=record.bulletin_id)
    )
    try:
        if request.POST.get("action") == "withdraw":
            people.withdraw_person(
                acting_user=request.user,
                record=record,
                reason=request.POST.get("reason", "")[:500],
            )
            messages.success(request, _("Person record withdrawn from every copy."))
            return back
        form = CorrectionForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Check the legal status and the dates."))
        people.correct_person(acting_user=request.user, record=record, changes=form.cleaned_data)
        messages.success(request, _("Correction applied to every copy."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return back
