"""Originator control (DESIGN.md rule 2): onward sharing only with the originator's approval."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.markings import TLP, needs_release
from ctnet.core.models import COMMUNITY_KINDS, Organisation, User
from ctnet.core.policy import acting_org
from ctnet.exchange.models import Attachment, ReleaseRequest, ReleaseStatus, Request
from ctnet.exchange.policy import policy
from ctnet.exchange.services.common import named_readers, notify_after_commit
from ctnet.exchange.services.people import copy_people
from ctnet.exchange.services.sending import create_delivery, default_deadline


def file_release(
    *, acting_user: User, request: Request, new_recipient: Organisation, reason: str
) -> ReleaseRequest:
    """A recipient asks the originator to pass the request on to ``new_recipient``."""
    org = acting_org(acting_user)
    if not policy.can_send_exchange(acting_user) or org.pk == request.originator_id:
        raise PermissionDenied(_("Only a recipient organisation asks for a release."))
    if not request.deliveries.filter(organisation=org).exists():
        raise PermissionDenied(_("Only a recipient organisation asks for a release."))
    if not needs_release(request.tlp, request.handling):
        raise ValidationError(
            _("This material is not originator-controlled; no release is needed.")
        )
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for passing it on."))
    if not new_recipient.is_active or new_recipient.kind not in COMMUNITY_KINDS:
        raise ValidationError(_("%(code)s cannot receive material.") % {"code": new_recipient.code})
    if (
        new_recipient.pk == request.originator_id
        or request.deliveries.filter(organisation=new_recipient).exists()
    ):
        raise ValidationError(_("%(code)s already has it.") % {"code": new_recipient.code})
    with transaction.atomic():
        release = ReleaseRequest.objects.create(
            request=request,
            requested_by=acting_user,
            requesting_org=org,
            new_recipient=new_recipient,
            reason=reason.strip()[:5000],
        )
        audit.record(
            "exchange.release.file",
            actor=acting_user,
            obj=release,
            detail={"request": request.pk, "new_recipient": new_recipient.code},
        )
        notify_after_commit(
            "release_filed", "/exchange/releases/", [request.originator_id], heads_only=True
        )
    return release


def _decide(acting_user: User, release: ReleaseRequest) -> ReleaseRequest:
    if not policy.can_decide_release(acting_user, release):
        raise PermissionDenied(_("Only the originating organisation's head decides a release."))
    locked = ReleaseRequest.objects.select_for_update().select_related("request").get(pk=release.pk)
    if locked.status != ReleaseStatus.PENDING:
        raise ValidationError(_("This release request is already decided."))
    return locked


def approve_release(
    *, acting_user: User, release: ReleaseRequest, conditions: str = ""
) -> ReleaseRequest:
    """Approve: a new copy, linked to the original, goes to the new recipient."""
    with transaction.atomic():
        locked = _decide(acting_user, release)
        copy = _release_copy(acting_user, locked, conditions.strip()[:5000])
        locked.status = ReleaseStatus.APPROVED
        locked.decided_by = acting_user
        locked.decided_at = timezone.now()
        locked.conditions = conditions.strip()[:5000]
        locked.copy = copy
        locked.save()
        audit.record(
            "exchange.release.approve",
            actor=acting_user,
            obj=locked,
            detail={"copy": copy.pk, "new_recipient": locked.new_recipient.code},
        )
        notify_after_commit("release_decided", "/exchange/releases/", [locked.requesting_org_id])
        notify_after_commit(
            "request_sent", f"/exchange/requests/{copy.pk}/", [locked.new_recipient_id]
        )
    return locked


def _release_copy(acting_user: User, release: ReleaseRequest, conditions: str) -> Request:
    original = release.request
    # The copy stays the originator's material: same markings, same protected source.
    copy = Request.objects.create(
        originator_id=original.originator_id,
        created_by=acting_user,
        subject=original.subject,
        body=original.body,
        priority=original.priority,
        topic=original.topic,
        legal_basis=original.legal_basis,
        purpose=original.purpose,
        source_details_enc=original.source_details_enc,
        released_from=original,
        release_conditions=conditions,
        tlp=original.tlp,
        handling=original.handling,
        handling_note=original.handling_note,
        source_grade=original.source_grade,
        info_grade=original.info_grade,
    )
    copy.recipient_orgs.set([release.new_recipient_id])
    if copy.tlp == TLP.RED:
        copy.recipient_users.set(named_readers([release.new_recipient_id]))
    create_delivery(copy, release.new_recipient, default_deadline(copy.priority, copy.created_at))
    copy_people(acting_user=acting_user, source=original, target=copy)
    # Files are content-addressed: the copy points at the same stored bytes.
    Attachment.objects.bulk_create(
        Attachment(
            request=copy,
            filename=a.filename,
            content_type=a.content_type,
            size=a.size,
            sha256=a.sha256,
            uploaded_by_id=a.uploaded_by_id,
        )
        for a in original.attachments.all()
    )
    audit.record(
        "exchange.request.release_copy",
        actor=acting_user,
        obj=copy,
        detail={"released_from": original.pk, "recipient": release.new_recipient.code},
    )
    return copy


def refuse_release(*, acting_user: User, release: ReleaseRequest, reason: str) -> ReleaseRequest:
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for refusing."))
    with transaction.atomic():
        locked = _decide(acting_user, release)
        locked.status = ReleaseStatus.REFUSED
        locked.decided_by = acting_user
        locked.decided_at = timezone.now()
        locked.refusal_reason = reason.strip()[:5000]
        locked.save()
        audit.record("exchange.release.refuse", actor=acting_user, obj=locked)
        notify_after_commit("release_decided", "/exchange/releases/", [locked.requesting_org_id])
    return locked
