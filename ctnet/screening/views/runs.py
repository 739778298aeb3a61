"""Screen a passenger list or one traveller (the dashboard), and a run with its possible matches."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.screening import access
from ctnet.screening.engine.model import BadRow, Traveller
from ctnet.screening.forms import CheckForm, UploadForm
from ctnet.screening.models import Channel, HitStatus, ScreeningRun
from ctnet.screening.presenters import flight_facts
from ctnet.screening.review_presenters import review_hit_view
from ctnet.screening.services.runs import RateLimited, RunResult, screen_travellers
from ctnet.screening.uploads import InMemoryUploads, UploadRefused, read_passenger_list, too_large
from ctnet.screening.views.common import screening_required

# The run page lists the best possible matches; the rest are in the queue, filtered by run.
RUN_HITS_SHOWN = 50


def _dashboard_context(request: AuthenticatedHttpRequest, **extra: Any) -> dict[str, Any]:
    user = request.user
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


def _render_dashboard(
    request: AuthenticatedHttpRequest, status: int = 200, **extra: Any
) -> HttpResponse:
    context = _dashboard_context(request, **extra)
    return render(request, "screening/dashboard.html", context, status=status)


def _screen(
    request: AuthenticatedHttpRequest, form: Any, travellers: list[Traveller], **kwargs: Any
) -> tuple[RunResult | None, int]:
    try:
        result = screen_travellers(acting_user=request.user, travellers=travellers, **kwargs)
    except RateLimited:
        form.add_error(
            None, _("You have screened your hourly allowance of travellers. Try again later.")
        )
        return None, 429
    except ValidationError as exc:
        form.add_error(None, exc)
        return None, 400
    return result, 200


def _upload(request: AuthenticatedHttpRequest) -> HttpResponse:
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


def _check(request: AuthenticatedHttpRequest) -> HttpResponse:
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
def _dashboard_checked(request: AuthenticatedHttpRequest) -> HttpResponse:
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
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        if too_large(request):
            # Refused before a byte of it is read: nothing was screened, nothing written.
            message = _("The passenger list is larger than %(max)d MB.") % {
                "max": max(1, settings.SCREENING_MAX_UPLOAD_BYTES // (1024 * 1024))
            }
            return _render_dashboard(request, 413, upload_error=message)
        request.upload_handlers = [InMemoryUploads(request)]
    return _dashboard_checked(request)


def _render_run(
    request: AuthenticatedHttpRequest, run: ScreeningRun, bad: list[BadRow] | None = None
) -> HttpResponse:
    user = request.user
    # The run knows how many it raised: the first ones, not counted again.
    listed = access.review_queue(
        user, run_id=run.pk, window=access.Window(0, RUN_HITS_SHOWN, counted=False)
    ).items
    shown = [review_hit_view(h, user) for h in listed]
    context = {
        "run": run,
        "hits": shown,
        # Raised by this run, and raised earlier and found again by it.
        "answered": run.possible_matches + run.seen_again,
        "more": max(0, run.possible_matches + run.seen_again - len(shown)),
        "flight": flight_facts(run.flight),
        "watchlists": run.watchlists.all(),
        "bad": bad,
    }
    return render(request, "screening/run.html", context)


@member_required
@screening_required
@require_GET
def run_page(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponse:
    return _render_run(request, access.access_run(request.user, run_id))
