"""Consultation pages: the list, one consultation (with the form to take part), the window's
next step, the printable synthesis report, and a sender's return with a receipt code."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet.consultations import access, answers, opinions, presenters, waiting
from ctnet.consultations.models import Audience, Consultation, Mode, QuestionKind, Status
from ctnet.consultations.policy import policy
from ctnet.consultations.services import WrongState, configuring, moderating, submitting
from ctnet.core.decorators import member_required, require_role_check
from ctnet.core.http import AuthenticatedHttpRequest

PAGE_SIZE = 30
consultations_required = require_role_check(policy.can_use)


@member_required
@consultations_required
@require_GET
def consultation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every consultation the person sees; with ``?waiting=<key>``, those holding what a count
    of the home page counts (``waiting.consultations_waiting``)."""
    key = request.GET.get("waiting", "")
    qs = access.visible_consultations(request.user)
    if key:
        found = waiting.consultations_waiting(request.user, key)
        if found is None:
            return render(
                request,
                "ctnet/error.html",
                {"message": _("This list cannot be filtered that way.")},
                status=400,
            )
        qs = found.select_related("originator")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "waiting": waiting.FILTER_LABELS.get(key, ""),
        "can_open": policy.can_open_consultations(request.user),
    }
    return render(request, "consultations/list.html", ctx)


def _context(request: AuthenticatedHttpRequest, c: Consultation, **extra: Any) -> dict[str, Any]:
    detail = presenters.consultation_detail(request.user, c)
    # The monitoring projects that answer each theme, those the reader may see (issue 16).
    answers.attach_projects(request.user, detail["themes"])
    own = access.own_submission(request.user, c)
    questions = list(c.questions.all())
    return {
        "c": c,
        "detail": detail,
        "questions": questions,
        "kinds": QuestionKind,
        "can_take_part": policy.can_take_part(request.user, c),
        "own": presenters.submission_view(request.user, own) if own else None,
        "next_status": configuring.NEXT_STATUS.get(Status(c.status)),
        "hidden_message": presenters.hidden_message(),
        "anonymous": c.mode == Mode.ANONYMOUS,
        "has_statements": any(q.kind == QuestionKind.STATEMENT for q in questions),
        # The named audience, for the unit only (the audience's members need not know it).
        "named": list(c.named_orgs.order_by("name"))
        if detail["manages"] and c.audience == Audience.NAMED
        else [],
        **extra,
    }


@member_required
@require_GET
def consultation_detail(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    c = access.access_consultation(request.user, consultation_id)
    return render(request, "consultations/detail.html", _context(request, c))


def answers_from(request: HttpRequest, c: Consultation) -> dict[str, Any]:
    """The posted answers by question id, for the member page and the public link alike. A
    field named like a question (``q<id>``) of no question of this consultation is passed on as
    it is, so that the service refuses it (400) instead of dropping it unseen."""
    questions = {f"q{q.pk}": q for q in c.questions.all()}
    answers: dict[str, Any] = {
        key[1:]: request.POST.get(key, "")
        for key in request.POST
        if key.startswith("q") and key not in questions
    }
    for key, q in questions.items():
        if q.kind == QuestionKind.MULTIPLE:
            answers[str(q.pk)] = request.POST.getlist(key)
        elif key in request.POST:
            answers[str(q.pk)] = request.POST.get(key, "")
    return answers


def _upload(request: HttpRequest) -> submitting.Upload | None:
    f = request.FILES.get("image")
    if f is None:
        return None
    return submitting.Upload(content_type=f.content_type or "", data=f.read())


@never_cache
@member_required
@require_POST
def consultation_submit(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    """Take part. The answer is the page itself, never a message kept in the session: a receipt
    code or the fact of an anonymous submission must not sit in the person's session row."""
    c = access.access_consultation(request.user, consultation_id)
    language = request.POST.get("language") or (get_language() or "en").lower()
    try:
        sent = submitting.submit(
            acting_user=request.user,
            consultation=c,
            answers=answers_from(request, c),
            language=language,
            upload=_upload(request),
        )
    except WrongState as exc:
        ctx = _context(request, c, error=exc.message)
        return render(request, "consultations/detail.html", ctx, status=409)
    except ValidationError as exc:
        ctx = _context(request, c, error=" ".join(exc.messages), posted=request.POST)
        return render(request, "consultations/detail.html", ctx, status=400)
    return render(request, "consultations/sent.html", {"c": c, "receipt": sent.receipt})


@member_required
@require_POST
def consultation_move(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    c = access.access_managed(request.user, consultation_id)
    try:
        configuring.move_on(acting_user=request.user, consultation=c, to=request.POST.get("to", ""))
    except WrongState as exc:
        ctx = _context(request, c, error=exc.message)
        return render(request, "consultations/detail.html", ctx, status=409)
    return redirect("consultation", consultation_id=c.pk)


@member_required
@require_GET
def opinion_map_svg(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    c = access.access_consultation(request.user, consultation_id)
    drawn = opinions.map_svg(c)
    if drawn is None:
        return HttpResponse(presenters.hidden_message(), status=409, content_type="text/plain")
    return HttpResponse(drawn, content_type="image/svg+xml")


@member_required
@require_GET
def consultation_report(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    """The printable synthesis: the questions, the counts (when they may be shown), every theme
    with its response, and the results."""
    c = access.access_consultation(request.user, consultation_id)
    detail = presenters.consultation_detail(request.user, c)
    if not (detail["manages"] or c.status == Status.PUBLISHED):
        return render(
            request,
            "ctnet/error.html",
            {"message": _("The synthesis is published with the response.")},
            status=409,
        )
    answers.attach_projects(request.user, detail["themes"])
    counts = {row["question"]: row["counts"] for row in detail["breakdown"] or []}
    rows = [(q, counts.get(q.pk)) for q in c.questions.all()]
    ctx = {"c": c, "detail": detail, "rows": rows, "hidden_message": presenters.hidden_message()}
    return render(request, "consultations/report.html", ctx)


@never_cache
@require_http_methods(["GET", "POST"])
def receipt_lookup(request: HttpRequest) -> HttpResponse:
    """A sender comes back with the receipt code, signed in or not. The code is posted, never
    put in the address, so that it appears in no log and no browser history."""
    if request.method == "GET":
        return render(request, "consultations/receipt.html", {})
    found = access.submission_by_receipt(request.POST.get("code", "").strip())
    if found is None:
        missing = {"error": _("No submission has this receipt code.")}
        return render(request, "consultations/receipt.html", missing, status=404)
    error, status = "", 200
    if "appeal" in request.POST:
        try:
            found = moderating.appeal(submission=found, text=request.POST.get("appeal", ""))
        except WrongState as exc:
            error, status = exc.message, 409
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 400
    view = presenters.submission_view(None, found, via_receipt=True)
    texts = {q.pk: q.text for q in found.consultation.questions.all()}
    pairs = [(texts[a["question"]], a) for a in view["answers"]]
    ctx: dict[str, Any] = {"s": view, "pairs": pairs, "error": error}
    ctx["code"] = request.POST.get("code", "")
    return render(request, "consultations/receipt.html", ctx, status=status)
