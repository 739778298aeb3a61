"""The organisation picker's type-ahead endpoint: the options matching what was typed, as an
HTML fragment for the listbox (``core/picker.py`` has the rules, ``picker.js`` the keyboard).

No rate limit: a keystroke costs one SELECT of the scope's organisations (about 250 small
rows) and the answer is bounded, and a token bucket would add a write to every keystroke."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ctnet.core import picker
from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.policy import policy


class PickerQuery(forms.Form):
    q = forms.CharField(max_length=100, strip=True)
    scope = forms.ChoiceField(choices=[(s, s) for s in picker.SCOPES])
    value = forms.ChoiceField(choices=[(v, v) for v in picker.VALUE_FIELDS], required=False)
    groups = forms.BooleanField(required=False)
    # The listbox's element id: the options' ids are made from it (aria-activedescendant).
    listbox = forms.RegexField(regex=r"^[A-Za-z][\w-]{0,79}$", required=False)


@never_cache
@member_required
@require_GET
def organisation_picker(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.can_address_organisations(request.user):
        raise PermissionDenied
    form = PickerQuery(request.GET)
    if not form.is_valid():
        problems = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in form.errors.items())
        message = _("Bad picker query (%(problems)s).") % {"problems": problems}
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    data = form.cleaned_data
    options, more = picker.picker_options(
        request.user,
        scope=data["scope"],
        query=data["q"],
        groups=data["groups"],
        value_field=data["value"] or "pk",
    )
    context = {"options": options, "more": more, "listbox": data["listbox"] or "picker"}
    return render(request, "ctnet/picker_options.html", context)
