"""Fetch helpers for exchange objects: the object, or Http404 for missing and forbidden alike.

Every miss on a request, bulletin, release or person record is written to the audit log as
``exchange.denied``: someone probing ids outside their addressees shows up in the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ctnet.core import audit, services
from ctnet.core.markings import AUDITED_READ_TLP
from ctnet.core.policy import membership_of
from ctnet.exchange.models import (
    Bulletin,
    Delivery,
    PersonRecord,
    ReleaseRequest,
    Request,
    SharingGroup,
)
from ctnet.exchange.policy import policy
from ctnet.exchange.services.people import due_for_review


def deny(user: Any, kind: str, obj_id: Any) -> Http404:
    with transaction.atomic():
        audit.record(
            "exchange.denied",
            actor=user,
            object_type=f"exchange.{kind}",
            object_id=str(obj_id)[:64],
        )
    return Http404()


def visible_requests(user: Any) -> QuerySet[Request]:
    return policy.exchange_visible(Request.objects.all(), user)


def visible_bulletins(user: Any) -> QuerySet[Bulletin]:
    return policy.exchange_visible(Bulletin.objects.all(), user)


def bulletins_to_acknowledge(user: Any) -> QuerySet[Bulletin]:
    """Bulletins addressed to the user's organisation that it has not acknowledged yet."""
    membership = membership_of(user)
    if membership is None:
        return Bulletin.objects.none()
    return visible_bulletins(user).filter(
        acks__organisation_id=membership.organisation_id, acks__acknowledged_at=None
    )


def _audit_read(user: Any, obj: Any) -> None:
    if obj.tlp in AUDITED_READ_TLP:
        services.record_read(acting_user=user, obj=obj, why=f"TLP:{obj.tlp}")


def access_request(user: Any, request_id: int) -> Request:
    obj = visible_requests(user).select_related("originator", "created_by").filter(pk=request_id)
    found = obj.first()
    if found is None:
        raise deny(user, "request", request_id)
    _audit_read(user, found)
    return found


def read_request(user: Any, request_id: int) -> Request:
    """A request to read or act on: the role gate (403) and ``access_request`` (404, audited
    read). It writes nothing else: opening a request, by a GET or any link, is no delivery
    receipt (the recipient confirms receipt explicitly, ``services.lifecycle.open_request``).
    """
    if not policy.can_use_exchange(user):
        raise PermissionDenied(_("Your role does not take part in exchanges."))
    return access_request(user, request_id)


def own_delivery(user: Any, request: Request) -> Delivery | None:
    """The delivery of this request to the user's organisation, if it is a recipient."""
    membership = membership_of(user)
    if membership is None:
        return None
    return request.deliveries.filter(organisation_id=membership.organisation_id).first()


def access_delivery(user: Any, request: Request, delivery_id: int) -> Delivery:
    """A delivery of a visible request: the sender sees all, a recipient only its own."""
    membership = membership_of(user)
    qs = request.deliveries.select_related("organisation").filter(pk=delivery_id)
    if membership is None or (
        request.originator_id != membership.organisation_id
        and not qs.filter(organisation_id=membership.organisation_id).exists()
    ):
        raise deny(user, "delivery", delivery_id)
    delivery = qs.first()
    if delivery is None:
        raise deny(user, "delivery", delivery_id)
    return delivery


def access_bulletin(user: Any, bulletin_id: int) -> Bulletin:
    found = (
        visible_bulletins(user)
        .select_related("originator", "sharing_group")
        .filter(pk=bulletin_id)
        .first()
    )
    if found is None:
        raise deny(user, "bulletin", bulletin_id)
    _audit_read(user, found)
    return found


def visible_releases(user: Any) -> QuerySet[ReleaseRequest]:
    """Release requests filed by the user's organisation or awaiting its decision."""
    membership = membership_of(user)
    if membership is None or not policy.can_use_exchange(user):
        return ReleaseRequest.objects.none()
    org_id = membership.organisation_id
    return ReleaseRequest.objects.filter(
        Q(requesting_org_id=org_id) | Q(originator_id=org_id)
    ).select_related("request", "bulletin", "requesting_org", "new_recipient")


def access_release(user: Any, release_id: int) -> ReleaseRequest:
    found = visible_releases(user).filter(pk=release_id).first()
    if found is None:
        raise deny(user, "release", release_id)
    return found


def visible_people(user: Any) -> QuerySet[PersonRecord]:
    return PersonRecord.objects.filter(
        Q(request__in=visible_requests(user)) | Q(bulletin__in=visible_bulletins(user))
    )


def access_person(user: Any, record_id: int) -> PersonRecord:
    """A person record on material the user may read; every read is audited (rule 5)."""
    found = visible_people(user).filter(pk=record_id).first()
    if found is None:
        raise deny(user, "person", record_id)
    services.record_read(acting_user=user, obj=found, why="person record")
    return found


def visible_groups(user: Any) -> QuerySet[SharingGroup]:
    """Sharing groups the user's organisation owns or belongs to."""
    membership = membership_of(user)
    if membership is None:
        return SharingGroup.objects.none()
    org_id = membership.organisation_id
    return (
        SharingGroup.objects.filter(Q(owner_id=org_id) | Q(members=org_id))
        .distinct()
        .select_related("owner")
    )


def access_group(user: Any, group_id: int) -> SharingGroup:
    found = visible_groups(user).filter(pk=group_id).first()
    if found is None:
        raise deny(user, "group", group_id)
    return found


def due_people(user: Any) -> QuerySet[PersonRecord]:
    """The user's organisation's own records due for review, oldest review date first; the
    caller has passed ``policy.can_review_people`` (another organisation's never appear)."""
    membership = membership_of(user)
    if membership is None:
        return PersonRecord.objects.none()
    return (
        due_for_review()
        .filter(originator_id=membership.organisation_id)
        .select_related("originator")
        .order_by("review_date", "pk")
    )


def record_due_read(user: Any, records: Sequence[PersonRecord]) -> None:
    """A page of the due list names people: one audited read with the ids shown (rule 5)."""
    ids = [r.pk for r in records]
    if ids:
        with transaction.atomic():
            audit.record(
                "read",
                actor=user,
                object_type="exchange.personrecord",
                detail={"why": "due for review", "records": ids},
            )
