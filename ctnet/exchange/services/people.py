"""People named in exchanges (DESIGN.md rule 3): attach, correct, withdraw, copy, review, purge.

A record and its copies (on released copies of the material) form one family, keyed by the
original's id: a correction or withdrawal by the originator acts on the whole family, and every
organisation holding a member of it gets a notice. Audit rows name record ids and organisations,
never the person's data.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pycountry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.models import User
from ctnet.core.policy import acting_org
from ctnet.exchange.models import Bulletin, LegalStatus, PersonRecord, Request
from ctnet.exchange.policy import policy
from ctnet.exchange.services.common import notify_after_commit

PERSON_REQUIRED = ("family_name", "legal_status", "legal_basis", "purpose", "review_date")
CORRECTABLE = (
    "family_name",
    "given_names",
    "date_of_birth",
    "nationality",
    "documents",
    "legal_status",
    "legal_basis",
    "purpose",
    "review_date",
    "retain_until",
)
MAX_DOCUMENTS = 20
# How long a record is kept when the originator gives no retention date.
DEFAULT_RETENTION_DAYS = 3 * 365
PURGE_BATCH = 2000
# Marking a record reviewed moves its next review this far ahead unless the originator chooses a
# date: a record carries no review period of its own, and a year matches the watchlists' default.
# Never past the retention date: the record is purged then, and nothing is left to review.
DEFAULT_REVIEW_DAYS = 365


def _clean_documents(documents: Any) -> list[dict[str, str]]:
    if not isinstance(documents, list) or len(documents) > MAX_DOCUMENTS:
        raise ValidationError(_("Documents are a list of at most %(n)d.") % {"n": MAX_DOCUMENTS})
    cleaned = []
    for doc in documents:
        if not isinstance(doc, dict) or not str(doc.get("number") or "").strip():
            raise ValidationError(_("Each document needs a number."))
        cleaned.append(
            {
                "type": str(doc.get("type") or "passport")[:50],
                "number": str(doc["number"]).strip()[:100],
                "country": _iso3(str(doc.get("country") or "")),
            }
        )
    return cleaned


def _iso3(code: str) -> str:
    code = code.strip().upper()
    if code and pycountry.countries.get(alpha_3=code) is None:
        raise ValidationError(
            _("Unknown country code %(code)s: use ISO 3166-1 alpha-3.") % {"code": code}
        )
    return code


def _date(value: Any, name: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(
            _("%(field)s is not a date (YYYY-MM-DD).") % {"field": name}
        ) from None


def clean_person(data: dict[str, Any]) -> dict[str, Any]:
    """Validated fields of a person record; the error names every missing field."""
    missing = [f for f in PERSON_REQUIRED if not str(data.get(f) or "").strip()]
    if missing:
        raise ValidationError(
            _("Person record: missing required fields: %(fields)s.")
            % {"fields": ", ".join(missing)}
        )
    if data["legal_status"] not in LegalStatus.values:
        raise ValidationError(_("Unknown legal status: %(s)s.") % {"s": data["legal_status"]})
    review = _date(data["review_date"], "review_date")
    retain = _date(data.get("retain_until"), "retain_until") or (
        timezone.localdate() + timedelta(days=DEFAULT_RETENTION_DAYS)
    )
    if review is None or retain < review:
        raise ValidationError(_("retain_until must not come before review_date."))
    if retain <= timezone.localdate():
        raise ValidationError(_("retain_until must be in the future."))
    return {
        "family_name": str(data["family_name"]).strip()[:200],
        "given_names": str(data.get("given_names") or "").strip()[:200],
        "date_of_birth": _date(data.get("date_of_birth"), "date_of_birth"),
        "nationality": _iso3(str(data.get("nationality") or "")),
        "documents": _clean_documents(data.get("documents") or []),
        "legal_status": data["legal_status"],
        "legal_basis": str(data["legal_basis"]).strip()[:500],
        "purpose": str(data["purpose"]).strip()[:500],
        "review_date": review,
        "retain_until": retain,
    }


def attach_person(
    *, acting_user: User, material: Request | Bulletin, cleaned: dict[str, Any]
) -> PersonRecord:
    """Attach a validated person record to the originator's own request or bulletin."""
    if not policy.can_edit_marked(acting_user, material) or not policy.can_send_exchange(
        acting_user
    ):
        raise PermissionDenied(_("Only the originating organisation names people in it."))
    link: dict[str, Request | Bulletin] = (
        {"request": material} if isinstance(material, Request) else {"bulletin": material}
    )
    with transaction.atomic():
        record = PersonRecord.objects.create(
            originator=acting_org(acting_user), created_by=acting_user, **link, **cleaned
        )
        audit.record(
            "exchange.person.create",
            actor=acting_user,
            obj=record,
            detail={
                "material": f"{type(material).__name__.lower()}:{material.pk}",
                "recipients": sorted(material.recipient_orgs.values_list("code", flat=True)),
                "legal_status": record.legal_status,
            },
        )
    return record


def family(record: PersonRecord) -> QuerySet[PersonRecord]:
    root = record.root_id
    return PersonRecord.objects.filter(Q(pk=root) | Q(copy_of_id=root))


def holders(records: QuerySet[PersonRecord]) -> list[int]:
    """Organisations that hold a member of the family: recipients of the material it is on."""
    org_ids: set[int] = set()
    for rec in records.select_related("request", "bulletin"):
        material = rec.request or rec.bulletin
        if material is not None:
            org_ids.update(material.recipient_orgs.values_list("pk", flat=True))
    return sorted(org_ids)


def correct_person(
    *, acting_user: User, record: PersonRecord, changes: dict[str, Any]
) -> PersonRecord:
    """The originator corrects a record; the correction reaches every copy and every holder."""
    if not policy.can_edit_person_record(acting_user, record):
        raise PermissionDenied(_("Only the originating organisation corrects a person record."))
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValidationError(_("Cannot correct: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    current = {f: getattr(record, f) for f in CORRECTABLE}
    cleaned = clean_person({**current, **changes})
    changed = sorted(f for f in CORRECTABLE if cleaned[f] != current[f])
    if not changed:
        return record
    with transaction.atomic():
        # The records only (``holders`` joins their nullable request or bulletin).
        members = family(record).select_for_update(of=("self",))
        ids = sorted(members.values_list("pk", flat=True))
        members.update(
            **{f: cleaned[f] for f in changed},
            version=record.version + 1,
            updated_at=timezone.now(),
        )
        audit.record(
            "exchange.person.correct",
            actor=acting_user,
            obj=record,
            detail={"fields": changed, "records": ids},
        )
        notify_after_commit("person_corrected", "/exchange/", holders(family(record)))
    record.refresh_from_db()
    return record


def withdraw_person(*, acting_user: User, record: PersonRecord, reason: str) -> list[int]:
    """The originator withdraws a record: it is deleted from every copy, holders are told."""
    if not policy.can_edit_person_record(acting_user, record):
        raise PermissionDenied(_("Only the originating organisation withdraws a person record."))
    with transaction.atomic():
        members = family(record)
        org_ids = holders(members)
        ids = sorted(members.values_list("pk", flat=True))
        audit.record(
            "exchange.person.withdraw",
            actor=acting_user,
            obj=record,
            # Ids only: a free-text reason may name people, and oversight reads no content.
            detail={"records": ids, "reason_given": bool((reason or "").strip())},
        )
        PersonRecord.objects.filter(pk__in=ids).delete()
        notify_after_commit("person_withdrawn", "/exchange/", org_ids)
    return ids


def copy_people(
    *, acting_user: User, source: Request | Bulletin, target: Request | Bulletin
) -> list[int]:
    """Copies of the records on ``source`` for a released copy; the family stays linked."""
    created = []
    link: dict[str, Request | Bulletin] = (
        {"request": target} if isinstance(target, Request) else {"bulletin": target}
    )
    for rec in source.people.all():
        copy = PersonRecord.objects.create(
            **link,
            copy_of_id=rec.root_id,
            originator_id=rec.originator_id,
            created_by=acting_user,
            **{f: getattr(rec, f) for f in CORRECTABLE},
            version=rec.version,
        )
        audit.record(
            "exchange.person.copy",
            actor=acting_user,
            obj=copy,
            detail={
                "copy_of": rec.root_id,
                "material": f"{type(target).__name__.lower()}:{target.pk}",
                "recipients": sorted(target.recipient_orgs.values_list("code", flat=True)),
            },
        )
        created.append(copy.pk)
    return created


def purge_expired(today: date | None = None) -> int:
    """Delete every record past its retention date, copies included; audit ids and count.

    Runs in batches, each its own transaction with its own audit row, so a purge of a large
    backlog neither holds one huge lock nor writes one huge audit row.
    """
    today = today or timezone.localdate()
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                PersonRecord.objects.filter(retain_until__lt=today)
                .order_by("pk")
                .values_list("pk", flat=True)[:PURGE_BATCH]
            )
            if not ids:
                return total
            # Copies of an expired original go with it even if their own date was later.
            ids = sorted(
                set(ids)
                | set(PersonRecord.objects.filter(copy_of_id__in=ids).values_list("pk", flat=True))
            )
            PersonRecord.objects.filter(pk__in=ids).delete()
            audit.record(
                "exchange.person.purge",
                object_type="exchange.personrecord",
                detail={"count": len(ids), "records": ids, "before": today.isoformat()},
            )
            total += len(ids)


def due_for_review(today: date | None = None) -> QuerySet[PersonRecord]:
    """Originals whose review date has come. Copies on released material are not listed: the
    originator is responsible for the record, and its review date reaches every copy."""
    today = today or timezone.localdate()
    return PersonRecord.objects.filter(copy_of__isnull=True, review_date__lte=today)


def due_by_originator(today: date | None = None) -> dict[int, int]:
    """How many records are due for review, per originating organisation (counts only)."""
    rows = due_for_review(today).values_list("originator_id").annotate(n=Count("pk")).order_by()
    return dict(rows)


def _next_review_date(record: PersonRecord, review_date: date | None, today: date) -> date:
    """After today, and no later than the retention date; by default a year on (capped)."""
    chosen = review_date or min(today + timedelta(days=DEFAULT_REVIEW_DAYS), record.retain_until)
    if not today < chosen <= record.retain_until:
        raise ValidationError(
            _(
                "The next review date must be after today and no later than the record's "
                "retention date (%(retain)s)."
            )
            % {"retain": record.retain_until.isoformat()}
        )
    return chosen


def mark_person_reviewed(
    *,
    acting_user: User,
    record: PersonRecord,
    review_date: date | None = None,
    legal_status: str | None = None,
) -> PersonRecord:
    """The originator reviewed a record: its next review date moves on for the original and
    every copy; a new legal status goes through ``correct_person`` (holders are told)."""
    if not policy.can_edit_person_record(acting_user, record):
        raise PermissionDenied(_("Only the originating organisation reviews a person record."))
    if record.copy_of_id is not None:
        raise ValidationError(_("Review the original record: a copy follows it."))
    if legal_status and legal_status not in LegalStatus.values:
        raise ValidationError(_("Unknown legal status: %(s)s.") % {"s": legal_status})
    today = timezone.localdate()
    with transaction.atomic():
        locked = PersonRecord.objects.select_for_update().get(pk=record.pk)
        new_date = _next_review_date(locked, review_date, today)
        previous = locked.review_date
        if legal_status and legal_status != locked.legal_status:
            locked = correct_person(
                acting_user=acting_user, record=locked, changes={"legal_status": legal_status}
            )
        members = family(locked)
        ids = sorted(members.values_list("pk", flat=True))
        members.update(review_date=new_date, updated_at=timezone.now())
        audit.record(
            "exchange.person.review",
            actor=acting_user,
            obj=locked,
            # Ids and dates only; a changed legal status is audited by the correction.
            detail={"records": ids, "from": previous.isoformat(), "to": new_date.isoformat()},
        )
    locked.refresh_from_db()
    return locked
