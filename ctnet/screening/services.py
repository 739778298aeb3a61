"""Every write of watchlists: create, import (UN XML or CSV), with its audit row.

An import is a whole edition of the list: entries in the file are added or updated, entries
missing from it are de-listed (kept for history and for the hits that point at them, never
screened again), and the import keeps a report of what changed. It runs in one transaction and
moves the index checkpoint, so every process screens against the new edition from its next call.
Screening runs live in ``screen.py``, the review of possible matches in ``review.py``.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.markings import TLP
from ctnet.core.models import Organisation, User
from ctnet.screening.convert import changed_fields, content_hash, entry_fields
from ctnet.screening.engine import csvio, unlist
from ctnet.screening.engine.model import WatchlistEntry, WatchlistFormatError
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

# The UN list carries the date of its edition on its root element.
_UN_EDITION = re.compile(rb'dateGenerated="([0-9T:\-.Z+]+)"')


class ImportRefused(ValidationError):
    """The file cannot be imported as a whole; nothing from it was written."""


def _membership_org(user: User) -> Organisation:
    membership = user.active_membership
    if membership is None:
        raise PermissionDenied
    return membership.organisation


def touch_index() -> int:
    """Move the screening checkpoint; call inside the transaction of the change."""
    state, _created = ScreeningIndexState.objects.select_for_update().get_or_create(id=1)
    state.checkpoint += 1
    state.save(update_fields=["checkpoint"])
    return state.checkpoint


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
) -> Watchlist:
    if not policy.can_create_watchlist(acting_user):
        raise PermissionDenied(_("Your role may not own a watchlist."))
    name, legal_basis, purpose = name.strip(), legal_basis.strip(), purpose.strip()
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
            originator=_membership_org(acting_user),
            created_by=acting_user,
            tlp=tlp,
        )
        watchlist.recipient_orgs.set(recipients)
        audit.record(
            "screening.watchlist.create",
            actor=acting_user,
            obj=watchlist,
            detail={
                "name": watchlist.name,
                "source": source,
                "tlp": tlp,
                "recipients": sorted(org.code for org in recipients),
                "entries_visible": entries_visible,
            },
        )
    return watchlist


@dataclass(frozen=True)
class ParsedList:
    format: str
    entries: list[WatchlistEntry]
    edition: str


def parse_watchlist(data: bytes, file_name: str) -> ParsedList:
    """UN XML (detected by content) or CSV; raises ImportRefused naming the file and line."""
    if len(data) > settings.SCREENING_MAX_WATCHLIST_BYTES:
        raise ImportRefused(
            _("%(file)s is larger than %(max)d MB.")
            % {"file": file_name, "max": settings.SCREENING_MAX_WATCHLIST_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise ImportRefused(_("%(file)s is empty.") % {"file": file_name})
    head = data[:4096]
    is_xml = unlist.looks_like_un_xml(head) or head.lstrip().startswith(b"<")
    # The engine's parsers read files (they report lines as they go); the copy lives only
    # for the parse, in the system's temporary directory.
    with tempfile.NamedTemporaryFile(suffix=".xml" if is_xml else ".csv") as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            if is_xml:
                entries = unlist.load_un_list(tmp.name, include_entities=True)
            else:
                entries = csvio.load_watchlist_csv(tmp.name)
        except WatchlistFormatError as exc:
            where = f"{file_name}:{exc.line}" if exc.line is not None else file_name
            raise ImportRefused(f"{where}: {exc.message}") from None
        except UnicodeDecodeError:
            raise ImportRefused(_("%(file)s is not UTF-8 text.") % {"file": file_name}) from None
    if not entries:
        raise ImportRefused(_("%(file)s holds no entry.") % {"file": file_name})
    edition = ""
    if is_xml:
        found = _UN_EDITION.search(head)
        edition = found.group(1).decode()[:40] if found else ""
    return ParsedList(ImportFormat.UN_XML if is_xml else ImportFormat.CSV, entries, edition)


def import_watchlist(
    *, acting_user: User, watchlist: Watchlist, data: bytes, file_name: str
) -> WatchlistImport:
    """Import a whole edition of ``watchlist``; the report says what was added, changed,
    de-listed and listed again. All or nothing."""
    if not policy.can_manage_watchlist(acting_user, watchlist):
        raise PermissionDenied(_("Only the owning organisation's heads import into a list."))
    file_name = Path(file_name or "upload").name[:255]
    parsed = parse_watchlist(data, file_name)
    now = timezone.now()
    review_date = (now + timedelta(days=watchlist.review_days)).date()
    with transaction.atomic():
        Watchlist.objects.select_for_update().filter(pk=watchlist.pk).first()
        existing = {e.ref: e for e in Entry.objects.filter(watchlist=watchlist)}
        seen: set[str] = set()
        report: dict[str, Any] = {"added": [], "changed": {}, "delisted": [], "relisted": []}
        to_create: list[Entry] = []
        to_update: list[Entry] = []
        unchanged_pks: list[int] = []
        for engine_entry in parsed.entries:
            ref = engine_entry.entry_id[:64]
            if ref in seen:
                raise ImportRefused(
                    _("%(file)s: the reference %(ref)s appears twice.")
                    % {"file": file_name, "ref": ref}
                )
            seen.add(ref)
            fields = entry_fields(engine_entry)
            digest = content_hash(fields)
            old = existing.get(ref)
            if old is None:
                to_create.append(
                    Entry(
                        watchlist=watchlist,
                        ref=ref,
                        legal_basis=watchlist.legal_basis,
                        legal_status=watchlist.default_legal_status,
                        review_date=review_date,
                        content_hash=digest,
                        created_at=now,
                        updated_at=now,
                        **fields,
                    )
                )
                report["added"].append(ref)
                continue
            relisted = old.status == EntryStatus.DELISTED
            differs = old.content_hash != digest
            if differs:
                old_fields = {name: getattr(old, name) for name in fields}
                report["changed"][ref] = changed_fields(old_fields, fields)
                for name, value in fields.items():
                    setattr(old, name, value)
                old.content_hash = digest
                old.version += 1
            if relisted:
                old.status = EntryStatus.ACTIVE
                old.delisted_at = None
                report["relisted"].append(ref)
            if differs or relisted:
                old.updated_at = now
                # Being in the new edition re-confirms the entry: its review moves on.
                old.review_date = review_date
                to_update.append(old)
            else:
                unchanged_pks.append(old.pk)
        for ref, old in existing.items():
            if ref not in seen and old.status == EntryStatus.ACTIVE:
                old.status = EntryStatus.DELISTED
                old.delisted_at = now
                old.updated_at = now
                to_update.append(old)
                report["delisted"].append(ref)
        unchanged = len(unchanged_pks)
        Entry.objects.bulk_create(to_create, batch_size=500)
        # One UPDATE per chunk for the (usual) majority that did not change, instead of a
        # per-row CASE in bulk_update: a re-import of an unchanged list stays quick.
        for start in range(0, unchanged, 500):
            Entry.objects.filter(pk__in=unchanged_pks[start : start + 500]).update(
                review_date=review_date
            )
        Entry.objects.bulk_update(
            to_update,
            [
                *entry_fields(parsed.entries[0]).keys(),
                "content_hash",
                "version",
                "status",
                "delisted_at",
                "updated_at",
                "review_date",
            ],
            batch_size=500,
        )
        job = WatchlistImport.objects.create(
            watchlist=watchlist,
            imported_by=acting_user,
            at=now,
            file_name=file_name,
            sha256=hashlib.sha256(data).hexdigest(),
            format=parsed.format,
            edition=parsed.edition,
            added=len(report["added"]),
            changed=len(report["changed"]),
            delisted=len(report["delisted"]),
            relisted=len(report["relisted"]),
            unchanged=unchanged,
            report=report,
        )
        watchlist.edition = parsed.edition
        watchlist.last_import_at = now
        watchlist.save(update_fields=["edition", "last_import_at"])
        checkpoint = touch_index()
        audit.record(
            "screening.watchlist.import",
            actor=acting_user,
            obj=watchlist,
            detail={
                "import": job.pk,
                "file": file_name,
                "sha256": job.sha256,
                "format": parsed.format,
                "edition": parsed.edition,
                "added": job.added,
                "changed": job.changed,
                "delisted": job.delisted,
                "relisted": job.relisted,
                "unchanged": unchanged,
                "checkpoint": checkpoint,
            },
        )
    return job


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
