"""The review queue and one possible match, decided with a reason and approved by four eyes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.screening import access
from ctnet.screening.forms import DecisionForm, HitFilterForm, SecondReviewForm
from ctnet.screening.models import Hit, HitStatus
from ctnet.screening.policy import policy
from ctnet.screening.review_presenters import review_hit_view, sighting_dict
from ctnet.screening.services import review
from ctnet.screening.views.common import PAGE_SIZE, screening_required

# What the queue shows unless asked otherwise: what still needs a person.
OPEN_STATUSES = (HitStatus.OPEN, HitStatus.PROPOSED)


@member_required
@screening_required
@require_GET
def hits_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = HitFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "ctnet/error.html", {"message": _("Unknown status.")}, status=400)
    status = form.cleaned_data["status"]
    statuses = OPEN_STATUSES if status == "" else () if status == "all" else (status,)
    run_id = request.GET.get("run", "")
    # One row per traveller, their possible matches under it.
    paged = access.review_groups(
        user,
        statuses=statuses,
        run_id=int(run_id) if run_id.isdigit() else None,
        window=access.Window.of_page(request.GET.get("page"), PAGE_SIZE),
    )
    groups = [
        {"first": g.traveller, "hits": [review_hit_view(h, user) for h in g.hits]}
        for g in paged.items
    ]
    context = {
        "form": form,
        "page": paged.page,
        "groups": groups,
        "run_id": run_id if run_id.isdigit() else "",
    }
    return render(request, "screening/hits.html", context)


def _render_hit(
    request: AuthenticatedHttpRequest,
    hit: Hit,
    *,
    decision_form: DecisionForm | None = None,
    second_form: SecondReviewForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    context = {
        "hit": hit,
        "h": review_hit_view(hit, user),
        "trail": hit.reviews.select_related("user"),
        "sightings": [sighting_dict(s) for s in hit.sightings.all()],
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
def hit_page(request: AuthenticatedHttpRequest, hit_id: int) -> HttpResponse:
    return _render_hit(request, access.access_hit(request.user, hit_id))


@member_required
@screening_required
@require_POST
def hit_decide(request: AuthenticatedHttpRequest, hit_id: int) -> HttpResponse:
    hit = access.access_hit(request.user, hit_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _render_hit(request, hit, decision_form=form, status=400)
    try:
        review.decide(acting_user=request.user, hit=hit, **form.cleaned_data)
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
def hit_second_review(request: AuthenticatedHttpRequest, hit_id: int) -> HttpResponse:
    hit = access.access_hit(request.user, hit_id)
    form = SecondReviewForm(request.POST)
    if not form.is_valid():
        return _render_hit(request, hit, second_form=form, status=400)
    try:
        # A proposer approving their own confirmation is refused here (403).
        review.second_review(acting_user=request.user, hit=hit, **form.cleaned_data)
    except review.WrongState as exc:
        return _render_hit(request, hit, error=exc.message, status=409)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render_hit(request, hit, second_form=form, status=400)
    messages.success(request, _("Your review is recorded."))
    return redirect("screening-hit", hit_id=hit.pk)
