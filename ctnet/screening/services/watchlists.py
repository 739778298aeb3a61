"""Every write of watchlists: create, import a whole edition (UN XML or CSV), suspend, resume.

An import is a whole edition of the list. The engine's ``diff_editions`` compares it with what
the database holds (both in the stored vocabulary, so what is compared is what is kept): entries
in the file are added or updated, entries missing from it are de-listed (kept for history and
for the hits that point at them, never screened again), de-listed ones back in it are listed
again, and the import keeps a report of all that. It runs in one transaction and moves the index
checkpoint, so every process screens against the new edition from its next call.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit, remarking
from ctnet.core.markings import TLP, clean_handling
from ctnet.core.models import Organisation, User
from ctnet.core.policy import acting_org
from ctnet.screening import matching
from ctnet.screening.convert import CONTENT_FIELDS, content_hash, entry_fields, from_fields
from ctnet.screening.engine import formats
from ctnet.screening.engine.model import EditionDiff, WatchlistFormatError
from ctnet.screening.engine.unlist import diff_editions
from ctnet.screening.models import (
    Entry,
    EntryLegalStatus,
    EntryStatus,
    ImportFormat,
    ListSource,
    ScreeningIndexState,
    Watchlist,
    WatchlistImport,
)
from ctnet.screening.policy import policy

# What an import writes on an entry it updates.
STORED_FIELDS = ("data_id", "primary_name", *CONTENT_FIELDS)
UPDATED_FIELDS = (
    *STORED_FIELDS,
    "content_hash",
    "version",
    "status",
    "delisted_at",
    "updated_at",
    "review_date",
)
_FORMATS = {formats.UN_XML: ImportFormat.UN_XML, formats.CSV: ImportFormat.CSV}
# Rows per INSERT/UPDATE statement.
BATCH = 500


class ImportRefused(ValidationError):
    """The file cannot be imported as a whole; nothing from it was written."""


def touch_index() -> int:
    """Move the screening checkpoint; call inside the transaction of the change."""
    state, _created = ScreeningIndexState.objects.select_for_update().get_or_create(id=1)
    state.checkpoint += 1
    state.save(update_fields=["checkpoint"])
    # The worker saves the index of the new checkpoint once the change commits, so the web
    # processes map it instead of building it in a request (issue 12, item 3).
    transaction.on_commit(matching.prebuild_screening_index.enqueue)
    return state.checkpoint


def _check_new_watchlist(
    *,
    name: str,
    source: str,
    legal_basis: str,
    purpose: str,
    tlp: str,
    recipients: Sequence[Organisation],
    default_legal_status: str,
    hit_retention_days: int,
    review_days: int,
) -> None:
    missing = [
        label
        for label, value in (
            (_("name"), name),
            (_("legal basis"), legal_basis),
            (_("purpose"), purpose),
        )
        if not value
    ]
    if missing:
        raise ValidationError(_("A watchlist needs: %(fields)s.") % {"fields": ", ".join(missing)})
    if source not in ListSource.values:
        raise ValidationError(_("Unknown list source %(source)s.") % {"source": source})
    if default_legal_status not in EntryLegalStatus.values:
        raise ValidationError(
            _("Unknown legal status %(status)s.") % {"status": default_legal_status}
        )
    if tlp not in TLP.values or tlp == TLP.RED:
        # Screening is done by organisations; RED reaches named people only.
        raise ValidationError(_("A watchlist is TLP:CLEAR, GREEN, AMBER or AMBER+STRICT."))
    if not 1 <= hit_retention_days <= 3650 or not 1 <= review_days <= 3650:
        raise ValidationError(_("Retention and review periods are between 1 and 3,650 days."))
    if any(not org.is_active for org in recipients):
        raise ValidationError(_("Watchlists can only be shared with active organisations."))


def create_watchlist(
    *,
    acting_user: User,
    name: str,
    source: str,
    legal_basis: str,
    purpose: str,
    description: str = "",
    tlp: str = TLP.AMBER,
    recipients: Sequence[Organisation] = (),
    entries_visible: bool = True,
    default_legal_status: str = EntryLegalStatus.SUSPECT,
    hit_retention_days: int = 730,
    review_days: int = 365,
    handling: Sequence[str] = (),
    handling_note: str = "",
) -> Watchlist:
    if not policy.can_create_watchlist(acting_user):
        raise PermissionDenied(_("Your role may not own a watchlist."))
    name, legal_basis, purpose = name.strip(), legal_basis.strip(), purpose.strip()
    codes, handling_note = clean_handling(handling, handling_note)
    _check_new_watchlist(
        name=name,
        source=source,
        legal_basis=legal_basis,
        purpose=purpose,
        tlp=tlp,
        recipients=recipients,
        default_legal_status=default_legal_status,
        hit_retention_days=hit_retention_days,
        review_days=review_days,
    )
    with transaction.atomic():
        watchlist = Watchlist.objects.create(
            name=name[:200],
            description=description.strip(),
            source=source,
            legal_basis=legal_basis[:500],
            purpose=purpose[:500],
            default_legal_status=default_legal_status,
            entries_visible=entries_visible,
            hit_retention_days=hit_retention_days,
            review_days=review_days,
            originator=acting_org(acting_user),
            created_by=acting_user,
            tlp=tlp,
            handling=codes,
            handling_note=handling_note,
        )
        watchlist.recipient_orgs.set(recipients)
        audit.record(
            "screening.watchlist.create",
            actor=acting_user,
            obj=watchlist,
            # Ids, codes and counts only: no name of the list (issue 13, item 2).
            detail={
                "source": source,
                "tlp": tlp,
                "handling": codes,
                "recipients": sorted(org.code for org in recipients),
                "entries_visible": entries_visible,
            },
        )
    return watchlist


def parse_watchlist(data: bytes, file_name: str) -> formats.WatchlistFile:
    """UN XML (told by content) or CSV, in memory; raises ImportRefused naming the file and line."""
    if len(data) > settings.SCREENING_MAX_WATCHLIST_BYTES:
        raise ImportRefused(
            _("%(file)s is larger than %(max)d MB.")
            % {"file": file_name, "max": settings.SCREENING_MAX_WATCHLIST_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise ImportRefused(_("%(file)s is empty.") % {"file": file_name})
    try:
        parsed = formats.read_watchlist(data, file_name, include_entities=True)
    except WatchlistFormatError as exc:
        where = f"{file_name}:{exc.line}" if exc.line is not None else file_name
        raise ImportRefused(f"{where}: {exc.message}") from None
    if not parsed.entries:
        raise ImportRefused(_("%(file)s holds no entry.") % {"file": file_name})
    return parsed


def _incoming(parsed: formats.WatchlistFile, file_name: str) -> dict[str, dict[str, Any]]:
    """The edition's entries as they will be stored, by reference (cut to the column)."""
    incoming: dict[str, dict[str, Any]] = {}
    for engine_entry in parsed.entries:
        ref = engine_entry.entry_id[:64]
        if ref in incoming:
            raise ImportRefused(
                _("%(file)s: the reference %(ref)s appears twice.")
                % {"file": file_name, "ref": ref}
            )
        incoming[ref] = entry_fields(engine_entry)
    return incoming


def _edition_diff(existing: dict[str, Entry], incoming: dict[str, dict[str, Any]]) -> EditionDiff:
    """The engine's diff between what is stored and the new edition, in the stored vocabulary.

    Entries still listed whose stored content hash is the new one are left out: the diff could
    find nothing in them, and they are the usual majority of a re-import.
    """
    same = {
        ref
        for ref, e in existing.items()
        if e.status == EntryStatus.ACTIVE
        and ref in incoming
        and e.content_hash == content_hash(incoming[ref])
    }
    stored = [
        from_fields(ref, {name: getattr(e, name) for name in STORED_FIELDS})
        for ref, e in existing.items()
        if ref not in same
    ]
    new = [from_fields(ref, fields) for ref, fields in incoming.items() if ref not in same]
    delisted = {ref for ref, e in existing.items() if e.status == EntryStatus.DELISTED}
    return diff_editions(stored, new, fields=CONTENT_FIELDS, delisted=delisted)


def _new_entries(
    watchlist: Watchlist, refs: list[str], incoming: dict[str, dict[str, Any]], now: datetime
) -> list[Entry]:
    review_date = _review_date(watchlist, now)
    return [
        Entry(
            watchlist=watchlist,
            ref=ref,
            legal_basis=watchlist.legal_basis,
            legal_status=watchlist.default_legal_status,
            review_date=review_date,
            content_hash=content_hash(incoming[ref]),
            created_at=now,
            updated_at=now,
            **incoming[ref],
        )
        for ref in refs
    ]


def _review_date(watchlist: Watchlist, now: datetime) -> date:
    return (now + timedelta(days=watchlist.review_days)).date()


def _updated_entries(
    existing: dict[str, Entry],
    incoming: dict[str, dict[str, Any]],
    diff: EditionDiff,
    review_date: date,
    now: datetime,
) -> list[Entry]:
    """Changed entries get a new version, returned ones are active again, and both are
    re-confirmed (their review moves on); de-listed ones are marked, never deleted."""
    for ref in diff.changed:
        old = existing[ref]
        for name, value in incoming[ref].items():
            setattr(old, name, value)
        old.content_hash = content_hash(incoming[ref])
        old.version += 1
    for returned in diff.returned:
        old = existing[returned.entry_id]
        old.status = EntryStatus.ACTIVE
        old.delisted_at = None
    touched = {*diff.changed, *(e.entry_id for e in diff.returned)}
    for ref in touched:
        existing[ref].updated_at = now
        existing[ref].review_date = review_date
    for removed in diff.removed:
        old = existing[removed.entry_id]
        old.status = EntryStatus.DELISTED
        old.delisted_at = now
        old.updated_at = now
    return [existing[ref] for ref in touched] + [existing[e.entry_id] for e in diff.removed]


def _write_edition(
    watchlist: Watchlist,
    existing: dict[str, Entry],
    incoming: dict[str, dict[str, Any]],
    diff: EditionDiff,
    now: datetime,
) -> int:
    """Persist the diff; returns how many entries were unchanged (re-confirmed only)."""
    review_date = _review_date(watchlist, now)
    added = [e.entry_id for e in diff.added]
    Entry.objects.bulk_create(_new_entries(watchlist, added, incoming, now), batch_size=BATCH)
    touched = {*diff.changed, *(e.entry_id for e in diff.returned)}
    unchanged = [e.pk for ref, e in existing.items() if ref in incoming and ref not in touched]
    # One UPDATE per chunk for the (usual) majority that did not change, instead of a per-row
    # CASE in bulk_update: a re-import of an unchanged list stays quick.
    for start in range(0, len(unchanged), BATCH):
        Entry.objects.filter(pk__in=unchanged[start : start + BATCH]).update(
            review_date=review_date
        )
    Entry.objects.bulk_update(
        _updated_entries(existing, incoming, diff, review_date, now),
        UPDATED_FIELDS,
        batch_size=BATCH,
    )
    return len(unchanged)


def _report(diff: EditionDiff) -> dict[str, Any]:
    return {
        "added": [e.entry_id for e in diff.added],
        "changed": diff.changed,
        "delisted": [e.entry_id for e in diff.removed],
        "relisted": [e.entry_id for e in diff.returned],
    }


def import_watchlist(
    *, acting_user: User, watchlist: Watchlist, data: bytes, file_name: str
) -> WatchlistImport:
    """Import a whole edition of ``watchlist``; the report says what was added, changed,
    de-listed and listed again. All or nothing."""
    if not policy.can_manage_watchlist(acting_user, watchlist):
        raise PermissionDenied(_("Only the owning organisation's heads import into a list."))
    file_name = Path(file_name or "upload").name[:255]
    parsed = parse_watchlist(data, file_name)
    incoming = _incoming(parsed, file_name)
    now = timezone.now()
    with transaction.atomic():
        Watchlist.objects.select_for_update().filter(pk=watchlist.pk).first()
        existing = {e.ref: e for e in Entry.objects.filter(watchlist=watchlist)}
        diff = _edition_diff(existing, incoming)
        unchanged = _write_edition(watchlist, existing, incoming, diff, now)
        job = WatchlistImport.objects.create(
            watchlist=watchlist,
            imported_by=acting_user,
            at=now,
            file_name=file_name,
            sha256=hashlib.sha256(data).hexdigest(),
            format=_FORMATS[parsed.format],
            edition=parsed.edition,
            added=len(diff.added),
            changed=len(diff.changed),
            delisted=len(diff.removed),
            relisted=len(diff.returned),
            unchanged=unchanged,
            report=_report(diff),
        )
        watchlist.edition = parsed.edition
        watchlist.last_import_at = now
        watchlist.save(update_fields=["edition", "last_import_at"])
        _audit_import(acting_user, watchlist, job, checkpoint=touch_index())
    return job


def _audit_import(
    acting_user: User, watchlist: Watchlist, job: WatchlistImport, *, checkpoint: int
) -> None:
    audit.record(
        "screening.watchlist.import",
        actor=acting_user,
        obj=watchlist,
        detail={
            "import": job.pk,
            "sha256": job.sha256,
            "format": job.format,
            "edition": job.edition,
            "added": job.added,
            "changed": job.changed,
            "delisted": job.delisted,
            "relisted": job.relisted,
            "unchanged": job.unchanged,
            "checkpoint": checkpoint,
        },
    )


def set_watchlist_active(*, acting_user: User, watchlist: Watchlist, active: bool) -> Watchlist:
    """Suspend a whole list from screening (a court order, a legal basis lapsed) or resume it."""
    if not policy.can_manage_watchlist(acting_user, watchlist):
        raise PermissionDenied(_("Only the owning organisation's heads change a list."))
    with transaction.atomic():
        watchlist.is_active = active
        watchlist.save(update_fields=["is_active"])
        touch_index()
        audit.record(
            "screening.watchlist.activate" if active else "screening.watchlist.suspend",
            actor=acting_user,
            obj=watchlist,
        )
    return watchlist


def change_watchlist_marking(
    *,
    acting_user: User,
    watchlist: Watchlist,
    tlp: str,
    handling: Sequence[str],
    handling_note: str | None = None,
) -> Watchlist:
    """Raise (anyone who screens against the list) or lower (its owner only) a list's marking
    (core's ``change_marking``). The H3 note is the owner's to change."""
    if tlp not in TLP.values:
        raise ValidationError(_("Unknown TLP level: %(tlp)s.") % {"tlp": tlp})
    return remarking.change_marking(
        acting_user=acting_user,
        obj=watchlist,
        tlp=tlp,
        handling=handling,
        handling_note=handling_note,
        action="screening.watchlist.marking",
    )
