"""Every write of the directory: one function each, atomic, with its audit row and history.

Callers pass raw values; ``validation.clean_contact`` checks them and these functions check the
policy again, so no entry point (page, API, demo loader) can skip a rule.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.conflicts import Conflict
from ctnet.core.models import Organisation, User
from ctnet.directory.models import CommunicationTest, ContactChange, ContactPoint, Receipt
from ctnet.directory.policy import policy
from ctnet.directory.validation import CHANNEL_FIELDS, EDITABLE_FIELDS, clean_contact


class StaleVersion(Conflict):
    """The contact changed since the editor loaded it; their edit would overwrite that change."""

    def __init__(self, current: int) -> None:
        super().__init__(current)
        self.current = current

    @property
    def message(self) -> str:
        return _(
            "Someone else changed this contact point since you opened it (now version "
            "%(v)d). Reload it and apply your change again; nothing was saved."
        ) % {"v": self.current}


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _record_change(
    contact: ContactPoint, actor: User | None, action: str, changes: dict[str, list[Any]]
) -> None:
    ContactChange.objects.create(
        contact=contact,
        actor=actor,
        actor_label=actor.get_username() if actor is not None else "system",
        action=action,
        version=contact.version,
        changes={k: [_jsonable(a), _jsonable(b)] for k, (a, b) in changes.items()},
    )


def _require_editor(user: User, org: Organisation) -> None:
    if not policy.can_edit_directory(user, org):
        raise PermissionDenied(_("You may not edit this organisation's directory entries."))


# --- Contact points --------------------------------------------------------------------------


def create_contact(
    *, acting_user: User, organisation: Organisation, data: dict[str, Any]
) -> ContactPoint:
    _require_editor(acting_user, organisation)
    values = clean_contact(data, organisation)
    with transaction.atomic():
        now = timezone.now()
        contact = ContactPoint.objects.create(
            organisation=organisation,
            last_confirmed_at=now,
            created_at=now,
            updated_at=now,
            **values,
        )
        _record_change(contact, acting_user, "create", {k: [None, v] for k, v in values.items()})
        audit.record(
            "directory.create",
            actor=acting_user,
            obj=contact,
            detail={"organisation": organisation.code},
        )
    return contact


def update_contact(
    *, acting_user: User, contact: ContactPoint, data: dict[str, Any], expected_version: int
) -> ContactPoint:
    """Apply the given fields (others unchanged) if nobody saved in between, else StaleVersion."""
    _require_editor(acting_user, contact.organisation)
    with transaction.atomic():
        # Locked so that two editors who both read version N cannot both write N + 1.
        current = ContactPoint.objects.select_for_update().get(pk=contact.pk)
        if current.version != expected_version:
            raise StaleVersion(current.version)
        merged = {name: getattr(current, name) for name in EDITABLE_FIELDS}
        merged["topics"], merged["languages"] = current.topic_list, current.language_list
        merged.update({k: v for k, v in data.items() if k in EDITABLE_FIELDS})
        values = clean_contact(merged, current.organisation, current)
        changes = {
            name: [getattr(current, name), value]
            for name, value in values.items()
            if getattr(current, name) != value
        }
        if not changes:
            return current
        for name, value in values.items():
            setattr(current, name, value)
        if CHANNEL_FIELDS & changes.keys() and current.verified:
            current.verified, current.verified_at = False, None
            changes["verified"] = [True, False]
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        _record_change(current, acting_user, "update", changes)
        audit.record(
            "directory.update",
            actor=acting_user,
            obj=current,
            detail={"fields": sorted(changes), "version": current.version},
        )
    return current


def confirm_contact(*, acting_user: User, contact: ContactPoint) -> ContactPoint:
    """The organisation says the entry is still true today: the re-confirmation clock restarts."""
    _require_editor(acting_user, contact.organisation)
    with transaction.atomic():
        current = ContactPoint.objects.select_for_update().get(pk=contact.pk)
        old = current.last_confirmed_at
        current.last_confirmed_at = timezone.now()
        current.version += 1
        current.save(update_fields=["last_confirmed_at", "version"])
        _record_change(
            current, acting_user, "confirm", {"last_confirmed_at": [old, current.last_confirmed_at]}
        )
        audit.record("directory.confirm", actor=acting_user, obj=current)
    return current


def verify_contact(*, acting_user: User, contact: ContactPoint, verified: bool) -> ContactPoint:
    if not policy.can_verify_contacts(acting_user):
        raise PermissionDenied(_("Only the secretariat verifies directory entries."))
    with transaction.atomic():
        current = ContactPoint.objects.select_for_update().get(pk=contact.pk)
        if current.verified == verified:
            return current
        current.verified = verified
        current.verified_at = timezone.now() if verified else None
        current.version += 1
        current.save(update_fields=["verified", "verified_at", "version"])
        _record_change(current, acting_user, "verify", {"verified": [not verified, verified]})
        audit.record(
            "directory.verify", actor=acting_user, obj=current, detail={"verified": verified}
        )
    return current


def archive_contact(*, acting_user: User, contact: ContactPoint, expected_version: int) -> None:
    """Take an entry out of the directory; its history stays."""
    _require_editor(acting_user, contact.organisation)
    with transaction.atomic():
        current = ContactPoint.objects.select_for_update().get(pk=contact.pk)
        if current.version != expected_version:
            raise StaleVersion(current.version)
        current.is_active = False
        current.version += 1
        current.save(update_fields=["is_active", "version"])
        # Whoever it covered for needs a new deputy; a dangling one would mislead the router.
        ContactPoint.objects.filter(deputy=current).update(deputy=None)
        _record_change(current, acting_user, "archive", {"is_active": [True, False]})
        audit.record("directory.archive", actor=acting_user, obj=current)


# --- Exports ---------------------------------------------------------------------------------


# Filters whose values are codes (ISO, topic slugs, flags): they go into the audit row as they are.
# The free-text query could be a person's name: the row only says that one was given.
CODE_FILTERS = ("country", "topic", "language", "un_group", "verified", "stale", "available_now")


def export_filters(params: Any) -> dict[str, Any]:
    """The filters of an export as the audit row keeps them: codes, never free text."""
    kept: dict[str, Any] = {k: str(params.get(k))[:32] for k in CODE_FILTERS if params.get(k)}
    if params.get("q"):
        kept["q"] = True
    return kept


def record_export(*, acting_user: User, fmt: str, contact_ids: list[int], filters: dict) -> None:
    """Contact details leaving the platform are logged: who took which entries, in what form.

    ``filters`` comes from ``export_filters`` (codes only)."""
    with transaction.atomic():
        audit.record(
            "directory.export",
            actor=acting_user,
            object_type="directory.contactpoint",
            object_id=str(contact_ids[0]) if len(contact_ids) == 1 else "",
            detail={"format": fmt, "count": len(contact_ids), "ids": contact_ids[:500], **filters},
        )


# --- Communication tests ---------------------------------------------------------------------


def start_communication_test(
    *, acting_user: User, note: str = "", organisation: Organisation | None = None
) -> CommunicationTest:
    """Mail every active contact with an email a single-use confirmation link."""
    if not policy.can_run_communication_test(acting_user):
        raise PermissionDenied(_("Only the secretariat runs communication tests."))
    contacts = ContactPoint.objects.filter(is_active=True).exclude(email="")
    if organisation is not None:
        contacts = contacts.filter(organisation=organisation)
    messages = []
    with transaction.atomic():
        test = CommunicationTest.objects.create(created_by=acting_user, note=note.strip()[:300])
        receipts = []
        for contact in contacts.select_related("organisation"):
            secret = secrets.token_urlsafe(32)
            receipts.append(
                Receipt(test=test, contact=contact, email=contact.email, token_hash=_sha256(secret))
            )
            messages.append((contact.email, f"{settings.SITE_URL}/directory/receipt/{secret}/"))
        if not receipts:
            raise ValidationError(_("No active contact point has an email address to test."))
        Receipt.objects.bulk_create(receipts)
        audit.record(
            "directory.commtest.start", actor=acting_user, obj=test, detail={"sent": len(receipts)}
        )
        # Sent after commit, from the request: a task row would hold the secrets until pruned.
        transaction.on_commit(lambda: _send_test_mails(messages))
    return test


def _send_test_mails(messages: list[tuple[str, str]]) -> None:
    subject = _("Communication test of the counter-terrorism coordinators network")
    for email, link in messages:
        body = _(
            "This is a communication test of the directory. Please confirm that this message "
            "reached you by opening this link and pressing the button: %(link)s"
        ) % {"link": link}
        send_mail(subject, body, None, [email])


def find_open_receipt(secret: str) -> Receipt | None:
    return (
        Receipt.objects.select_related("contact__organisation", "test")
        .filter(token_hash=_sha256(secret), confirmed_at=None)
        .first()
    )


def confirm_receipt(*, secret: str) -> Receipt | None:
    """Mark a receipt confirmed once; a used or unknown link returns None."""
    with transaction.atomic():
        receipt = (
            Receipt.objects.select_for_update()
            .filter(token_hash=_sha256(secret), confirmed_at=None)
            .first()
        )
        if receipt is None:
            return None
        receipt.confirmed_at = timezone.now()
        receipt.save(update_fields=["confirmed_at"])
        audit.record(
            "directory.commtest.confirm",
            obj=receipt,
            organisation=receipt.contact.organisation,
            detail={"test": receipt.test_id, "contact": receipt.contact_id},
        )
    return receipt
