"""A delivery's life: delivered, acknowledged, answered (in parts), refused, closed; overdue."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.models import User
from ctnet.core.policy import acting_org
from ctnet.exchange import access
from ctnet.exchange.models import (
    SETTLED_STATUSES,
    Delivery,
    DeliveryStatus,
    Reply,
    ReplyKind,
    Request,
)
from ctnet.exchange.policy import policy
from ctnet.exchange.services.common import notify_after_commit

MAX_REPLY_CHARS = 50_000


def _path(delivery: Delivery) -> str:
    return f"/exchange/requests/{delivery.request_id}/"


def _locked(delivery: Delivery) -> Delivery:
    # Re-read under a row lock: two officers of the same state may click at the same moment.
    return Delivery.objects.select_for_update().select_related("request").get(pk=delivery.pk)


def _log(action: str, user: User | None, delivery: Delivery, **detail: object) -> None:
    audit.record(
        action,
        actor=user,
        obj=delivery,
        detail={"request": delivery.request_id, "status": delivery.status, **detail},
    )


def open_request(*, acting_user: User, request_id: int) -> Request:
    """The delivery receipt: someone of a recipient organisation confirms having received the
    request (``delivered``, the step the sender sees), written once with its audit row.

    Called only from the explicit, authenticated action (``POST .../receipt``, the page's
    button); reading a request (``access.read_request``) never writes a receipt."""
    if not policy.can_use_exchange(acting_user):
        raise PermissionDenied(_("Your role does not take part in exchanges."))
    # Fetched outside the transaction: a refusal writes ``exchange.denied`` and raises Http404,
    # and that audit row must survive the 404.
    request = access.access_request(acting_user, request_id)
    own = access.own_delivery(acting_user, request)
    # A status never returns to ``sent``: later openings need no lock.
    if own is None or own.status != DeliveryStatus.SENT:
        return request
    with transaction.atomic():
        locked = _locked(own)
        if locked.status == DeliveryStatus.SENT:
            locked.status = DeliveryStatus.DELIVERED
            locked.delivered_at = timezone.now()
            locked.delivered_to = acting_user
            locked.save(update_fields=["status", "delivered_at", "delivered_to"])
            _log("exchange.request.delivered", acting_user, locked)
    return request


def _recipient_step(acting_user: User, delivery: Delivery) -> Delivery:
    if not policy.can_act_for_recipient(acting_user, delivery):
        raise PermissionDenied(_("Only the recipient organisation may do this."))
    locked = _locked(delivery)
    if locked.status in SETTLED_STATUSES:
        raise ValidationError(
            _("This request is already %(status)s.") % {"status": locked.get_status_display()}
        )
    now = timezone.now()
    if locked.delivered_at is None:
        locked.delivered_at, locked.delivered_to = now, acting_user
    return locked


def acknowledge(*, acting_user: User, delivery: Delivery) -> Delivery:
    with transaction.atomic():
        locked = _recipient_step(acting_user, delivery)
        if locked.acknowledged_at is None:
            locked.acknowledged_at = timezone.now()
        if locked.status in (DeliveryStatus.SENT, DeliveryStatus.DELIVERED):
            locked.status = DeliveryStatus.ACKNOWLEDGED
        locked.save()
        _log("exchange.request.acknowledge", acting_user, locked)
        notify_after_commit("status", _path(locked), [locked.request.originator_id])
    return locked


def refuse(*, acting_user: User, delivery: Delivery, reason: str) -> Delivery:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for refusing."))
    with transaction.atomic():
        locked = _recipient_step(acting_user, delivery)
        now = timezone.now()
        locked.acknowledged_at = locked.acknowledged_at or now
        locked.status = DeliveryStatus.REFUSED
        locked.refused_at = now
        locked.refusal_reason = reason[:5000]
        locked.save()
        _log("exchange.request.refuse", acting_user, locked)
        notify_after_commit("status", _path(locked), [locked.request.originator_id])
    return locked


def reply(*, acting_user: User, delivery: Delivery, body: str, kind: str) -> Reply:
    """A message in the thread; from the recipient it may be part of, or the final, answer."""
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("The reply is empty."))
    if len(body) > MAX_REPLY_CHARS:
        raise ValidationError(_("The reply is too long."))
    if kind not in ReplyKind.values:
        raise ValidationError(_("Unknown reply kind."))
    request = delivery.request
    is_sender = policy.can_act_for_sender(acting_user, request)
    if not is_sender and not policy.can_act_for_recipient(acting_user, delivery):
        raise PermissionDenied(_("Only the sender and this recipient write in this thread."))
    if is_sender and kind != ReplyKind.MESSAGE:
        raise ValidationError(_("Only the recipient answers a request."))
    with transaction.atomic():
        locked = _locked(delivery)
        if locked.status in (DeliveryStatus.CLOSED, DeliveryStatus.REFUSED) or (
            kind != ReplyKind.MESSAGE and locked.status == DeliveryStatus.ANSWERED
        ):
            raise ValidationError(
                _("This request is already %(status)s.") % {"status": locked.get_status_display()}
            )
        message = Reply.objects.create(
            delivery=locked,
            author=acting_user,
            organisation=acting_org(acting_user),
            kind=kind,
            body=body,
        )
        if not is_sender:
            _advance_on_answer(locked, kind, acting_user)
        _log("exchange.request.reply", acting_user, locked, reply=message.pk, kind=kind)
        other = locked.organisation_id if is_sender else request.originator_id
        notify_after_commit("reply", _path(locked), [other])
    return message


def _advance_on_answer(delivery: Delivery, kind: str, user: User) -> None:
    now = timezone.now()
    if delivery.delivered_at is None:
        delivery.delivered_at, delivery.delivered_to = now, user
    if kind == ReplyKind.MESSAGE:
        delivery.save()
        return
    # Answering implies having acknowledged the request.
    delivery.acknowledged_at = delivery.acknowledged_at or now
    delivery.first_answer_at = delivery.first_answer_at or now
    if kind == ReplyKind.FINAL:
        delivery.status = DeliveryStatus.ANSWERED
        delivery.answered_at = now
    else:
        delivery.status = DeliveryStatus.PARTLY_ANSWERED
    delivery.save()


def close(*, acting_user: User, delivery: Delivery) -> Delivery:
    """The sender closes the exchange with one recipient (answered, refused or no longer needed)."""
    if not policy.can_act_for_sender(acting_user, delivery.request):
        raise PermissionDenied(_("Only the sending organisation closes a request."))
    with transaction.atomic():
        locked = _locked(delivery)
        if locked.status == DeliveryStatus.CLOSED:
            raise ValidationError(_("This request is already closed."))
        locked.status = DeliveryStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        _log("exchange.request.close", acting_user, locked)
        notify_after_commit("status", _path(locked), [locked.organisation_id])
    return locked


def overdue_deliveries(now: datetime | None = None) -> QuerySet[Delivery]:
    return Delivery.objects.filter(deadline__lt=now or timezone.now()).exclude(
        status__in=sorted(SETTLED_STATUSES)
    )


def flag_overdue(now: datetime | None = None) -> list[int]:
    """Flag each overdue delivery once: both sides, and the sender's coordinator, are told."""
    flagged = []
    with transaction.atomic():
        rows = list(
            overdue_deliveries(now)
            .filter(overdue_notified_at=None)
            .select_for_update()
            .select_related("request")
        )
        stamp = timezone.now()
        for delivery in rows:
            delivery.overdue_notified_at = stamp
            delivery.save(update_fields=["overdue_notified_at"])
            _log("exchange.request.overdue", None, delivery, deadline=delivery.deadline.isoformat())
            # Every exchange member of both sides is told, so the sender's coordinator hears
            # of it too even when an officer sent the request.
            notify_after_commit(
                "overdue",
                _path(delivery),
                [delivery.organisation_id, delivery.request.originator_id],
            )
            flagged.append(delivery.pk)
    return flagged
