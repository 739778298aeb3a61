"""Plain dicts for the API and pages, so that what leaves the server is decided in one place.

The decrypted source appears only for the originating organisation; a recipient sees its own
delivery and thread, never those of the other recipients.
"""

from __future__ import annotations

from typing import Any

from ctnet.core import services
from ctnet.core.policy import membership_of
from ctnet.exchange import crypto
from ctnet.exchange.models import Bulletin, Delivery, PersonRecord, Reply, Request
from ctnet.exchange.policy import policy


def delivery_detail(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.pk,
        "organisation": d.organisation.code,
        "status": d.status,
        "deadline": d.deadline,
        "overdue": d.is_overdue,
        "sent_at": d.sent_at,
        "delivered_at": d.delivered_at,
        "acknowledged_at": d.acknowledged_at,
        "first_answer_at": d.first_answer_at,
        "answered_at": d.answered_at,
        "refused_at": d.refused_at,
        "refusal_reason": d.refusal_reason,
        "closed_at": d.closed_at,
        "replies": [reply(m) for m in d.replies.all()],
    }


def reply(m: Reply) -> dict[str, Any]:
    return {
        "id": m.pk,
        "author": m.author.username,
        "organisation": m.organisation.code,
        "kind": m.kind,
        "body": m.body,
        "created_at": m.created_at,
    }


def person(record: PersonRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "copy_of": record.copy_of_id,
        "originator": record.originator.code,
        "family_name": record.family_name,
        "given_names": record.given_names,
        "date_of_birth": record.date_of_birth,
        "nationality": record.nationality,
        "documents": record.documents,
        "legal_status": record.legal_status,
        "legal_basis": record.legal_basis,
        "purpose": record.purpose,
        "review_date": record.review_date,
        "retain_until": record.retain_until,
        "version": record.version,
        "updated_at": record.updated_at,
    }


def people_read(user: Any, material: Request | Bulletin) -> list[dict[str, Any]]:
    """The person records on material, each read written to the audit log (rule 5)."""
    rows = []
    for record in material.people.select_related("originator"):
        services.record_read(acting_user=user, obj=record, why=f"{type(material).__name__}")
        rows.append(person(record))
    return rows


def markings(obj: Any) -> dict[str, Any]:
    return {
        "tlp": obj.tlp,
        "handling": obj.handling,
        "handling_note": obj.handling_note,
        "source_grade": obj.source_grade,
        "info_grade": obj.info_grade,
    }


def source_for(user: Any, obj: Any) -> str | None:
    if not policy.can_see_exchange_source(user, obj):
        return None
    return crypto.decrypt(obj.source_details_enc)


def request_detail(user: Any, r: Request, deliveries: list[Delivery]) -> dict[str, Any]:
    return {
        "id": r.pk,
        "subject": r.subject,
        "body": r.body,
        "priority": r.priority,
        "topic": r.topic,
        "legal_basis": r.legal_basis,
        "purpose": r.purpose,
        **markings(r),
        "originator": r.originator.code,
        "created_by": r.created_by.username,
        "created_at": r.created_at,
        "released_from": r.released_from_id,
        "release_conditions": r.release_conditions,
        "source_details": source_for(user, r),
        "deliveries": [delivery_detail(d) for d in deliveries],
        "attachments": [
            {"id": a.pk, "filename": a.filename, "size": a.size, "content_type": a.content_type}
            for a in r.attachments.all()
        ],
        "people": people_read(user, r),
    }


def deliveries_for(user: Any, r: Request) -> list[Delivery]:
    """All deliveries for the sender; a recipient's own only."""
    qs = r.deliveries.select_related("organisation").prefetch_related(
        "replies__author", "replies__organisation"
    )
    membership = membership_of(user)
    if not policy.can_edit_marked(user, r) and membership is not None:
        qs = qs.filter(organisation_id=membership.organisation_id)
    return list(qs)


def bulletin_detail(user: Any, b: Bulletin) -> dict[str, Any]:
    """Addressees see their own acknowledgement; the originator sees everyone's."""
    acks = b.acks.select_related("organisation").order_by("organisation__code")
    membership = membership_of(user)
    if membership is None:
        acks = acks.none()
    elif not policy.can_edit_marked(user, b):
        acks = acks.filter(organisation_id=membership.organisation_id)
    return {
        "id": b.pk,
        "title": b.title,
        "body": b.body,
        "category": b.category,
        "audience": b.audience,
        "un_group": b.un_group,
        "sharing_group": b.sharing_group.name if b.sharing_group else None,
        **markings(b),
        "originator": b.originator.code,
        "created_at": b.created_at,
        "source_details": source_for(user, b),
        "indicators": list(b.indicators.order_by("pk")),
        "acknowledgements": [
            {"organisation": a.organisation.code, "acknowledged_at": a.acknowledged_at}
            for a in acks
        ],
        "people": people_read(user, b),
    }
