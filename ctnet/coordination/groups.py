"""Reading the Compact's working groups: fetch helpers (404 for missing and forbidden alike),
the late follow-ups, an entity's part across groups, and the shapes pages and API share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone

from ctnet.coordination.models import (
    OPEN_ITEM_STATUSES,
    Decision,
    FollowUp,
    GroupMeeting,
    MeetingDocument,
    WorkingGroup,
    WorkItem,
)
from ctnet.coordination.policy import groups_policy
from ctnet.core.models import Organisation


def visible_groups(user: Any) -> QuerySet[WorkingGroup]:
    if not groups_policy.can_read_groups(user):
        return WorkingGroup.objects.none()
    return WorkingGroup.objects.all()


def access_group(user: Any, group_id: int) -> WorkingGroup:
    found = (
        visible_groups(user)
        .prefetch_related(
            "members",
            "chairs",
            Prefetch("work_items", WorkItem.objects.select_related("owner")),
            Prefetch(
                "meetings",
                GroupMeeting.objects.prefetch_related(
                    "documents",
                    Prefetch(
                        "decisions",
                        Decision.objects.prefetch_related(
                            Prefetch("follow_ups", FollowUp.objects.select_related("responsible"))
                        ),
                    ),
                ),
            ),
        )
        .filter(pk=group_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_follow_up(user: Any, follow_up_id: int) -> FollowUp:
    found = (
        FollowUp.objects.select_related("decision__meeting__group", "responsible")
        .filter(pk=follow_up_id, decision__meeting__group__in=visible_groups(user))
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_work_item(user: Any, item_id: int) -> WorkItem:
    found = (
        WorkItem.objects.select_related("group", "owner")
        .filter(pk=item_id, group__in=visible_groups(user))
        .first()
    )
    if found is None:
        raise Http404
    return found


def documents_dir() -> Path:
    """Where meetings' documents are stored, each under its digest (``core/files.py``)."""
    return Path(settings.DATA_DIR) / "coordination" / "documents"


def access_meeting(user: Any, meeting_id: int) -> GroupMeeting:
    found = (
        GroupMeeting.objects.select_related("group")
        .filter(pk=meeting_id, group__in=visible_groups(user))
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_document(user: Any, document_id: int) -> MeetingDocument:
    found = MeetingDocument.objects.filter(
        pk=document_id, meeting__group__in=visible_groups(user)
    ).first()
    if found is None:
        raise Http404
    return found


def document_download(user: Any, document_id: int) -> FileResponse:
    """A meeting's document as a download, for the page and the API alike."""
    document = access_document(user, document_id)
    return FileResponse(
        (documents_dir() / document.digest).open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )


def access_decision(user: Any, decision_id: int) -> Decision:
    found = (
        Decision.objects.select_related("meeting__group")
        .filter(pk=decision_id, meeting__group__in=visible_groups(user))
        .first()
    )
    if found is None:
        raise Http404
    return found


def late_follow_ups(user: Any, org_id: int | None = None) -> QuerySet[FollowUp]:
    """Follow-ups not done past their date, oldest first; of one organisation if given."""
    qs = FollowUp.objects.filter(
        decision__meeting__group__in=visible_groups(user),
        status__in=OPEN_ITEM_STATUSES,
        due_date__lt=timezone.localdate(),
    ).select_related("responsible", "decision__meeting__group")
    if org_id is not None:
        qs = qs.filter(responsible_id=org_id)
    return qs.order_by("due_date", "id")


def access_entity(user: Any, code: str) -> Organisation:
    if not groups_policy.can_read_groups(user):
        raise Http404
    found = Organisation.objects.filter(code=code.upper(), is_active=True).first()
    if found is None:
        raise Http404
    return found


def follow_up_detail(f: FollowUp) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "id": f.pk,
        "title": f.title,
        "responsible": f.responsible.code,
        "due_date": f.due_date,
        "status": f.status,
        "late": f.status in OPEN_ITEM_STATUSES and f.due_date < today,
        "group_id": f.decision.meeting.group_id,
    }


def group_detail(g: WorkingGroup) -> dict[str, Any]:
    return {
        "id": g.pk,
        "name": g.name,
        "mandate": g.mandate,
        "members": sorted(o.code for o in g.members.all()),
        "chairs": sorted(o.code for o in g.chairs.all()),
        "work_items": [
            {
                "id": i.pk,
                "title": i.title,
                "owner": i.owner.code,
                "due_date": i.due_date,
                "status": i.status,
            }
            for i in g.work_items.all()
        ],
        "meetings": [
            {
                "id": m.pk,
                "held_on": m.held_on,
                "agenda": m.agenda,
                "minutes": m.minutes,
                "documents": [
                    {"id": d.pk, "filename": d.filename, "size": d.size} for d in m.documents.all()
                ],
                "decisions": [
                    {
                        "id": d.pk,
                        "text": d.text,
                        "follow_ups": [follow_up_detail(f) for f in d.follow_ups.all()],
                    }
                    for d in m.decisions.all()
                ],
            }
            for m in g.meetings.all()
        ],
    }


def entity_detail(user: Any, org: Organisation) -> dict[str, Any]:
    """What an entity chairs, belongs to, and owes (work items and follow-ups not done)."""
    groups = visible_groups(user)
    owed = (
        FollowUp.objects.filter(
            responsible=org,
            status__in=OPEN_ITEM_STATUSES,
            decision__meeting__group__in=groups,
        )
        .select_related("responsible", "decision__meeting")
        .order_by("due_date", "id")
    )
    items = WorkItem.objects.filter(
        owner=org, status__in=OPEN_ITEM_STATUSES, group__in=groups
    ).select_related("owner")
    return {
        "code": org.code,
        "name": org.name,
        "chairs": [{"id": g.pk, "name": g.name} for g in groups.filter(chairs=org)],
        "member_of": [{"id": g.pk, "name": g.name} for g in groups.filter(members=org)],
        "work_items": [
            {
                "id": i.pk,
                "title": i.title,
                "owner": i.owner.code,
                "due_date": i.due_date,
                "status": i.status,
                "group_id": i.group_id,
            }
            for i in items
        ],
        "follow_ups": [follow_up_detail(f) for f in owed],
    }
