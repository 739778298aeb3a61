"""Pages of the Compact's working groups: the list, setting one up, one group (members, chairs,
programme, meetings with decisions and follow-ups) with the forms that record its work, the
late follow-ups, and one entity's part. Each POST redirects to the group, or shows the group
again with its error (400); the services check the rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet.coordination import groups
from ctnet.coordination.forms import (
    DocumentForm,
    FollowUpForm,
    GroupForm,
    ItemStatusForm,
    MeetingForm,
    WorkItemForm,
)
from ctnet.coordination.models import WorkingGroup
from ctnet.coordination.policy import groups_policy
from ctnet.coordination.services import groups as services
from ctnet.core.decorators import member_required, require_role_check
from ctnet.core.http import AuthenticatedHttpRequest

groups_required = require_role_check(groups_policy.can_read_groups)
group_creators = require_role_check(groups_policy.can_create_group)
LATE_SHOWN = 200


@member_required
@groups_required
@require_GET
def group_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = groups.visible_groups(request.user).prefetch_related("chairs", "members")
    context = {"groups": rows, "can_create": groups_policy.can_create_group(request.user)}
    return render(request, "coordination/groups.html", context)


@member_required
@group_creators
@require_http_methods(["GET", "POST"])
def group_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(acting_user=request.user, data=form.service_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Working group set up."))
            return redirect("coordination-group", group_id=group.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "coordination/group_form.html", {"form": form}, status=status)


@member_required
@require_http_methods(["GET", "POST"])
def group_edit(request: AuthenticatedHttpRequest, group_id: int) -> HttpResponse:
    # The group first (404 for those who may not read groups), then the role (403).
    group = groups.access_group(request.user, group_id)
    if not groups_policy.can_create_group(request.user):
        raise PermissionDenied
    initial = {
        "name": group.name,
        "mandate": group.mandate,
        "members": [o.pk for o in group.members.all()],
        "chairs": [o.pk for o in group.chairs.all()],
    }
    form = GroupForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_group(acting_user=request.user, group=group, data=form.service_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Working group updated."))
            return redirect("coordination-group", group_id=group.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "group": group}
    return render(request, "coordination/group_form.html", context, status=status)


def _group_context(
    request: AuthenticatedHttpRequest, group: WorkingGroup, **over: Any
) -> dict[str, Any]:
    can_run = groups_policy.can_run_group(request.user, group)
    detail = groups.group_detail(group)
    if can_run:
        # One follow-up form per decision, each with its own field ids (a page holds several).
        for meeting in detail["meetings"]:
            for decision in meeting["decisions"]:
                decision["follow_up_form"] = FollowUpForm(
                    group=group, auto_id=f"id_decision{decision['id']}_%s"
                )
    # Who may move what: those who run the group everything; a member its own items.
    own = groups_policy.reports_for(request.user, group)
    own_code = next((o.code for o in group.members.all() if o.pk == own), None)
    return {
        "group": group,
        "detail": detail,
        "can_run": can_run,
        "can_edit": groups_policy.can_create_group(request.user),
        "reports_all": can_run,
        "own_code": own_code,
        "item_form": over.get("item_form") or (WorkItemForm(group=group) if can_run else None),
        "meeting_form": over.get("meeting_form") or (MeetingForm() if can_run else None),
        "status_form": ItemStatusForm(),
        "document_form": DocumentForm() if can_run else None,
        "error": over.get("error", ""),
        "error_for": over.get("error_for", ""),
        "error_decision": over.get("error_decision"),
        "error_meeting": over.get("error_meeting"),
    }


# One group or entity: those who may not read groups get the 404 of a missing one (the access
# helper), as from the API, not the list's 403.
@member_required
@require_GET
def group_page(request: AuthenticatedHttpRequest, group_id: int) -> HttpResponse:
    group = groups.access_group(request.user, group_id)
    return render(request, "coordination/group.html", _group_context(request, group))


def _again(
    request: AuthenticatedHttpRequest, group: WorkingGroup, exc: ValidationError, **over: Any
) -> HttpResponse:
    group = groups.access_group(request.user, group.pk)  # fresh, with what the form changed
    context = _group_context(request, group, error=" ".join(exc.messages), **over)
    return render(request, "coordination/group.html", context, status=400)


def _form_error(form: Any) -> ValidationError:
    return ValidationError([e for errors in form.errors.values() for e in errors])


@member_required
@require_POST
def work_item_new(request: AuthenticatedHttpRequest, group_id: int) -> HttpResponse:
    group = groups.access_group(request.user, group_id)
    if not groups_policy.can_run_group(request.user, group):
        raise PermissionDenied
    form = WorkItemForm(request.POST, group=group)
    try:
        if not form.is_valid():
            raise _form_error(form)
        services.add_work_item(acting_user=request.user, group=group, data=form.service_data())
    except ValidationError as exc:
        return _again(request, group, exc, item_form=form, error_for="programme")
    messages.success(request, _("Item added to the programme of work."))
    return redirect("coordination-group", group_id=group.pk)


@member_required
@require_POST
def meeting_new(request: AuthenticatedHttpRequest, group_id: int) -> HttpResponse:
    group = groups.access_group(request.user, group_id)
    if not groups_policy.can_run_group(request.user, group):
        raise PermissionDenied
    form = MeetingForm(request.POST)
    try:
        if not form.is_valid():
            raise _form_error(form)
        services.record_meeting(acting_user=request.user, group=group, data=form.service_data())
    except ValidationError as exc:
        return _again(request, group, exc, meeting_form=form, error_for="meetings")
    messages.success(request, _("Meeting recorded."))
    return redirect("coordination-group", group_id=group.pk)


@member_required
@require_POST
def follow_up_new(request: AuthenticatedHttpRequest, decision_id: int) -> HttpResponse:
    decision = groups.access_decision(request.user, decision_id)
    group = decision.meeting.group
    if not groups_policy.can_run_group(request.user, group):
        raise PermissionDenied
    form = FollowUpForm(request.POST, group=group)
    try:
        if not form.is_valid():
            raise _form_error(form)
        services.add_follow_up(
            acting_user=request.user, decision=decision, data=form.service_data()
        )
    except ValidationError as exc:
        return _again(request, group, exc, error_decision=decision.pk)
    messages.success(request, _("Follow-up added; the responsible entity is told."))
    return redirect(f"{group_path(group)}#decision-{decision.pk}")


@member_required
@require_POST
def document_new(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = groups.access_meeting(request.user, meeting_id)
    group = meeting.group
    if not groups_policy.can_run_group(request.user, group):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise _form_error(form)
        upload = form.cleaned_data["file"]
        services.add_meeting_document(
            acting_user=request.user,
            meeting=meeting,
            filename=upload.name or "",
            content_type=upload.content_type or "",
            data=upload.read(),
        )
    except ValidationError as exc:
        return _again(request, group, exc, error_meeting=meeting.pk)
    messages.success(request, _("Document added to the meeting."))
    return redirect(f"{group_path(group)}#meeting-{meeting.pk}")


# One group's document: the access helper answers 404 for those who may not read the group.
@member_required
@require_GET
def document_download(request: AuthenticatedHttpRequest, document_id: int) -> HttpResponse:
    # A FileResponse streams; Django serves it like any response, the decorators' type aside.
    return groups.document_download(request.user, document_id)  # type: ignore[return-value]


def group_path(group: WorkingGroup) -> str:
    return services.group_path(group.pk)


@member_required
@require_POST
def work_item_status(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    item = groups.access_work_item(request.user, item_id)
    if not groups_policy.can_report_work_item(request.user, item):
        raise PermissionDenied
    form = ItemStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise _form_error(form)
        services.set_work_item_status(
            acting_user=request.user, item=item, status=form.cleaned_data["status"]
        )
    except ValidationError as exc:
        return _again(request, item.group, exc, error_for="programme")
    messages.success(request, _("Status recorded."))
    return redirect(group_path(item.group))


@member_required
@require_POST
def follow_up_status(request: AuthenticatedHttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up = groups.access_follow_up(request.user, follow_up_id)
    if not groups_policy.can_report_follow_up(request.user, follow_up):
        raise PermissionDenied
    form = ItemStatusForm(request.POST)
    group = follow_up.decision.meeting.group
    try:
        if not form.is_valid():
            raise _form_error(form)
        services.set_follow_up_status(
            acting_user=request.user, follow_up=follow_up, status=form.cleaned_data["status"]
        )
    except ValidationError as exc:
        return _again(request, group, exc, error_decision=follow_up.decision_id)
    messages.success(request, _("Status recorded."))
    return redirect(f"{group_path(group)}#decision-{follow_up.decision_id}")


@member_required
@groups_required
@require_GET
def late_follow_ups(request: AuthenticatedHttpRequest) -> HttpResponse:
    # ``?mine=1``: the person's organisation's, the list the waiting count links to.
    mine = request.GET.get("mine") == "1"
    membership = groups_policy.membership(request.user)
    org_id = membership.organisation_id if mine and membership is not None else None
    items = [
        groups.follow_up_detail(f)
        for f in groups.late_follow_ups(request.user, org_id)[:LATE_SHOWN]
    ]
    return render(request, "coordination/follow_ups_late.html", {"items": items, "mine": mine})


# One group or entity: those who may not read groups get the 404 of a missing one (the access
# helper), as from the API, not the list's 403.
@member_required
@require_GET
def entity_page(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    org = groups.access_entity(request.user, code)
    detail = groups.entity_detail(request.user, org)
    return render(request, "coordination/entity.html", {"org": org, "detail": detail})
