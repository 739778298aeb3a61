"""The unit's own pages: configure a consultation (and edit it while a draft), group the inputs
into themes after the window, answer each theme, and moderate the reported inputs.

Thin views: each reads through ``access`` (404 for what the person may not know, 403 for a
participant who only sees the consultation) and writes through one service function. A refused
act shows the page again with the service's message: 400 for bad input, 409 for the wrong step.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet.consultations import access, presenters, themes
from ctnet.consultations.forms import (
    ConsultationForm,
    MergeForm,
    MilestoneForm,
    ModerateForm,
    ResponseForm,
    ResultForm,
    ThemeForm,
    question_formset,
)
from ctnet.consultations.models import Consultation, Moderation, Status, Submission, Theme
from ctnet.consultations.policy import policy
from ctnet.consultations.services import WrongState, answering, configuring, moderating
from ctnet.core.decorators import member_required, require_role_check
from ctnet.core.http import AuthenticatedHttpRequest

openers_required = require_role_check(policy.can_open_consultations)
# Inputs on one page of the themes page: enough to group at a time, light on a slow link.
INPUTS_PER_PAGE = 100


def _messages(exc: Exception) -> str:
    if isinstance(exc, WrongState):
        return exc.message
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _status(exc: Exception) -> int:
    return 409 if isinstance(exc, WrongState) else 400


# --- Configure ------------------------------------------------------------------------------


def _questions(formset: Any) -> list[dict[str, Any]] | None:
    if not formset.is_valid():
        return None
    return [q for q in (f.question() for f in formset.forms) if q is not None]


def _configure(
    request: AuthenticatedHttpRequest, c: Consultation | None
) -> tuple[HttpResponse | None, dict[str, Any]]:
    """Show or take the form; a response once saved, else the context to show it again."""
    posted = request.method == "POST"
    initial = ConsultationForm.initial_for(c) if c is not None else {"languages": ["en"]}
    form = ConsultationForm(request.POST if posted else None, user=request.user, initial=initial)
    formset = question_formset(request.POST if posted else None, c)
    ctx: dict[str, Any] = {"c": c, "form": form, "formset": formset}
    if not posted:
        return None, ctx
    questions = _questions(formset)
    if form.is_valid() and questions is not None:
        try:
            if c is None:
                c = configuring.create_consultation(
                    acting_user=request.user, data=form.service_data(), questions=questions
                )
            else:
                c = configuring.update_consultation(
                    acting_user=request.user,
                    consultation=c,
                    data=form.service_data(),
                    questions=questions,
                )
                messages.success(request, _("Draft consultation saved."))
        except (ValidationError, WrongState) as exc:
            form.add_error(None, _messages(exc))
            ctx["status"] = _status(exc)
        else:
            messages.success(request, _("Draft consultation saved."))
            return redirect("consultation", consultation_id=c.pk), ctx
    elif questions is None:
        form.add_error(None, _("Check the questions below."))
    ctx.setdefault("status", 400)
    return None, ctx


@member_required
@openers_required
@require_http_methods(["GET", "POST"])
def consultation_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    done, ctx = _configure(request, None)
    if done is not None:
        return done
    return render(request, "consultations/configure.html", ctx, status=ctx.get("status", 200))


@member_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    c = access.access_managed(request.user, consultation_id)
    if c.status != Status.DRAFT:
        message = _("A consultation is edited while it is a draft only.")
        return render(request, "ctnet/error.html", {"message": message}, status=409)
    done, ctx = _configure(request, c)
    if done is not None:
        return done
    return render(request, "consultations/configure.html", ctx, status=ctx.get("status", 200))


# --- Themes ---------------------------------------------------------------------------------


def _inputs(request: AuthenticatedHttpRequest, c: Consultation) -> tuple[Any, list[dict[str, Any]]]:
    """A page of the inputs, those in no theme first, with their answers' texts as the unit
    reads them (no sender for an anonymous input: ``submission_view`` asks the policy)."""
    texts = {q.pk: q for q in c.questions.all()}
    qs = (
        c.submissions.select_related("consultation", "organisation", "theme")
        .prefetch_related("answers")
        .order_by(F("theme").asc(nulls_first=True), "submitted_on", "id")
    )
    page = Paginator(qs, INPUTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for s in page:
        view = presenters.submission_view(request.user, s)
        view["pairs"] = [(texts[a["question"]], a) for a in view["answers"]]
        view["theme_title"] = s.theme.title if s.theme else ""
        view["theme_answered"] = bool(s.theme and s.theme.response)
        rows.append(view)
    return page, rows


def _synthesis_context(request: AuthenticatedHttpRequest, c: Consultation) -> dict[str, Any]:
    return {
        "c": c,
        "synthesis": c.status in (Status.CLOSED, Status.SYNTHESIS),
        "themes": presenters.themes(c),
        "next_status": configuring.NEXT_STATUS.get(Status(c.status)),
    }


def _themes_page(
    request: AuthenticatedHttpRequest, c: Consultation, *, error: str = "", status: int = 200
) -> HttpResponse:
    ctx = _synthesis_context(request, c)
    proposals = None
    if request.method == "GET" and request.GET.get("propose") and ctx["synthesis"]:
        proposals = themes.propose(c)
    page, inputs = _inputs(request, c)
    if proposals:
        for p in proposals:
            p["count"] = len(p["submission_ids"])
    ctx |= {"page": page, "inputs": inputs, "proposals": proposals, "error": error}
    return render(request, "consultations/themes.html", ctx, status=status)


@member_required
@require_GET
def consultation_themes(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    c = access.access_managed(request.user, consultation_id)
    return _themes_page(request, c)


def _theme_of(request: AuthenticatedHttpRequest, theme_id: int) -> Theme:
    theme = access.access_theme(request.user, theme_id)
    access.access_managed(request.user, theme.consultation_id)
    return theme


@member_required
@require_POST
def theme_new(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    c = access.access_managed(request.user, consultation_id)
    form = ThemeForm(request.POST)
    if not form.is_valid():
        return _themes_page(
            request, c, error=_("A title is required (at most 200 characters)."), status=400
        )
    try:
        answering.create_theme(
            acting_user=request.user,
            consultation=c,
            title=form.cleaned_data["title"],
            submission_ids=request.POST.getlist("inputs"),
        )
    except (ValidationError, WrongState) as exc:
        return _themes_page(request, c, error=_messages(exc), status=_status(exc))
    messages.success(request, _("Theme saved."))
    return redirect("consultation-themes", consultation_id=c.pk)


@member_required
@require_POST
def theme_assign(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    c = access.access_managed(request.user, consultation_id)
    theme = _theme_in(c, request.POST.get("theme"))
    chosen = request.POST.getlist("inputs")
    if theme is None or not chosen:
        error = _("Choose a theme and the inputs to put in it.")
        return _themes_page(request, c, error=error, status=400)
    try:
        answering.assign_inputs(acting_user=request.user, theme=theme, submission_ids=chosen)
    except (ValidationError, WrongState) as exc:
        return _themes_page(request, c, error=_messages(exc), status=_status(exc))
    messages.success(request, _("Theme saved."))
    return redirect("consultation-themes", consultation_id=c.pk)


@member_required
@require_POST
def theme_ungroup(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    """Take the chosen inputs out of every theme (back to those in none)."""
    c = access.access_managed(request.user, consultation_id)
    try:
        answering.ungroup_inputs(
            acting_user=request.user, consultation=c, submission_ids=request.POST.getlist("inputs")
        )
    except (ValidationError, WrongState) as exc:
        return _themes_page(request, c, error=_messages(exc), status=_status(exc))
    messages.success(request, _("The inputs are in no theme now."))
    return redirect("consultation-themes", consultation_id=c.pk)


def _theme_in(c: Consultation, raw: Any) -> Theme | None:
    """The consultation's theme a form names, or None for anything else."""
    try:
        pk = int(str(raw))
    except ValueError:
        return None
    return c.themes.filter(pk=pk).first()


@member_required
@require_POST
def theme_rename(request: AuthenticatedHttpRequest, theme_id: int) -> HttpResponse:
    theme = _theme_of(request, theme_id)
    c = theme.consultation
    form = ThemeForm(request.POST)
    if not form.is_valid():
        return _themes_page(
            request, c, error=_("A title is required (at most 200 characters)."), status=400
        )
    try:
        answering.rename_theme(
            acting_user=request.user, theme=theme, title=form.cleaned_data["title"]
        )
    except (ValidationError, WrongState) as exc:
        return _themes_page(request, c, error=_messages(exc), status=_status(exc))
    messages.success(request, _("Theme saved."))
    return redirect("consultation-themes", consultation_id=c.pk)


@member_required
@require_POST
def theme_merge(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    c = access.access_managed(request.user, consultation_id)
    form = MergeForm(request.POST, consultation=c)
    into = _theme_in(c, request.POST.get("into"))
    if not form.is_valid() or into is None:
        error = _("Choose other themes of this consultation to merge.")
        return _themes_page(request, c, error=error, status=400)
    try:
        answering.merge_themes(
            acting_user=request.user, into=into, theme_ids=form.cleaned_data["themes"]
        )
    except (ValidationError, WrongState) as exc:
        return _themes_page(request, c, error=_messages(exc), status=_status(exc))
    messages.success(request, _("Themes merged."))
    return redirect("consultation-themes", consultation_id=c.pk)


# --- Answer ---------------------------------------------------------------------------------


def _answers_page(
    request: AuthenticatedHttpRequest,
    c: Consultation,
    *,
    error: str = "",
    status: int = 200,
    failed: tuple[int, ResponseForm] | None = None,
    result_form: ResultForm | None = None,
    milestone_form: MilestoneForm | None = None,
) -> HttpResponse:
    ctx = _synthesis_context(request, c)
    rows: list[dict[str, Any]] = []
    for t in c.themes.all():
        if failed is not None and failed[0] == t.pk:
            form = failed[1]
        else:
            form = ResponseForm(
                initial={
                    "response": t.response,
                    "reason": t.reason,
                    "change_link": t.change_link,
                    "change_label": t.change_label,
                },
                prefix=f"t{t.pk}",
            )
        rows.append({"theme": presenters.theme_view(t), "form": form})
    unthemed = c.submissions.filter(hidden=False, theme__isnull=True).count()
    ctx |= {
        "rows": rows,
        "unthemed": unthemed,
        "unanswered": configuring.unanswered_count(c),
        "waiting_themes": [r["theme"] for r in rows if not r["theme"]["response"]],
        "error": error,
        # Results follow the consultation from its close, after publishing too (add_result).
        "adds_results": c.status in (Status.CLOSED, Status.SYNTHESIS, Status.PUBLISHED),
        "results": presenters.results_tree(c),
        "result_form": result_form or ResultForm(consultation=c),
        "milestone_form": milestone_form or MilestoneForm(consultation=c),
    }
    return render(request, "consultations/answers.html", ctx, status=status)


@member_required
@require_GET
def consultation_answers(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    c = access.access_managed(request.user, consultation_id)
    return _answers_page(request, c)


@member_required
@require_POST
def theme_respond(request: AuthenticatedHttpRequest, theme_id: int) -> HttpResponse:
    theme = _theme_of(request, theme_id)
    c = theme.consultation
    form = ResponseForm(request.POST, prefix=f"t{theme.pk}")
    if not form.is_valid():
        error = _("Say whether the theme was taken up, partly, or not, and why.")
        return _answers_page(request, c, error=error, status=400, failed=(theme.pk, form))
    try:
        answering.respond_to_theme(acting_user=request.user, theme=theme, **form.cleaned_data)
    except (ValidationError, WrongState) as exc:
        form.add_error(None, _messages(exc))
        return _answers_page(
            request, c, error=_messages(exc), status=_status(exc), failed=(theme.pk, form)
        )
    messages.success(request, _("Response saved."))
    return redirect("consultation-answers", consultation_id=c.pk)


@member_required
@require_POST
def consultation_publish(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    """Publish the response: refused, with the count, while any input lacks one."""
    c = access.access_managed(request.user, consultation_id)
    try:
        configuring.move_on(acting_user=request.user, consultation=c, to=Status.PUBLISHED)
    except WrongState as exc:
        return _answers_page(request, c, error=exc.message, status=409)
    messages.success(request, _("The response is published."))
    return redirect("consultation", consultation_id=c.pk)


# --- Moderate -------------------------------------------------------------------------------


def _moderation_page(
    request: AuthenticatedHttpRequest, c: Consultation, *, error: str = "", status: int = 200
) -> HttpResponse:
    """The queue: inputs reported or hidden, with the reports' reasons (the reporters are not
    shown: a moderator judges the input, not who reported it) and any appeal."""
    texts = {q.pk: q for q in c.questions.all()}
    reported = (
        c.submissions.filter(pk__in=c.submissions.filter(reports__isnull=False).values("pk"))
        | c.submissions.filter(hidden=True)
    ).distinct()
    queue = []
    for s in reported.select_related("consultation", "organisation").prefetch_related(
        "answers", "reports"
    ):
        view = presenters.submission_view(request.user, s)
        view["pairs"] = [(texts[a["question"]], a) for a in view["answers"]]
        view["reasons"] = [r.reason for r in s.reports.all()]
        view["appeal"] = s.appeal
        queue.append(view)
    # Waiting for a decision first; decided ones after.
    queue.sort(key=lambda v: (bool(v["moderation"]), not v["appealed"]))
    ctx = {
        "c": c,
        "queue": queue,
        "counts": presenters.moderation_counts(c),
        "error": error,
        "decisions": Moderation,
    }
    return render(request, "consultations/moderation.html", ctx, status=status)


@member_required
@require_GET
def consultation_moderation(
    request: AuthenticatedHttpRequest, consultation_id: int
) -> HttpResponse:
    c = access.access_managed(request.user, consultation_id)
    return _moderation_page(request, c)


@member_required
@require_POST
def input_moderate(
    request: AuthenticatedHttpRequest, consultation_id: int, submission_id: str
) -> HttpResponse:
    c = access.access_managed(request.user, consultation_id)
    s: Submission = access.access_submission(request.user, c, submission_id)
    form = ModerateForm(request.POST)
    if not form.is_valid():
        return _moderation_page(request, c, error=_("Reinstate or remove."), status=400)
    try:
        moderating.moderate(
            acting_user=request.user, submission=s, decision=form.cleaned_data["decision"]
        )
    except (ValidationError, WrongState) as exc:
        return _moderation_page(request, c, error=_messages(exc), status=_status(exc))
    messages.success(request, _("Decision recorded."))
    return redirect("consultation-moderation", consultation_id=c.pk)
