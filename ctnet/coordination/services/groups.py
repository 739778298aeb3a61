"""The Compact's working groups: setting one up, its programme of work, meetings, decisions
and the follow-up actions they assign. Every write is one transaction with its audit row; every
refusal is raised before anything is written."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.coordination import notices
from ctnet.coordination.groups import documents_dir
from ctnet.coordination.models import (
    OPEN_ITEM_STATUSES,
    Decision,
    FollowUp,
    GroupMeeting,
    ItemStatus,
    MeetingDocument,
    WorkingGroup,
    WorkItem,
)
from ctnet.coordination.policy import groups_policy
from ctnet.core import audit, files
from ctnet.core.access import organisations_by_code
from ctnet.core.models import Organisation, OrgKind, User
from ctnet.core.policy import acting_org

# The Compact's signatories: UN entities and the international organisations that joined
# (INTERPOL, the IOM, the WCO ...); states are served by the groups, not members of them.
ENTITY_KINDS = frozenset({OrgKind.UN_ENTITY, OrgKind.INTERNATIONAL})


def group_path(group_id: int) -> str:
    return reverse("coordination-group", args=[group_id])


def _entities(codes: list[str]) -> list[Organisation]:
    orgs = organisations_by_code(codes)
    others = [o.code for o in orgs if o.kind not in ENTITY_KINDS]
    if others:
        raise ValidationError(_("Not Compact entities: %(codes)s.") % {"codes": ", ".join(others)})
    return orgs


def _member_of(group: WorkingGroup, codes: list[str], what: str) -> list[Organisation]:
    orgs = organisations_by_code(codes)
    member_ids = set(group.members.values_list("pk", flat=True))
    outside = [o.code for o in orgs if o.pk not in member_ids]
    if outside:
        raise ValidationError(
            _("%(what)s must be members of the group; not members: %(codes)s.")
            % {"what": what, "codes": ", ".join(outside)}
        )
    return orgs


def _members_and_chairs(data: dict[str, Any]) -> tuple[list[Organisation], list[Organisation]]:
    members = _entities(data.get("members") or [])
    chairs = organisations_by_code(data.get("chairs") or [])
    if not members:
        raise ValidationError(_("A working group has at least one member entity."))
    if not chairs:
        raise ValidationError(_("A working group has at least one chair."))
    outside = [c.code for c in chairs if c not in members]
    if outside:
        raise ValidationError(
            _("Chairs must be members of the group; not members: %(codes)s.")
            % {"codes": ", ".join(outside)}
        )
    return members, chairs


def create_group(*, acting_user: User, data: dict[str, Any]) -> WorkingGroup:
    if not groups_policy.can_create_group(acting_user):
        raise PermissionDenied(_("The secretariat sets up the Compact's working groups."))
    name = data["name"].strip()
    if WorkingGroup.objects.filter(name__iexact=name).exists():
        raise ValidationError(_("A working group of that name exists already."))
    members, chairs = _members_and_chairs(data)
    try:
        group = _create_group(acting_user, name, data.get("mandate") or "", members, chairs)
    except IntegrityError:
        # Another person set up a group of that name between the check above and the insert.
        raise ValidationError(_("A working group of that name exists already.")) from None
    return group


def _create_group(
    acting_user: User,
    name: str,
    mandate: str,
    members: list[Organisation],
    chairs: list[Organisation],
) -> WorkingGroup:
    with transaction.atomic():
        group = WorkingGroup.objects.create(name=name, mandate=mandate, created_by=acting_user)
        group.members.set(members)
        group.chairs.set(chairs)
        audit.record(
            "coordination.group_created",
            actor=acting_user,
            obj=group,
            detail={"members": [m.code for m in members], "chairs": [c.code for c in chairs]},
        )
    return group


def update_group(*, acting_user: User, group: WorkingGroup, data: dict[str, Any]) -> WorkingGroup:
    """The secretariat renames a group, rewrites its mandate, and changes its members and
    chairs; a member that still owns open work or owes a follow-up stays until it is done or
    handed over (the record must keep a responsible member)."""
    if not groups_policy.can_create_group(acting_user):
        raise PermissionDenied(_("The secretariat sets up the Compact's working groups."))
    name = data["name"].strip()
    if WorkingGroup.objects.filter(name__iexact=name).exclude(pk=group.pk).exists():
        raise ValidationError(_("A working group of that name exists already."))
    members, chairs = _members_and_chairs(data)
    leaving = set(group.members.values_list("pk", flat=True)) - {m.pk for m in members}
    owing = sorted(
        set(
            group.work_items.filter(
                owner_id__in=leaving, status__in=OPEN_ITEM_STATUSES
            ).values_list("owner__code", flat=True)
        )
        | set(
            FollowUp.objects.filter(
                decision__meeting__group=group,
                responsible_id__in=leaving,
                status__in=OPEN_ITEM_STATUSES,
            ).values_list("responsible__code", flat=True)
        )
    )
    if owing:
        raise ValidationError(
            _("These members still own open work or follow-ups: %(codes)s.")
            % {"codes": ", ".join(owing)}
        )
    try:
        with transaction.atomic():
            before = {
                "members": sorted(group.members.values_list("code", flat=True)),
                "chairs": sorted(group.chairs.values_list("code", flat=True)),
            }
            group.name, group.mandate = name, data.get("mandate") or ""
            group.save(update_fields=["name", "mandate"])
            group.members.set(members)
            group.chairs.set(chairs)
            audit.record(
                "coordination.group_updated",
                actor=acting_user,
                obj=group,
                detail={
                    "members": [before["members"], sorted(m.code for m in members)],
                    "chairs": [before["chairs"], sorted(c.code for c in chairs)],
                },
            )
    except IntegrityError:
        raise ValidationError(_("A working group of that name exists already.")) from None
    return group


def _require_run(acting_user: User, group: WorkingGroup) -> None:
    if not groups_policy.can_run_group(acting_user, group):
        raise PermissionDenied(_("The secretariat and the group's chairs record its work."))


def add_work_item(*, acting_user: User, group: WorkingGroup, data: dict[str, Any]) -> WorkItem:
    _require_run(acting_user, group)
    (owner,) = _member_of(group, [data["owner"]], _("Owners"))
    with transaction.atomic():
        item = WorkItem.objects.create(
            group=group, title=data["title"], owner=owner, due_date=data["due_date"]
        )
        audit.record(
            "coordination.work_item_added",
            actor=acting_user,
            obj=item,
            detail={"group": group.pk, "owner": owner.code},
        )
    return item


def record_meeting(*, acting_user: User, group: WorkingGroup, data: dict[str, Any]) -> GroupMeeting:
    """A meeting with its agenda and minutes, and the decisions taken there with the follow-up
    actions they assign; the responsible entities are told."""
    _require_run(acting_user, group)
    if not (data.get("agenda") or "").strip():
        raise ValidationError(_("A meeting has an agenda."))
    decisions = data.get("decisions") or []
    planned: list[tuple[str, list[tuple[dict[str, Any], Organisation]]]] = []
    for decision in decisions:
        if not (decision.get("text") or "").strip():
            raise ValidationError(_("A decision has a text."))
        actions = []
        for action in decision.get("follow_ups") or []:
            (responsible,) = _member_of(group, [action["responsible"]], _("Responsible entities"))
            held_on: date = data["held_on"]
            if action["due_date"] < held_on:
                raise ValidationError(_("A follow-up is due after the meeting that decides it."))
            actions.append((action, responsible))
        planned.append((decision["text"], actions))
    with transaction.atomic():
        meeting = GroupMeeting.objects.create(
            group=group,
            held_on=data["held_on"],
            agenda=data["agenda"],
            minutes=data.get("minutes") or "",
            created_by=acting_user,
        )
        told: set[int] = set()
        for text, actions in planned:
            decision_row = Decision.objects.create(meeting=meeting, text=text)
            FollowUp.objects.bulk_create(
                FollowUp(
                    decision=decision_row,
                    title=action["title"],
                    responsible=responsible,
                    due_date=action["due_date"],
                )
                for action, responsible in actions
            )
            told.update(r.pk for _a, r in actions)
        audit.record(
            "coordination.meeting_recorded",
            actor=acting_user,
            obj=meeting,
            detail={"group": group.pk, "decisions": len(planned), "told": sorted(told)},
        )
        if told:
            notices.queue("follow_up_assigned", sorted(told), group_path(group.pk))
    return meeting


def add_follow_up(*, acting_user: User, decision: Decision, data: dict[str, Any]) -> FollowUp:
    """One more follow-up action on a decision already recorded (a meeting's minutes often
    assign actions after the fact); the responsible entity is told."""
    group = decision.meeting.group
    _require_run(acting_user, group)
    title = (data.get("title") or "").strip()
    if not title:
        raise ValidationError(_("A follow-up has a title."))
    (responsible,) = _member_of(group, [data["responsible"]], _("Responsible entities"))
    if data["due_date"] < decision.meeting.held_on:
        raise ValidationError(_("A follow-up is due after the meeting that decides it."))
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            decision=decision, title=title, responsible=responsible, due_date=data["due_date"]
        )
        audit.record(
            "coordination.follow_up_added",
            actor=acting_user,
            obj=follow_up,
            detail={"group": group.pk, "decision": decision.pk, "responsible": responsible.code},
        )
        notices.queue("follow_up_assigned", [responsible.pk], group_path(group.pk))
    return follow_up


def _check_status(status: str) -> None:
    if status not in ItemStatus.values:
        raise ValidationError(
            _("Status is one of %(statuses)s.") % {"statuses": ", ".join(ItemStatus.values)}
        )


# Reports the chairs hear of: the work is over, one way or the other.
CLOSING_STATUSES = frozenset({ItemStatus.DONE, ItemStatus.DROPPED})


def set_follow_up_status(*, acting_user: User, follow_up: FollowUp, status: str) -> FollowUp:
    """The responsible entity (or those who run the group) reports; when the responsible
    entity itself closes an action, the chairs are told, since the group's next meeting
    reviews it."""
    if not groups_policy.can_report_follow_up(acting_user, follow_up):
        raise PermissionDenied(
            _("The responsible entity or those who run the group report on a follow-up.")
        )
    _check_status(status)
    group = follow_up.decision.meeting.group
    with transaction.atomic():
        before = follow_up.status
        follow_up.status = status
        follow_up.updated_at = timezone.now()
        follow_up.save(update_fields=["status", "updated_at"])
        audit.record(
            "coordination.follow_up_status",
            actor=acting_user,
            obj=follow_up,
            detail={"from": before, "to": status},
        )
        if status in CLOSING_STATUSES and status != before:
            chairs = set(group.chairs.values_list("pk", flat=True)) - {follow_up.responsible_id}
            if chairs and not groups_policy.can_run_group(acting_user, group):
                notices.queue("follow_up_reported", sorted(chairs), group_path(group.pk))
    return follow_up


def set_work_item_status(*, acting_user: User, item: WorkItem, status: str) -> WorkItem:
    """An item of the programme moves: its owner entity or those who run the group."""
    if not groups_policy.can_report_work_item(acting_user, item):
        raise PermissionDenied(
            _("The owner entity or those who run the group move an item of the programme.")
        )
    _check_status(status)
    with transaction.atomic():
        before = item.status
        item.status = status
        item.save(update_fields=["status"])
        audit.record(
            "coordination.work_item_status",
            actor=acting_user,
            obj=item,
            detail={"group": item.group_id, "from": before, "to": status},
        )
    return item


MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = files.file_types(files.PDF, files.DOCX, files.ODT, files.PNG, files.JPEG)
DOCUMENT_TYPES_LABEL = "PDF, Word/OpenDocument, PNG, JPEG"


def add_meeting_document(
    *, acting_user: User, meeting: GroupMeeting, filename: str, content_type: str, data: bytes
) -> MeetingDocument:
    """A meeting's document, checked by content (type, size) before anything is stored."""
    _require_run(acting_user, meeting.group)
    content_type = files.check_upload(
        content_type,
        data,
        accepted=DOCUMENT_TYPES,
        max_bytes=MAX_DOCUMENT_BYTES,
        accepted_label=DOCUMENT_TYPES_LABEL,
    )
    with transaction.atomic():
        digest = files.store_by_digest(documents_dir(), data)
        document = MeetingDocument.objects.create(
            meeting=meeting,
            filename=files.safe_filename(filename),
            content_type=content_type,
            digest=digest,
            size=len(data),
            added_by=acting_user,
            organisation=acting_org(acting_user),
        )
        audit.record(
            "coordination.meeting_document_added",
            actor=acting_user,
            obj=document,
            detail={"group": meeting.group_id, "meeting": meeting.pk, "sha256": digest},
        )
    return document
