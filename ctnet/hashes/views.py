"""Hash pages: upload an image and see at once whether it matches a shared signal; banks;
signal detail with opinions; the transparency report."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet.core.decorators import member_required, require_role_check
from ctnet.core.policy import policy
from ctnet.hashes import access, governance, matching, reports
from ctnet.hashes.models import Signal
from ctnet.hashes.uploads import UploadRefused, hash_upload


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Image or file"))


class OpinionForm(forms.Form):
    agrees = forms.TypedChoiceField(
        label=gettext_lazy("Your opinion on the labels"),
        choices=[("1", gettext_lazy("I agree")), ("0", gettext_lazy("I disagree"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea)


def _match_upload(request: HttpRequest, form: UploadForm) -> tuple[dict, int]:
    """Hash the upload and match every hash it gives; nothing of the file is kept."""
    try:
        hashed = hash_upload(form.cleaned_data["file"])
    except UploadRefused as exc:
        form.add_error("file", exc.message)
        return {}, exc.status
    queries = [("md5", hashed.hashes.md5), ("sha256", hashed.hashes.sha256)]
    if hashed.pdq_usable and hashed.hashes.pdq:
        queries.append(("pdq", hashed.hashes.pdq))
    results = matching.match_hashes(request.user, queries)
    matches = [(s, d, r.signal_type) for r in results for s, d in r.matches]
    return {"hashed": hashed, "matches": matches}, 200


@member_required
@require_role_check(policy.can_use_hashes)
@require_http_methods(["GET", "POST"])
def match_page(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form, "banks": access.visible_banks(request.user)[:50]}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result, status = _match_upload(request, form)
            context.update(result)
        else:
            status = 400
    return render(request, "hashes/match.html", context, status=status)


@member_required
@require_role_check(policy.can_use_hashes)
@require_GET
def signal_detail(request: HttpRequest, signal_id: int) -> HttpResponse:
    signal = access.access_signal(request.user, signal_id)
    return _render_signal(request, signal, OpinionForm(), 200)


def _render_signal(
    request: HttpRequest, signal: Signal, form: OpinionForm, status: int
) -> HttpResponse:
    context = {
        "signal": signal,
        "confirmations": signal.confirmations.select_related("organisation"),
        "opinions": signal.opinions.select_related("organisation"),
        "form": form,
    }
    return render(request, "hashes/signal.html", context, status=status)


@member_required
@require_role_check(policy.can_give_hash_opinion)
@require_POST
def signal_opinion(request: HttpRequest, signal_id: int) -> HttpResponse:
    signal = access.access_signal(request.user, signal_id)
    form = OpinionForm(request.POST)
    if not form.is_valid():
        return _render_signal(request, signal, form, 400)
    try:
        governance.give_label_opinion(
            acting_user=request.user,  # type: ignore[arg-type]
            signal=signal,
            agrees=form.cleaned_data["agrees"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render_signal(request, signal, form, 400)
    return redirect("hashes-signal", signal_id=signal.pk)


@member_required
@require_GET
def transparency_page(request: HttpRequest) -> HttpResponse:
    if not policy.can_see_hash_transparency(request.user):
        raise PermissionDenied
    try:
        days = min(max(int(request.GET.get("days", "30")), 1), 366)
    except ValueError:
        days = 30
    end = timezone.now()
    report = reports.transparency_report(request.user, end - timedelta(days=days), end)
    return render(request, "hashes/transparency.html", {"report": report, "days": days})
