"""Sending a request to one or several organisations, all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.markings import TLP
from ctnet.core.models import COMMUNITY_KINDS, Organisation, User
from ctnet.core.policy import acting_org
from ctnet.core.topics import TOPICS
from ctnet.exchange import crypto
from ctnet.exchange.attachments import NewFile, store_attachment
from ctnet.exchange.models import Delivery, Priority, Request
from ctnet.exchange.policy import policy
from ctnet.exchange.services.common import named_readers, notify_after_commit
from ctnet.exchange.services.marking import Marking, clean_marking
from ctnet.exchange.services.people import attach_person, clean_person

MAX_RECIPIENTS = 250
REQUIRED_FIELDS = ("subject", "body", "legal_basis", "purpose", "tlp")


def default_deadline(priority: str, start: datetime | None = None) -> datetime:
    start = start or timezone.now()
    if priority == Priority.URGENT:
        return start + timedelta(hours=settings.EXCHANGE_URGENT_HOURS)
    return start + timedelta(days=settings.EXCHANGE_NORMAL_DAYS)


def missing_fields(data: dict[str, Any]) -> list[str]:
    """Required fields that are absent or blank, by name, for a message that says which."""
    return [name for name in REQUIRED_FIELDS if not str(data.get(name) or "").strip()]


def _clean_recipients(sender_org: Organisation, recipients: Sequence[Organisation]) -> list:
    orgs = {org.pk: org for org in recipients}
    if not orgs:
        raise ValidationError(_("Name at least one recipient organisation."))
    if len(orgs) > MAX_RECIPIENTS:
        raise ValidationError(_("At most %(n)d recipients.") % {"n": MAX_RECIPIENTS})
    if sender_org.pk in orgs:
        raise ValidationError(_("A request goes to other organisations, not your own."))
    for org in orgs.values():
        if not org.is_active or org.kind not in COMMUNITY_KINDS:
            raise ValidationError(_("%(code)s cannot receive requests.") % {"code": org.code})
    return sorted(orgs.values(), key=lambda o: o.code)


def create_delivery(request: Request, organisation: Organisation, deadline: datetime) -> Delivery:
    """One recipient's delivery; a separate function so a failure here can be simulated."""
    return Delivery.objects.create(
        request=request, organisation=organisation, deadline=deadline, sent_at=request.created_at
    )


@dataclass(frozen=True)
class _Checked:
    sender: Organisation
    recipients: list[Organisation]
    marking: Marking
    priority: str
    deadline: datetime
    sent_at: datetime


def _check(acting_user: User, recipients: Sequence[Organisation], data: dict[str, Any]) -> _Checked:
    """Every refusal happens here, before anything is written."""
    if not policy.can_send_exchange(acting_user):
        raise PermissionDenied(_("Your role may not send requests."))
    missing = missing_fields(data)
    if missing:
        raise ValidationError(
            _("Missing required fields: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    sender = acting_org(acting_user)
    orgs = _clean_recipients(sender, recipients)
    marking = clean_marking(
        data["tlp"],
        data.get("handling") or [],
        data.get("handling_note") or "",
        data.get("source_grade") or "",
        data.get("info_grade") or "",
    )
    priority = data.get("priority") or Priority.NORMAL
    if priority not in Priority.values:
        raise ValidationError(_("Priority is urgent or normal."))
    topic = data.get("topic") or ""
    if topic and topic not in TOPICS:
        raise ValidationError(
            _("Unknown topic %(slug)s. Valid values: %(valid)s.")
            % {"slug": topic, "valid": ", ".join(TOPICS)}
        )
    now = timezone.now()
    deadline = data.get("deadline") or default_deadline(priority, now)
    if deadline <= now:
        raise ValidationError(_("The deadline must be in the future."))
    return _Checked(sender, orgs, marking, priority, deadline, now)


def send_request(
    *,
    acting_user: User,
    recipients: Sequence[Organisation],
    data: dict[str, Any],
    people: Sequence[dict[str, Any]] = (),
    files: Sequence[NewFile] = (),
) -> Request:
    """Send one request to every recipient in one transaction: all get it, or none does.

    ``data``: subject, body, priority, legal_basis, purpose, tlp, handling, handling_note,
    source_grade, info_grade, source_details, topic, deadline (optional, in the future).
    """
    checked = _check(acting_user, recipients, data)
    cleaned_people = [clean_person(p) for p in people]
    orgs, marking = checked.recipients, checked.marking
    with transaction.atomic():
        request = Request.objects.create(
            originator=checked.sender,
            created_by=acting_user,
            subject=data["subject"].strip()[:200],
            body=data["body"].strip(),
            priority=checked.priority,
            topic=data.get("topic") or "",
            legal_basis=data["legal_basis"].strip()[:500],
            purpose=data["purpose"].strip()[:500],
            source_details_enc=crypto.encrypt((data.get("source_details") or "").strip()),
            created_at=checked.sent_at,
            tlp=marking.tlp,
            handling=marking.handling,
            handling_note=marking.handling_note,
            source_grade=marking.source_grade,
            info_grade=marking.info_grade,
        )
        request.recipient_orgs.set(orgs)
        if marking.tlp == TLP.RED:
            request.recipient_users.set(named_readers([o.pk for o in orgs]))
        for org in orgs:
            create_delivery(request, org, checked.deadline)
        for person in cleaned_people:
            attach_person(acting_user=acting_user, material=request, cleaned=person)
        for new_file in files:
            store_attachment(acting_user=acting_user, request=request, new_file=new_file)
        audit.record(
            "exchange.request.send",
            actor=acting_user,
            obj=request,
            detail={
                "recipients": [o.code for o in orgs],
                "priority": checked.priority,
                "tlp": marking.tlp,
                "deadline": checked.deadline.isoformat(),
                "people": len(cleaned_people),
                "attachments": len(files),
            },
        )
        path = f"/exchange/requests/{request.pk}/"
        notify_after_commit("request_sent", path, [o.pk for o in orgs])
    return request
