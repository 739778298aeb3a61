"""Hash pages: upload an image and see at once whether it matches a shared signal; banks (create,
open and close crisis banks, contribute); a signal with its governance (opinions, confirmation,
false-positive reports, removal); the transparency report.

Thin views: every write goes through ``services`` or ``governance``, which check the policy again
and audit. A bank or signal the user cannot see is 404; a role that may not act is 403; bad input
is 400 with the message on the form and nothing written."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet import ratelimits
from ctnet.core import ratelimit
from ctnet.core.decorators import member_required, require_role_check
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.models import User
from ctnet.hashes import access, governance, imports, matching, reports, services
from ctnet.hashes.forms import (
    BankForm,
    CloseCrisisForm,
    ContributeForm,
    CrisisForm,
    FalsePositiveForm,
    ImportForm,
    MarkingForm,
    RemoveForm,
)
from ctnet.hashes.models import (
    MATCHABLE_STATUSES,
    SHARED_STATUSES,
    Bank,
    CrisisState,
    Signal,
    SignalStatus,
)
from ctnet.hashes.policy import policy
from ctnet.hashes.uploads import UploadRefused, hash_upload

PAGE_SIZE = 50


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Image, video or file"))


class OpinionForm(forms.Form):
    agrees = forms.TypedChoiceField(
        label=gettext_lazy("Your opinion on the labels"),
        choices=[("1", gettext_lazy("I agree")), ("0", gettext_lazy("I disagree"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea)


class ConfirmForm(forms.Form):
    """No fields: the button, the CSRF token, and a place for the service's refusal."""


def _throttled(request: AuthenticatedHttpRequest, form: forms.Form, field: str) -> bool:
    """The API's per-person allowance of hashing calls holds for the pages too."""
    if ratelimit.authorize(ratelimits.HASH_QUERIES_PER_USER, str(request.user.pk)):
        return False
    form.add_error(field, _("Too many hashing or matching calls. Wait a minute and retry."))
    return True


def _match_upload(request: AuthenticatedHttpRequest, form: UploadForm) -> tuple[dict, int]:
    """Hash the upload and match every hash it gives; nothing of the file is kept.

    The picture is also matched as its seven rotated and mirrored copies (dihedral PDQ): a
    re-upload turned on its side or flipped is the cheapest way around a perceptual hash.
    """
    if _throttled(request, form, "file"):
        return {}, 429
    try:
        hashed = hash_upload(form.cleaned_data["file"], dihedral=True)
    except UploadRefused as exc:
        form.add_error("file", exc.message)
        return {}, exc.status
    queries = [("md5", hashed.hashes.md5), ("sha256", hashed.hashes.sha256)]
    if hashed.video is not None:
        queries.append(("vpdq", hashed.video.vpdq))
    if hashed.pdq_usable and hashed.hashes.pdq:
        queries.append(("pdq", hashed.hashes.pdq))
    variants_from = len(queries)
    queries += [("pdq", v) for v in hashed.pdq_variants]
    results = matching.match_hashes(request.user, queries)
    # One row per signal: its closest hash, whether only a turned copy matched, and for a
    # video the shares of frames that matched (query, banked).
    best: dict[int, tuple[Signal, int, str, bool, tuple[float, float] | None]] = {}
    for r in results:
        for signal, distance in r.matches:
            row = (
                signal,
                distance,
                r.signal_type,
                r.index >= variants_from,
                r.video.get(signal.pk),
            )
            if signal.pk not in best or (distance, row[3]) < (
                best[signal.pk][1],
                best[signal.pk][3],
            ):
                best[signal.pk] = row
    matches = sorted(best.values(), key=lambda m: (m[1], m[0].pk))
    return {"hashed": hashed, "matches": matches}, 200


@member_required
@require_role_check(policy.can_use_hashes)
@require_http_methods(["GET", "POST"])
def match_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    banks = list(access.visible_banks(request.user)[:50])
    shown = [(b.pk, b.tlp) for b in banks]
    access.record_reads(request.user, shown, object_type="hashes.bank", why="bank list")
    context: dict = {"form": form, "banks": banks}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result, status = _match_upload(request, form)
            context.update(result)
        else:
            status = 400
    return render(request, "hashes/match.html", context, status=status)


# --- Banks -----------------------------------------------------------------------------------


def _signal_counts(user: User, bank_ids: list[int]) -> dict[int, dict[str, int]]:
    """Signals per bank and status, among those the user may see (a count leaks nothing more)."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        access.visible_signals(user)
        .filter(bank_id__in=bank_ids)
        .values_list("bank_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for bank_id, status, n in rows:
        counts[bank_id][status] = n
    return counts


def _render_banks(
    request: AuthenticatedHttpRequest,
    *,
    form: BankForm | None = None,
    crisis_form: CrisisForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_create = policy.can_create_hash_bank(user)
    banks = access.visible_banks(user).select_related("originator").order_by("name", "id")
    page = Paginator(banks, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = _signal_counts(user, [b.pk for b in page])
    shown = [(b.pk, b.tlp) for b in page]
    access.record_reads(user, shown, object_type="hashes.bank", why="bank list")
    rows = [
        {
            "bank": bank,
            "shared": sum(counts[bank.pk].get(s, 0) for s in SHARED_STATUSES),
            "pending": counts[bank.pk].get(SignalStatus.PENDING, 0),
        }
        for bank in page
    ]
    context = {
        "page": page,
        "rows": rows,
        "form": form or (BankForm(user=request.user) if can_create else None),
        "crisis_form": crisis_form
        or (CrisisForm(prefix="crisis", user=request.user) if can_create else None),
    }
    return render(request, "hashes/banks.html", context, status=status)


@member_required
@require_role_check(policy.can_use_hashes)
@require_http_methods(["GET", "POST"])
def banks_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_banks(request)
    user = request.user
    if not policy.can_create_hash_bank(user):
        raise PermissionDenied
    form = BankForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            bank = services.create_bank(acting_user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Bank created. Contribute its first hashes below."))
            return redirect("hashes-bank", bank_id=bank.pk)
    return _render_banks(request, form=form, status=400)


@member_required
@require_role_check(policy.can_create_hash_bank)
@require_POST
def crisis_open(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CrisisForm(request.POST, prefix="crisis", user=request.user)
    if form.is_valid():
        try:
            bank = services.open_crisis_bank(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Crisis bank open: signals contributed to it are shared at once.")
            )
            return redirect("hashes-bank", bank_id=bank.pk)
    return _render_banks(request, crisis_form=form, status=400)


def _render_bank(
    request: AuthenticatedHttpRequest,
    bank: Bank,
    *,
    form: ContributeForm | None = None,
    close_form: CloseCrisisForm | None = None,
    marking_form: MarkingForm | None = None,
    import_form: ImportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_contribute = policy.can_contribute_hashes(user) and bank.is_open
    can_close = policy.can_manage_hash_bank(user, bank) and bank.crisis_state == CrisisState.OPEN
    signals = (
        access.visible_signals(user)
        .filter(bank=bank)
        .select_related("contributor")
        .defer("full_value")  # a video's frames: shown on its own page, not in the list
        .order_by("-id")
    )
    page = Paginator(signals, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = [(s.pk, bank.tlp) for s in page.object_list]
    access.record_reads(user, shown, object_type="hashes.signal", why="bank page")
    context: dict[str, Any] = {
        "bank": bank,
        "recipients": bank.recipient_orgs.order_by("code"),
        "time_left": governance.crisis_time_left(bank),
        "page": page,
        "form": form or (ContributeForm() if can_contribute else None),
        "import_form": import_form or (ImportForm(prefix="import") if can_contribute else None),
        "close_form": close_form or (CloseCrisisForm(prefix="close") if can_close else None),
        "marking_form": marking_form
        or MarkingForm(prefix="marking", initial={"tlp": bank.tlp, "handling": bank.handling}),
    }
    return render(request, "hashes/bank.html", context, status=status)


@member_required
@require_role_check(policy.can_use_hashes)
@require_GET
def bank_page(request: AuthenticatedHttpRequest, bank_id: int) -> HttpResponse:
    return _render_bank(request, access.access_bank(request.user, bank_id))


@member_required
@require_role_check(policy.can_contribute_hashes)
@require_POST
def bank_contribute(request: AuthenticatedHttpRequest, bank_id: int) -> HttpResponse:
    """Contribute a pasted hash, or the hash of an upload: its PDQ when usable, else its SHA-256.
    The file is read in the request and dropped; only the hash is written."""
    user = request.user
    bank = access.access_bank(user, bank_id)
    form = ContributeForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_bank(request, bank, form=form, status=400)
    data = dict(form.cleaned_data)
    upload = data.pop("file")
    warning = ""
    if upload:
        if _throttled(request, form, "file"):
            return _render_bank(request, bank, form=form, status=429)
        try:
            hashed = hash_upload(upload)
        except UploadRefused as exc:
            form.add_error("file", exc.message)
            return _render_bank(request, bank, form=form, status=exc.status)
        if hashed.video is not None:
            data.update(signal_type="vpdq", value=hashed.video.vpdq)
        elif hashed.pdq_usable:
            data.update(signal_type="pdq", value=hashed.hashes.pdq, quality=hashed.hashes.quality)
        else:
            data.update(signal_type="sha256", value=hashed.hashes.sha256)
            warning = hashed.pdq_message
    try:
        signal = services.contribute_signal(acting_user=user, bank=bank, **data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render_bank(request, bank, form=form, status=400)
    if warning:
        messages.warning(request, warning)
    kind = {"pdq": "PDQ", "vpdq": "vPDQ", "sha256": "SHA-256", "md5": "MD5"}[signal.signal_type]
    if signal.status == SignalStatus.PENDING:
        text = _("%(type)s hash contributed. It is shared once another organisation confirms it.")
    else:
        text = _("%(type)s hash contributed and shared.")
    messages.success(request, text % {"type": kind})
    return redirect("hashes-signal", signal_id=signal.pk)


@member_required
@require_role_check(policy.can_contribute_hashes)
@require_POST
def bank_import(request: AuthenticatedHttpRequest, bank_id: int) -> HttpResponse:
    """Every hash of a threatexchange or HMA export into the bank, or none (errors by line)."""
    bank = access.access_bank(request.user, bank_id)
    form = ImportForm(request.POST, request.FILES, prefix="import")
    if not form.is_valid():
        return _render_bank(request, bank, import_form=form, status=400)
    data = dict(form.cleaned_data)
    upload = data.pop("file")
    if upload.size > imports.MAX_IMPORT_BYTES:
        form.add_error("file", _("The file is too large."))
        return _render_bank(request, bank, import_form=form, status=413)
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        form.add_error("file", _("The file is not UTF-8 text."))
        return _render_bank(request, bank, import_form=form, status=400)
    try:
        signals = imports.import_signals(acting_user=request.user, bank=bank, text=text, **data)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _render_bank(request, bank, import_form=form, status=400)
    text = ngettext("%(n)d hash imported.", "%(n)d hashes imported.", len(signals)) % {
        "n": len(signals)
    }
    messages.success(request, text)
    return redirect("hashes-bank", bank_id=bank.pk)


@member_required
@require_role_check(policy.can_use_hashes)
@require_POST
def bank_close(request: AuthenticatedHttpRequest, bank_id: int) -> HttpResponse:
    user = request.user
    bank = access.access_bank(user, bank_id)
    if not policy.can_manage_hash_bank(user, bank):
        raise PermissionDenied
    form = CloseCrisisForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            governance.close_crisis_bank(acting_user=user, bank=bank, end=form.cleaned_data["end"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The crisis bank is closed."))
            return redirect("hashes-bank", bank_id=bank.pk)
    return _render_bank(request, bank, close_form=form, status=400)


@member_required
@require_role_check(policy.can_use_hashes)
@require_POST
def bank_marking(request: AuthenticatedHttpRequest, bank_id: int) -> HttpResponse:
    bank = access.access_bank(request.user, bank_id)
    form = MarkingForm(request.POST, prefix="marking")
    if form.is_valid():
        try:
            services.change_bank_marking(acting_user=request.user, bank=bank, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Marking changed."))
            return redirect("hashes-bank", bank_id=bank.pk)
    return _render_bank(request, bank, marking_form=form, status=400)


# --- Signals ---------------------------------------------------------------------------------


@member_required
@require_role_check(policy.can_use_hashes)
@require_GET
def signal_detail(request: AuthenticatedHttpRequest, signal_id: int) -> HttpResponse:
    signal = access.access_signal(request.user, signal_id)
    return _render_signal(request, signal)


def _render_signal(
    request: AuthenticatedHttpRequest,
    signal: Signal,
    *,
    form: OpinionForm | None = None,
    confirm_form: ConfirmForm | None = None,
    fp_form: FalsePositiveForm | None = None,
    remove_form: RemoveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    org_id = request.membership.organisation_id
    confirmations = list(signal.confirmations.select_related("organisation"))
    live = signal.status in MATCHABLE_STATUSES
    confirmed = any(c.organisation_id == org_id for c in confirmations)
    reported = org_id is not None and signal.fp_reports.filter(organisation_id=org_id).exists()
    can_confirm = live and not confirmed and policy.can_confirm_signal(user, signal)
    can_report = live and not reported and policy.can_contribute_hashes(user)
    can_remove = signal.status != SignalStatus.REMOVED and policy.can_remove_signal(user, signal)
    context = {
        "signal": signal,
        "confirmations": confirmations,
        "opinions": signal.opinions.select_related("organisation"),
        "fp_count": signal.fp_reports.count(),
        "confirmed": confirmed,
        "reported": reported,
        "form": form or OpinionForm(),
        "confirm_form": confirm_form or (ConfirmForm() if can_confirm else None),
        "fp_form": fp_form or (FalsePositiveForm(prefix="fp") if can_report else None),
        "remove_form": remove_form or (RemoveForm(prefix="remove") if can_remove else None),
    }
    return render(request, "hashes/signal.html", context, status=status)


def _after_signal_change(request: AuthenticatedHttpRequest, signal: Signal) -> HttpResponse:
    """Back to the signal, or to its bank when the change hid it from the user (a signal
    disabled or removed stays visible to its contributor only)."""
    if access.visible_signals(request.user).filter(pk=signal.pk).exists():
        return redirect("hashes-signal", signal_id=signal.pk)
    return redirect("hashes-bank", bank_id=signal.bank_id)


@member_required
@require_role_check(policy.can_give_hash_opinion)
@require_POST
def signal_opinion(request: AuthenticatedHttpRequest, signal_id: int) -> HttpResponse:
    signal = access.access_signal(request.user, signal_id)
    form = OpinionForm(request.POST)
    if not form.is_valid():
        return _render_signal(request, signal, form=form, status=400)
    try:
        governance.give_label_opinion(
            acting_user=request.user,
            signal=signal,
            agrees=form.cleaned_data["agrees"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render_signal(request, signal, form=form, status=400)
    return redirect("hashes-signal", signal_id=signal.pk)


@member_required
@require_role_check(policy.can_contribute_hashes)
@require_POST
def signal_confirm(request: AuthenticatedHttpRequest, signal_id: int) -> HttpResponse:
    user = request.user
    signal = access.access_signal(user, signal_id)
    if not policy.can_confirm_signal(user, signal):
        raise PermissionDenied
    form = ConfirmForm(request.POST)
    try:
        signal = services.confirm_signal(acting_user=user, signal=signal)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render_signal(request, signal, confirm_form=form, status=400)
    messages.success(request, _("Your organisation confirmed this signal."))
    return redirect("hashes-signal", signal_id=signal.pk)


@member_required
@require_role_check(policy.can_contribute_hashes)
@require_POST
def signal_false_positive(request: AuthenticatedHttpRequest, signal_id: int) -> HttpResponse:
    user = request.user
    signal = access.access_signal(user, signal_id)
    form = FalsePositiveForm(request.POST, prefix="fp")
    if form.is_valid():
        try:
            signal = governance.report_false_positive(
                acting_user=user, signal=signal, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("False positive reported: the signal's trust is lowered."))
            return _after_signal_change(request, signal)
    return _render_signal(request, signal, fp_form=form, status=400)


@member_required
@require_role_check(policy.can_contribute_hashes)
@require_POST
def signal_remove(request: AuthenticatedHttpRequest, signal_id: int) -> HttpResponse:
    user = request.user
    signal = access.access_signal(user, signal_id)
    if not policy.can_remove_signal(user, signal):
        raise PermissionDenied
    form = RemoveForm(request.POST, prefix="remove")
    if form.is_valid():
        try:
            signal = services.remove_signal(
                acting_user=user, signal=signal, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Signal removed: platforms drop it from their index."))
            return _after_signal_change(request, signal)
    return _render_signal(request, signal, remove_form=form, status=400)


# --- Transparency ----------------------------------------------------------------------------


@member_required
@require_GET
def transparency_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.can_see_hash_transparency(request.user):
        raise PermissionDenied
    try:
        days = min(max(int(request.GET.get("days", "30")), 1), 366)
    except ValueError:
        days = 30
    end = timezone.now()
    report = reports.transparency_report(request.user, end - timedelta(days=days), end)
    can_use = policy.can_use_hashes(request.user)
    context = {"report": report, "days": days, "can_use_hashes": can_use}
    return render(request, "hashes/transparency.html", context)
