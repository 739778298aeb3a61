"""Coordination API: the Compact's working groups, meetings, decisions and follow-ups.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

from datetime import date
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ctnet.coordination import groups
from ctnet.coordination.api.schemas import Code, Text, Title
from ctnet.coordination.models import WorkingGroup
from ctnet.coordination.policy import groups_policy
from ctnet.coordination.services import groups as services
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.pagination import Pagination

router = Router(tags=["coordination"])


def _require_groups(user: object) -> None:
    if not groups_policy.can_read_groups(user):
        raise PermissionDenied(_("Your role does not take part in the Compact's working groups."))


class GroupIn(Schema):
    name: Title
    mandate: Text = ""
    members: list[Code] = Field(..., max_length=60)
    chairs: list[Code] = Field(..., max_length=5)


class GroupSummaryOut(Schema):
    id: int
    name: str


class WorkItemIn(Schema):
    title: Title
    owner: Code
    due_date: date


class WorkItemOut(Schema):
    id: int
    title: str
    owner: str
    due_date: date
    status: str


class FollowUpIn(Schema):
    title: Title
    responsible: Code
    due_date: date


class DecisionIn(Schema):
    text: Text
    follow_ups: list[FollowUpIn] = Field(default=[], max_length=50)


class MeetingIn(Schema):
    held_on: date
    agenda: Text
    minutes: Text = ""
    decisions: list[DecisionIn] = Field(default=[], max_length=50)


class FollowUpOut(Schema):
    id: int
    title: str
    responsible: str
    due_date: date
    status: str
    late: bool
    group_id: int


class DecisionOut(Schema):
    id: int
    text: str
    follow_ups: list[FollowUpOut]


class DocumentOut(Schema):
    id: int
    filename: str
    size: int


class MeetingOut(Schema):
    id: int
    held_on: date
    agenda: str
    minutes: str
    documents: list[DocumentOut]
    decisions: list[DecisionOut]


class GroupOut(Schema):
    id: int
    name: str
    mandate: str
    members: list[str]
    chairs: list[str]
    work_items: list[WorkItemOut]
    meetings: list[MeetingOut]


class StatusIn(Schema):
    status: Annotated[str, Field(max_length=16)]


class EntityWorkItemOut(WorkItemOut):
    group_id: int


class EntityOut(Schema):
    code: str
    name: str
    chairs: list[GroupSummaryOut]
    member_of: list[GroupSummaryOut]
    work_items: list[EntityWorkItemOut]
    follow_ups: list[FollowUpOut]


@router.get("/groups", response=list[GroupSummaryOut], summary="The Compact's working groups")
@paginate(Pagination)
def list_groups(request: AuthenticatedHttpRequest) -> QuerySet[WorkingGroup]:
    _require_groups(request.user)
    return groups.visible_groups(request.user)


@router.post("/groups", response={201: GroupOut}, summary="Set up a working group")
def create_group(request: AuthenticatedHttpRequest, payload: GroupIn) -> Status:
    _require_groups(request.user)
    group = services.create_group(acting_user=request.user, data=payload.dict())
    return Status(201, groups.group_detail(groups.access_group(request.user, group.pk)))


@router.get("/groups/{group_id}", response=GroupOut, summary="A group: members, work, meetings")
def get_group(request: AuthenticatedHttpRequest, group_id: int) -> dict:
    return groups.group_detail(groups.access_group(request.user, group_id))


@router.post(
    "/groups/{group_id}/work-items", response={201: GroupOut}, summary="Add to the programme"
)
def add_work_item(request: AuthenticatedHttpRequest, group_id: int, payload: WorkItemIn) -> Status:
    group = groups.access_group(request.user, group_id)
    services.add_work_item(acting_user=request.user, group=group, data=payload.dict())
    return Status(201, groups.group_detail(groups.access_group(request.user, group_id)))


@router.post(
    "/groups/{group_id}/meetings",
    response={201: GroupOut},
    summary="Record a meeting with its decisions and follow-ups",
)
def record_meeting(request: AuthenticatedHttpRequest, group_id: int, payload: MeetingIn) -> Status:
    group = groups.access_group(request.user, group_id)
    services.record_meeting(acting_user=request.user, group=group, data=payload.dict())
    return Status(201, groups.group_detail(groups.access_group(request.user, group_id)))


@router.post(
    "/follow-ups/{follow_up_id}/status", response=FollowUpOut, summary="Report on a follow-up"
)
def follow_up_status(
    request: AuthenticatedHttpRequest, follow_up_id: int, payload: StatusIn
) -> dict:
    follow_up = groups.access_follow_up(request.user, follow_up_id)
    services.set_follow_up_status(
        acting_user=request.user, follow_up=follow_up, status=payload.status
    )
    return groups.follow_up_detail(follow_up)


@router.post(
    "/meetings/{meeting_id}/documents",
    response={201: DocumentOut},
    summary="Add a document to a meeting (PDF, Word/OpenDocument, PNG, JPEG; 10 MB)",
)
def add_document(
    request: AuthenticatedHttpRequest, meeting_id: int, file: File[UploadedFile]
) -> Status:
    meeting = groups.access_meeting(request.user, meeting_id)
    document = services.add_meeting_document(
        acting_user=request.user,
        meeting=meeting,
        filename=file.name or "",
        content_type=file.content_type or "",
        data=file.read(),
    )
    return Status(201, {"id": document.pk, "filename": document.filename, "size": document.size})


@router.get(
    "/documents/{document_id}",
    response={200: None},
    summary="Download a meeting's document",
    operation_id="ctnet_coordination_api_download_document",
)
def download_document(request: AuthenticatedHttpRequest, document_id: int) -> FileResponse:
    return groups.document_download(request.user, document_id)


@router.post(
    "/decisions/{decision_id}/follow-ups",
    response={201: FollowUpOut},
    summary="Add a follow-up action to a decision",
)
def add_follow_up(
    request: AuthenticatedHttpRequest, decision_id: int, payload: FollowUpIn
) -> Status:
    decision = groups.access_decision(request.user, decision_id)
    follow_up = services.add_follow_up(
        acting_user=request.user, decision=decision, data=payload.dict()
    )
    return Status(201, groups.follow_up_detail(groups.access_follow_up(request.user, follow_up.pk)))


@router.post(
    "/work-items/{item_id}/status", response=WorkItemOut, summary="Move an item of the programme"
)
def work_item_status(request: AuthenticatedHttpRequest, item_id: int, payload: StatusIn) -> dict:
    item = groups.access_work_item(request.user, item_id)
    services.set_work_item_status(acting_user=request.user, item=item, status=payload.status)
    return {
        "id": item.pk,
        "title": item.title,
        "owner": item.owner.code,
        "due_date": item.due_date,
        "status": item.status,
    }


@router.get("/follow-ups/late", response=list[FollowUpOut], summary="Follow-ups past their date")
@paginate(Pagination)
def late_follow_ups(request: AuthenticatedHttpRequest, entity: str = "") -> list[dict]:
    _require_groups(request.user)
    org_id = groups.access_entity(request.user, entity).pk if entity else None
    return [groups.follow_up_detail(f) for f in groups.late_follow_ups(request.user, org_id)]


@router.get("/entities/{code}", response=EntityOut, summary="What an entity chairs and owes")
def entity(request: AuthenticatedHttpRequest, code: str) -> dict:
    return groups.entity_detail(request.user, groups.access_entity(request.user, code))
