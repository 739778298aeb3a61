"""The linked copies an approved onward release makes, of a request or of a bulletin.

A copy stays the originator's material: same markings and handling codes (H1 and H2 travel
with it), same protected source, ``released_from`` pointing at the original and the
originator's conditions attached; person records are copied as members of the same family, so
corrections and withdrawals reach them. The original stays out of the new recipient's reach.
Called inside the approval's transaction.
"""

from __future__ import annotations

from typing import Any

from ctnet.core import audit
from ctnet.core.markings import TLP
from ctnet.core.models import User
from ctnet.exchange.models import (
    Attachment,
    Audience,
    Bulletin,
    BulletinAck,
    Indicator,
    ReleaseRequest,
    Request,
)
from ctnet.exchange.services.common import named_readers
from ctnet.exchange.services.people import copy_people
from ctnet.exchange.services.sending import create_delivery, default_deadline

MARKING_FIELDS = ("tlp", "handling", "handling_note", "source_grade", "info_grade")


def _marked_copy_fields(original: Any, acting_user: User, conditions: str) -> dict[str, Any]:
    return {
        "originator_id": original.originator_id,
        "created_by": acting_user,
        "source_details_enc": original.source_details_enc,
        "released_from": original,
        "release_conditions": conditions,
        **{f: getattr(original, f) for f in MARKING_FIELDS},
    }


def _address(copy: Request | Bulletin, recipient_id: int) -> None:
    copy.recipient_orgs.set([recipient_id])
    if copy.tlp == TLP.RED:
        copy.recipient_users.set(named_readers([recipient_id]))


def request_copy(acting_user: User, release: ReleaseRequest, conditions: str) -> Request:
    original = release.request
    assert original is not None and release.new_recipient is not None
    copy = Request.objects.create(
        subject=original.subject,
        body=original.body,
        priority=original.priority,
        topic=original.topic,
        legal_basis=original.legal_basis,
        purpose=original.purpose,
        **_marked_copy_fields(original, acting_user, conditions),
    )
    _address(copy, release.new_recipient.pk)
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


def bulletin_copy(acting_user: User, release: ReleaseRequest, conditions: str) -> Bulletin:
    original = release.bulletin
    assert original is not None and release.new_recipient is not None
    copy = Bulletin.objects.create(
        title=original.title,
        body=original.body,
        category=original.category,
        audience=Audience.RELEASE,
        **_marked_copy_fields(original, acting_user, conditions),
    )
    _address(copy, release.new_recipient.pk)
    BulletinAck.objects.create(bulletin=copy, organisation=release.new_recipient)
    Indicator.objects.bulk_create(
        Indicator(
            bulletin=copy,
            kind=i.kind,
            value=i.value,
            shareable=i.shareable,
            description=i.description,
        )
        for i in original.indicators.order_by("pk")
    )
    copy_people(acting_user=acting_user, source=original, target=copy)
    audit.record(
        "exchange.bulletin.release_copy",
        actor=acting_user,
        obj=copy,
        detail={"released_from": original.pk, "recipient": release.new_recipient.code},
    )
    return copy
