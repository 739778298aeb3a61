"""Practice pages: the library and its search, a practice, writing, workflow, endorsements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet.core.decorators import member_required, require_role_check
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.topics import TOPICS
from ctnet.directory.policy import policy as directory_policy
from ctnet.directory.search import BadFilter, route_contact
from ctnet.practices import access, attachments, services
from ctnet.practices.forms import (
    AttachmentForm,
    CommentForm,
    MarkingForm,
    NoteForm,
    PracticeForm,
    SearchForm,
    TransitionForm,
)
from ctnet.practices.models import Practice
from ctnet.practices.policy import policy
from ctnet.practices.search import BadQuery, search_filters, search_practices
from ctnet.practices.similarity import near_duplicates, similar_practices
from ctnet.practices.validation import clean_practice
from ctnet.practices.vocab import Status

PAGE_SIZE = 30
reader_required = require_role_check(policy.can_read_content)


def _error(request: AuthenticatedHttpRequest, message: str, status: int) -> HttpResponse:
    return render(
        request, "ctnet/error.html", {"message": message, "status": status}, status=status
    )


def _act(
    request: AuthenticatedHttpRequest, practice: Practice, call: Callable[[], Any], done: str
) -> HttpResponse:
    """Run a service call; refusals become a page with the reason and the fitting status."""
    try:
        call()
    except ValidationError as exc:
        return _error(request, " ".join(exc.messages), 400)
    except services.InvalidTransition as exc:
        return _error(request, str(exc), 409)
    messages.success(request, done)
    return redirect("practice", practice_id=practice.pk)


@member_required
@reader_required
@require_GET
def library(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "hits": None, "page": None}
    if form.is_bound and not form.is_valid():
        return render(request, "practices/library.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    if data.get("q"):
        try:
            filters = search_filters(
                [data["theme"]] if data["theme"] else [],
                [data["region"]] if data["region"] else [],
                data["origin"] or None,
                data["language"] or None,
            )
            access.spend_search(request.user)
            context["hits"] = search_practices(request.user, data["q"], limit=20, filters=filters)
            access.record_result_reads(request.user, [h.practice for h in context["hits"]])
        except BadQuery as exc:
            form.add_error("q", str(exc))
            return render(request, "practices/library.html", context, status=400)
        except access.SearchThrottled:
            form.add_error("q", _("Too many searches. Wait a minute and retry."))
            return render(request, "practices/library.html", context, status=429)
    else:
        qs = access.visible_practices(request.user).filter(status=Status.PUBLISHED)
        context["page"] = Paginator(qs.select_related("originator"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    return render(request, "practices/library.html", context)


@member_required
@require_role_check(policy.can_review_practices)
@require_GET
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = access.visible_practices(request.user).filter(status=Status.SUBMITTED)
    return render(request, "practices/review.html", {"practices": qs.select_related("originator")})


def _directory_contact(user: Any, practice: Practice) -> Any:
    """Whom the directory names at the practice's origin for its first expertise topic, so a
    reader can follow up with a verified contact rather than a free-text reference alone."""
    topics = [t for t in practice.themes if t in TOPICS]
    if not topics or not directory_policy.can_see_directory_overview(user):
        return None
    try:
        route = route_contact(user, country=practice.originator.code, topic=topics[0])
    except BadFilter:  # an origin outside the directory
        return None
    return route if route.contact else None


@member_required
@reader_required
@require_GET
def practice_detail(request: AuthenticatedHttpRequest, practice_id: int) -> HttpResponse:
    practice = access.access_practice(request.user, practice_id)
    user = request.user
    can_edit = policy.can_edit_practice(user, practice)
    context = {
        "practice": practice,
        "similar": similar_practices(user, practice),
        # The reviewer sees what the author was warned about when submitting.
        "duplicates": near_duplicates(user, practice)
        if practice.status == Status.SUBMITTED
        else [],
        "endorsements": practice.endorsements.select_related("organisation"),
        "comments": practice.comments.select_related("organisation", "author"),
        "versions": practice.versions.select_related("edited_by")[:20],
        "attachments": practice.attachments.all(),
        "directory_route": _directory_contact(user, practice),
        "can_edit": can_edit and practice.status in services.EDITABLE,
        "can_author": can_edit,
        "can_review": policy.can_review_practices(user),
        "can_endorse": practice.status == Status.PUBLISHED
        and policy.can_endorse_practice(user, practice),
        "note_form": NoteForm(),
        "comment_form": CommentForm(),
        "attachment_form": AttachmentForm(),
        "marking_form": MarkingForm(initial={"tlp": practice.tlp, "handling": practice.handling}),
        "can_take_copy": policy.can_take_copy(user, practice),
    }
    return render(request, "practices/practice.html", context)


def _form_page(
    request: AuthenticatedHttpRequest, form: PracticeForm, practice: Practice | None, status: int
) -> HttpResponse:
    return render(
        request, "practices/form.html", {"form": form, "practice": practice}, status=status
    )


@member_required
@require_role_check(policy.can_author_practice)
@require_http_methods(["GET", "POST"])
def practice_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PracticeForm(request.POST or None, user=request.user)
    if request.method == "GET":
        return _form_page(request, form, None, 200)
    if form.is_valid():
        try:
            data = clean_practice(form.practice_input())
            practice = services.create_practice(acting_user=request.user, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Draft saved. Submit it for review when it is ready."))
            return redirect("practice", practice_id=practice.pk)
    return _form_page(request, form, None, 400)


@member_required
@reader_required
@require_http_methods(["GET", "POST"])
def practice_edit(request: AuthenticatedHttpRequest, practice_id: int) -> HttpResponse:
    practice = access.access_practice(request.user, practice_id)
    if not policy.can_edit_practice(request.user, practice):
        return _error(request, _("Only the originating organisation edits a practice."), 403)
    initial = {
        **{f: getattr(practice, f) for f in PracticeForm.base_fields if hasattr(practice, f)},
        "recipients": ", ".join(practice.recipient_orgs.values_list("code", flat=True)),
    }
    form = PracticeForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "GET":
        return _form_page(request, form, practice, 200)
    if not form.is_valid():
        return _form_page(request, form, practice, 400)
    try:
        data = clean_practice(form.practice_input())
    except ValidationError as exc:
        form.add_error(None, exc)
        return _form_page(request, form, practice, 400)
    return _act(
        request,
        practice,
        lambda: services.update_practice(acting_user=request.user, practice=practice, data=data),
        _("Saved as a new version."),
    )


@member_required
@reader_required
@require_POST
def practice_transition(request: AuthenticatedHttpRequest, practice_id: int) -> HttpResponse:
    practice = access.access_practice(request.user, practice_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _error(request, _("Say which step to take."), 400)
    result: dict[str, Any] = {}

    def call() -> None:
        result["r"] = services.transition_practice(
            acting_user=request.user,
            practice=practice,
            action=form.cleaned_data["action"],
            comment=form.cleaned_data["comment"],
        )

    response = _act(request, practice, call, _("Done."))
    for dup in result["r"].duplicates if "r" in result else []:
        messages.warning(
            request,
            _("Possible duplicate of “%(title)s” (%(origin)s, similarity %(score)s).")
            % {
                "title": dup.title,
                "origin": dup.originator,
                "score": formats.number_format(dup.score, 2),
            },
        )
    return response


@member_required
@reader_required
@require_POST
def practice_marking(request: AuthenticatedHttpRequest, practice_id: int) -> HttpResponse:
    practice = access.access_practice(request.user, practice_id)
    form = MarkingForm(request.POST)
    if not form.is_valid():
        return _error(request, _("Choose a marking and valid handling codes."), 400)
    return _act(
        request,
        practice,
        lambda: services.change_practice_marking(
            acting_user=request.user,
            practice=practice,
            tlp=form.cleaned_data["tlp"],
            handling=form.cleaned_data["handling"],
        ),
        _("Marking changed."),
    )


@member_required
@reader_required
@require_POST
def practice_endorse(request: AuthenticatedHttpRequest, practice_id: int) -> HttpResponse:
    practice = access.access_practice(request.user, practice_id)
    note = request.POST.get("note", "")
    return _act(
        request,
        practice,
        lambda: services.endorse_practice(acting_user=request.user, practice=practice, note=note),
        _("Thank you: your organisation's use of this practice is recorded."),
    )


@member_required
@reader_required
@require_POST
def practice_comment(request: AuthenticatedHttpRequest, practice_id: int) -> HttpResponse:
    practice = access.access_practice(request.user, practice_id)
    body = request.POST.get("body", "")
    return _act(
        request,
        practice,
        lambda: services.comment_on_practice(
            acting_user=request.user, practice=practice, body=body
        ),
        _("Comment added."),
    )


@member_required
@reader_required
@require_POST
def practice_attach(request: AuthenticatedHttpRequest, practice_id: int) -> HttpResponse:
    practice = access.access_practice(request.user, practice_id)
    upload = request.FILES.get("file")
    if upload is None:
        return _error(request, _("Choose a file to attach."), 400)
    if (upload.size or 0) > attachments.MAX_ATTACHMENT_BYTES:
        return _error(request, _("The file is too large."), 413)
    return _act(
        request,
        practice,
        lambda: attachments.add_attachment(
            acting_user=request.user,
            practice=practice,
            filename=upload.name or "",
            content_type=upload.content_type or "",
            data=upload.read(),
        ),
        _("File attached."),
    )


@member_required
@reader_required
@require_GET
def attachment_download(
    request: AuthenticatedHttpRequest, practice_id: int, attachment_id: int
) -> HttpResponse:
    attachment = access.access_attachment(request.user, practice_id, attachment_id)
    # Streamed from the data directory; typed as a plain response for the view decorators.
    response: Any = attachments.download_response(attachment)
    return response
