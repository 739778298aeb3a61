"""Screening pages: screen a passenger list or one traveller, the run and its possible matches,
the review queue and the four-eyes review of one hit, watchlists with their imports and entries,
notices to list owners.

Views are thin: they parse forms, fetch through ``access`` (404 for what is missing or not
theirs, 403 for a wrong role) and write through ``screen``, ``review`` and ``services``. What a
traveller typed or uploaded is held in memory for the request only: the bad rows of a passenger
list are rendered in the answer to the upload, never put in the session or a message.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet.core.decorators import member_required, require_role_check
from ctnet.core.models import User
from ctnet.screening import access, review, services
from ctnet.screening.convert import dob_from_json, dob_label
from ctnet.screening.engine.model import BadRow, Traveller
from ctnet.screening.forms import (
    CheckForm,
    DecisionForm,
    EntryFilterForm,
    HitFilterForm,
    ImportForm,
    SecondReviewForm,
    UploadForm,
    WatchlistForm,
)
from ctnet.screening.models import (
    Channel,
    Entry,
    EntryStatus,
    Hit,
    HitStatus,
    ScreeningRun,
    Watchlist,
)
from ctnet.screening.policy import policy
from ctnet.screening.presenters import entry_dict, hit_dict
from ctnet.screening.reports import screening_stats
from ctnet.screening.screen import RateLimited, RunResult, screen_travellers
from ctnet.screening.uploads import (
    InMemoryUploads,
    UploadRefused,
    read_passenger_list,
    too_large,
)

PAGE_SIZE = 30
ENTRIES_PAGE_SIZE = 50
# The run page lists the best possible matches; the rest are in the queue, filtered by run.
RUN_HITS_SHOWN = 50
# What the queue shows unless asked otherwise: what still needs a person.
OPEN_STATUSES = (HitStatus.OPEN, HitStatus.PROPOSED)

screening_required = require_role_check(policy.can_screen)

_NAME_KINDS = {
    "primary": gettext_lazy("listed name"),
    "strong_alias": gettext_lazy("strong alias"),
    "weak_alias": gettext_lazy("weak alias (nickname)"),
    "original_script": gettext_lazy("original script"),
}
_FIELD_LABELS = {
    "names": gettext_lazy("names"),
    "dobs": gettext_lazy("dates of birth"),
    "places_of_birth": gettext_lazy("places of birth"),
    "nationalities": gettext_lazy("nationalities"),
    "documents": gettext_lazy("documents"),
    "gender": gettext_lazy("gender"),
    "entity_type": gettext_lazy("kind"),
    "listed_on": gettext_lazy("listed on"),
    "reason": gettext_lazy("reason for listing"),
}
_FLIGHT_LABELS = {
    "carrier": gettext_lazy("Carrier"),
    "flight_number": gettext_lazy("Flight"),
    "departure_airport": gettext_lazy("Departure airport"),
    "arrival_airport": gettext_lazy("Arrival airport"),
    "departure_time": gettext_lazy("Departure"),
    "arrival_time": gettext_lazy("Arrival"),
    "reference": gettext_lazy("Message reference"),
    "list_kind": gettext_lazy("List"),
    "sender": gettext_lazy("Sent by"),
    "recipient": gettext_lazy("Sent to"),
}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _org_id(request: HttpRequest) -> int:
    return int(_user(request).active_membership.organisation_id)  # type: ignore[union-attr]


# --- Presenting entries ----------------------------------------------------------------------


def _flight_facts(flight: dict[str, Any]) -> list[tuple[str, Any]]:
    """The flight facts of a PAXLST message, labelled, in a fixed order (no person in them)."""
    known = [(str(label), flight[key]) for key, label in _FLIGHT_LABELS.items() if key in flight]
    return known + sorted((k, v) for k, v in flight.items() if k not in _FLIGHT_LABELS)


def _entry_facts(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry's names, dates, places and documents as a reviewer reads them."""
    places = [
        ", ".join(p for p in (pl.get("city"), pl.get("state_province"), pl.get("country")) if p)
        for pl in entry.get("places_of_birth", [])
    ]
    return {
        "names": [
            {
                "text": n["text"],
                "kind": _NAME_KINDS.get(n["kind"], n["kind"]),
                "original": n["kind"] == "original_script",
            }
            for n in entry.get("names", [])
        ],
        "dobs": [dob_label(dob_from_json(d)) for d in entry.get("dobs", [])],
        "places": [p for p in places if p],
        "documents": [
            " ".join(x for x in (d.get("type"), d.get("number"), d.get("country")) if x)
            for d in entry.get("documents", [])
        ],
    }


def _hit_view(hit: Hit, user: User) -> dict[str, Any]:
    data = hit_dict(hit, user)
    data["status_label"] = hit.get_status_display()
    data["watchlist_name"] = hit.entry.watchlist.name
    data["owner"] = hit.entry.watchlist.originator.code
    data["legal_status_label"] = hit.entry.get_legal_status_display()
    data["facts"] = _entry_facts(data["entry"]) if data["entry_details_visible"] else None
    return data


# --- Dashboard: screen a passenger list or one traveller -------------------------------------


def _dashboard_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    user = _user(request)
    counts = access.visible_hits(user).aggregate(
        open=Count("pk", filter=Q(status=HitStatus.OPEN)),
        proposed=Count("pk", filter=Q(status=HitStatus.PROPOSED)),
    )
    context = {
        "upload_form": UploadForm(prefix="upload"),
        "check_form": CheckForm(prefix="check"),
        "counts": counts,
        "lists_count": access.visible_watchlists(user).filter(is_active=True).count(),
        "runs": access.visible_runs(user)[:10],
        "max_mb": max(1, settings.SCREENING_MAX_UPLOAD_BYTES // (1024 * 1024)),
    }
    context.update(extra)
    return context


def _render_dashboard(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    context = _dashboard_context(request, **extra)
    return render(request, "screening/dashboard.html", context, status=status)


def _screen(
    request: HttpRequest, form: Any, travellers: list[Traveller], **kwargs: Any
) -> tuple[RunResult | None, int]:
    try:
        result = screen_travellers(acting_user=_user(request), travellers=travellers, **kwargs)
    except RateLimited:
        form.add_error(
            None, _("You have screened your hourly allowance of travellers. Try again later.")
        )
        return None, 429
    except ValidationError as exc:
        form.add_error(None, exc)
        return None, 400
    return result, 200


def _upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES, prefix="upload")
    if not form.is_valid():
        return _render_dashboard(request, 400, upload_form=form)
    upload = form.cleaned_data["file"]
    try:
        passengers = read_passenger_list(upload.read(), upload.name or "")
    except UploadRefused as exc:
        form.add_error("file", exc.message)
        return _render_dashboard(request, exc.status, upload_form=form)
    if not passengers.travellers:
        form.add_error("file", _("No traveller could be read."))
        return _render_dashboard(request, 400, upload_form=form, bad=passengers.bad)
    result, status = _screen(
        request,
        form,
        passengers.travellers,
        channel=passengers.channel,
        purpose=form.cleaned_data["purpose"],
        flight=passengers.flight,
        bad=passengers.bad,
        source_name=upload.name or "",
    )
    if result is None:
        return _render_dashboard(request, status, upload_form=form)
    if result.bad:
        # The bad rows are not kept anywhere: this answer is the only place they are shown.
        return _render_run(request, result.run, result.bad)
    return redirect("screening-run", run_id=result.run.pk)


def _check(request: HttpRequest) -> HttpResponse:
    form = CheckForm(request.POST, prefix="check")
    if not form.is_valid():
        return _render_dashboard(request, 400, check_form=form)
    result, status = _screen(
        request,
        form,
        [form.traveller()],
        channel=Channel.PAGE,
        purpose=form.cleaned_data["purpose"],
    )
    if result is None:
        return _render_dashboard(request, status, check_form=form)
    return redirect("screening-run", run_id=result.run.pk)


@csrf_protect
def _dashboard_checked(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_dashboard(request)
    if request.POST.get("action") == "check":
        return _check(request)
    return _upload(request)


# CSRF is checked by ``csrf_protect`` above, once the in-memory upload handler is in place (the
# middleware would parse the upload before the view could choose where it goes).
@csrf_exempt
@member_required
@screening_required
@require_http_methods(["GET", "POST"])
def dashboard(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if too_large(request):
            # Refused before a byte of it is read: nothing was screened, nothing written.
            message = _("The passenger list is larger than %(max)d MB.") % {
                "max": max(1, settings.SCREENING_MAX_UPLOAD_BYTES // (1024 * 1024))
            }
            return _render_dashboard(request, 413, upload_error=message)
        request.upload_handlers = [InMemoryUploads(request)]
    return _dashboard_checked(request)


# --- A run and its possible matches ----------------------------------------------------------


def _render_run(
    request: HttpRequest, run: ScreeningRun, bad: list[BadRow] | None = None
) -> HttpResponse:
    user = _user(request)
    hits = (
        access.visible_hits(user)
        .filter(run=run)
        .select_related("entry__watchlist__originator", "proposed_by")
    )
    listed = list(hits[:RUN_HITS_SHOWN])
    access.record_hits_read(user, listed)
    shown = [_hit_view(h, user) for h in listed]
    context = {
        "run": run,
        "hits": shown,
        "more": max(0, run.possible_matches - len(shown)),
        "flight": _flight_facts(run.flight),
        "watchlists": run.watchlists.all(),
        "bad": bad,
    }
    return render(request, "screening/run.html", context)


@member_required
@screening_required
@require_GET
def run_page(request: HttpRequest, run_id: int) -> HttpResponse:
    return _render_run(request, access.access_run(_user(request), run_id))


# --- The review queue and one hit ------------------------------------------------------------


@member_required
@screening_required
@require_GET
def hits_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = HitFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "ctnet/error.html", {"message": _("Unknown status.")}, status=400)
    status = form.cleaned_data["status"]
    hits = access.visible_hits(user).select_related("entry__watchlist__originator", "proposed_by")
    if status == "":
        hits = hits.filter(status__in=OPEN_STATUSES)
    elif status != "all":
        hits = hits.filter(status=status)
    run_id = request.GET.get("run", "")
    if run_id.isdigit():
        hits = hits.filter(run_id=int(run_id))
    page = Paginator(hits.order_by("-score", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    access.record_hits_read(user, list(page.object_list))
    context = {
        "form": form,
        "page": page,
        "rows": [_hit_view(h, user) for h in page.object_list],
        "run_id": run_id if run_id.isdigit() else "",
    }
    return render(request, "screening/hits.html", context)


def _render_hit(
    request: HttpRequest,
    hit: Hit,
    *,
    decision_form: DecisionForm | None = None,
    second_form: SecondReviewForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    context = {
        "hit": hit,
        "h": _hit_view(hit, user),
        "trail": hit.reviews.select_related("user"),
        "can_decide": hit.status in review.DECIDABLE and policy.can_review_hit(user, hit),
        "is_proposed": hit.status == HitStatus.PROPOSED,
        "can_second": hit.status == HitStatus.PROPOSED and policy.can_second_review(user, hit),
        "decision_form": decision_form or DecisionForm(),
        "second_form": second_form or SecondReviewForm(),
        "error": error,
    }
    return render(request, "screening/hit.html", context, status=status)


@member_required
@screening_required
@require_GET
def hit_page(request: HttpRequest, hit_id: int) -> HttpResponse:
    return _render_hit(request, access.access_hit(_user(request), hit_id))


@member_required
@screening_required
@require_POST
def hit_decide(request: HttpRequest, hit_id: int) -> HttpResponse:
    hit = access.access_hit(_user(request), hit_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _render_hit(request, hit, decision_form=form, status=400)
    try:
        review.decide(acting_user=_user(request), hit=hit, **form.cleaned_data)
    except review.WrongState as exc:
        return _render_hit(request, hit, error=exc.message, status=409)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render_hit(request, hit, decision_form=form, status=400)
    messages.success(request, _("Your decision is recorded."))
    return redirect("screening-hit", hit_id=hit.pk)


@member_required
@screening_required
@require_POST
def hit_second_review(request: HttpRequest, hit_id: int) -> HttpResponse:
    hit = access.access_hit(_user(request), hit_id)
    form = SecondReviewForm(request.POST)
    if not form.is_valid():
        return _render_hit(request, hit, second_form=form, status=400)
    try:
        # A proposer approving their own confirmation is refused here (403).
        review.second_review(acting_user=_user(request), hit=hit, **form.cleaned_data)
    except review.WrongState as exc:
        return _render_hit(request, hit, error=exc.message, status=409)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render_hit(request, hit, second_form=form, status=400)
    messages.success(request, _("Your review is recorded."))
    return redirect("screening-hit", hit_id=hit.pk)


# --- Watchlists ------------------------------------------------------------------------------


def _entry_counts(watchlist_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {pk: {} for pk in watchlist_ids}
    rows = (
        Entry.objects.filter(watchlist_id__in=watchlist_ids)
        .values_list("watchlist_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for watchlist_id, status, n in rows:
        counts[watchlist_id][status] = n
    return counts


@member_required
@screening_required
@require_http_methods(["GET", "POST"])
def watchlists_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    can_create = policy.can_create_watchlist(user)
    form = WatchlistForm(request.POST or None) if can_create else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                watchlist = services.create_watchlist(acting_user=user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Watchlist created. Import its entries now."))
                return redirect("screening-watchlist", watchlist_id=watchlist.pk)
        status = 400
    lists = access.visible_watchlists(user).select_related("originator").order_by("name", "id")
    page = Paginator(lists, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = _entry_counts([w.pk for w in page])
    rows = [
        {
            "w": w,
            "active": counts[w.pk].get(EntryStatus.ACTIVE, 0),
            "delisted": counts[w.pk].get(EntryStatus.DELISTED, 0),
        }
        for w in page
    ]
    context = {"page": page, "rows": rows, "form": form}
    return render(request, "screening/watchlists.html", context, status=status)


def _render_watchlist(
    request: HttpRequest,
    watchlist: Watchlist,
    *,
    import_form: ImportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    can_manage = policy.can_manage_watchlist(user, watchlist)
    can_see = policy.can_see_entries(user, watchlist)
    counts = _entry_counts([watchlist.pk])[watchlist.pk]
    context: dict[str, Any] = {
        "w": watchlist,
        "active": counts.get(EntryStatus.ACTIVE, 0),
        "delisted": counts.get(EntryStatus.DELISTED, 0),
        "recipients": watchlist.recipient_orgs.order_by("code"),
        "can_manage": can_manage,
        "can_see": can_see,
        "import_form": (import_form or ImportForm()) if can_manage else None,
        "max_mb": max(1, settings.SCREENING_MAX_WATCHLIST_BYTES // (1024 * 1024)),
    }
    if can_see:
        # The change reports name entries: shown where the entries are.
        context["imports"] = [
            {
                "job": job,
                "changed": [
                    (ref, [_FIELD_LABELS.get(f, f) for f in fields])
                    for ref, fields in sorted(job.report.get("changed", {}).items())
                ],
            }
            for job in watchlist.imports.select_related("imported_by")[:10]
        ]
        filters = EntryFilterForm(request.GET)
        entries = access.entries_of(user, watchlist).only(
            "pk", "watchlist_id", "ref", "primary_name", "status", "legal_status"
        )
        if filters.is_valid():
            q = filters.cleaned_data["q"].strip()
            if q:
                entries = entries.filter(Q(primary_name__icontains=q) | Q(ref__iexact=q))
            if filters.cleaned_data["status"]:
                entries = entries.filter(status=filters.cleaned_data["status"])
        context["filters"] = filters
        context["page"] = Paginator(entries.order_by("ref"), ENTRIES_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        access.record_entries_read(user, watchlist, [e.pk for e in context["page"].object_list])
    return render(request, "screening/watchlist.html", context, status=status)


@member_required
@screening_required
@require_GET
def watchlist_page(request: HttpRequest, watchlist_id: int) -> HttpResponse:
    return _render_watchlist(request, access.access_watchlist(_user(request), watchlist_id))


@member_required
@screening_required
@require_POST
def watchlist_import(request: HttpRequest, watchlist_id: int) -> HttpResponse:
    user = _user(request)
    watchlist = access.access_watchlist(user, watchlist_id)
    if not policy.can_manage_watchlist(user, watchlist):
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_watchlist(request, watchlist, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        job = services.import_watchlist(
            acting_user=user, watchlist=watchlist, data=upload.read(), file_name=upload.name or ""
        )
    except ValidationError as exc:
        form.add_error("file", exc)
        return _render_watchlist(request, watchlist, import_form=form, status=400)
    messages.success(
        request,
        _(
            "Imported: %(added)d added, %(changed)d changed, %(delisted)d de-listed, "
            "%(relisted)d listed again, %(unchanged)d unchanged."
        )
        % {
            "added": job.added,
            "changed": job.changed,
            "delisted": job.delisted,
            "relisted": job.relisted,
            "unchanged": job.unchanged,
        },
    )
    return redirect("screening-watchlist", watchlist_id=watchlist.pk)


@member_required
@screening_required
@require_POST
def watchlist_active(request: HttpRequest, watchlist_id: int) -> HttpResponse:
    user = _user(request)
    watchlist = access.access_watchlist(user, watchlist_id)
    active = request.POST.get("active") == "1"
    services.set_watchlist_active(acting_user=user, watchlist=watchlist, active=active)
    messages.success(
        request,
        _("The list is screened again.") if active else _("The list is suspended from screening."),
    )
    return redirect("screening-watchlist", watchlist_id=watchlist.pk)


@member_required
@screening_required
@require_GET
def entry_page(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = access.access_entry(_user(request), entry_id)
    data = entry_dict(entry)
    context = {"entry": entry, "e": data, "facts": _entry_facts(data)}
    return render(request, "screening/entry.html", context)


# --- Notices to list owners ------------------------------------------------------------------


@member_required
@screening_required
@require_GET
def notices_page(request: HttpRequest) -> HttpResponse:
    org_id = _org_id(request)
    notices = access.visible_notices(_user(request)).select_related(
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
def notice_page(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = access.access_notice(_user(request), notice_id)
    context = {
        "n": notice,
        "is_owner": notice.owner_id == _org_id(request),
        "flight": _flight_facts(notice.flight),
    }
    return render(request, "screening/notice.html", context)


@member_required
@screening_required
@require_POST
def notice_acknowledge(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = access.access_notice(_user(request), notice_id)
    try:
        review.acknowledge_notice(acting_user=_user(request), notice=notice)
    except review.WrongState as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Notice acknowledged."))
    return redirect("screening-notices")


# --- Counts for transparency -----------------------------------------------------------------


@member_required
@require_role_check(policy.can_see_screening_stats)
@require_GET
def stats_page(request: HttpRequest) -> HttpResponse:
    stats = screening_stats(_user(request))
    labels = dict(HitStatus.choices)
    stats["statuses"] = [(labels.get(k, k), n) for k, n in sorted(stats["hits_by_status"].items())]
    return render(request, "screening/stats.html", {"stats": stats})
