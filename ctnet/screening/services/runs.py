"""Screening travellers: the engine's possible matches become hits for a person to review.

What is kept is decided here. A traveller with no possible match is never written anywhere:
not in a table, not in the audit log (counts only), not on disk (uploads are parsed in memory),
and the engine's per-process name caches are emptied after each run. A traveller with a
possible match is kept on the hit, until its retention date.

``screen_travellers`` runs named steps: check the request, charge the rate limit, ask the
engine, keep what is still listed on a list the caller may screen against, drop what a person
already judged a false positive, and write the run, its hits and the audit row together.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet import ratelimits
from ctnet.core import audit, ratelimit
from ctnet.core.models import Organisation, User
from ctnet.core.policy import acting_org
from ctnet.screening import matching
from ctnet.screening.convert import dob_label
from ctnet.screening.engine.model import BadRow, Traveller
from ctnet.screening.engine.normalise import normalise_document, normalise_name
from ctnet.screening.engine.score import Match, screen
from ctnet.screening.models import (
    Channel,
    Entry,
    EntryStatus,
    FalsePositiveMemory,
    Hit,
    Purpose,
    ScreeningRun,
    Watchlist,
)
from ctnet.screening.policy import policy


class RateLimited(Exception):
    """The person has screened their hourly allowance of travellers."""


def traveller_key(traveller: Traveller) -> str:
    """A keyed hash of what identifies the traveller: finds a remembered false positive again
    without keeping the person in clear. Spelling noise (case, diacritics, doubled letters) is
    normalised away; a new date of birth or document is new evidence and gives a new key."""
    if not settings.FIELD_KEY:
        raise ImproperlyConfigured("screening needs CTNET_FIELD_KEY or CTNET_SECRET_KEY")
    parts = [
        " ".join(normalise_name(traveller.name).tokens),
        dob_label(traveller.dob),
        traveller.nationality or "",
        normalise_document(traveller.document or ""),
    ]
    mac = hmac.new(settings.FIELD_KEY.encode(), b"screening-traveller:", hashlib.sha256)
    mac.update("\x1f".join(parts).encode())
    return mac.hexdigest()


@dataclass
class TravellerResult:
    traveller: Traveller
    hits: list[Hit] = field(default_factory=list)


@dataclass
class RunResult:
    run: ScreeningRun
    results: list[TravellerResult]  # travellers with at least one possible match, input order
    bad: list[BadRow]


@dataclass(frozen=True)
class Kept:
    """A possible match on an entry still listed on a list the caller may screen against."""

    position: int  # of the traveller in the input
    match: Match
    entry_id: int
    entry_version: int


@dataclass
class NewHits:
    hits: list[Hit]
    owners: list[int]  # the traveller (input position) of each hit
    suppressed: int  # remembered false positives not raised again


def screenable_watchlists(user: User, ids: Sequence[int] | None = None) -> list[Watchlist]:
    """Active lists the user may screen against; asking for one they may not is 'unknown'."""
    lists = list(Watchlist.objects.visible_to(user).filter(is_active=True).order_by("id"))
    if ids:
        wanted = set(ids)
        lists = [w for w in lists if w.pk in wanted]
        unknown = wanted - {w.pk for w in lists}
        if unknown:
            raise ValidationError(
                _("Unknown watchlist(s): %(ids)s") % {"ids": ", ".join(map(str, sorted(unknown)))}
            )
    return lists


def _check_request(
    acting_user: User, travellers: Sequence[Traveller], channel: str, purpose: str, threshold: float
) -> None:
    if not policy.can_screen(acting_user):
        raise PermissionDenied(_("Your role may not screen travellers."))
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if purpose not in Purpose.values:
        raise ValidationError(
            _("Say why these travellers are screened: one of %(values)s.")
            % {"values": ", ".join(Purpose.values)}
        )
    if not 0.5 <= threshold <= 1.0:
        raise ValidationError(_("The threshold must be between 0.5 and 1."))
    if len(travellers) > settings.SCREENING_MAX_BATCH:
        raise ValidationError(
            _("At most %(max)d travellers per call; split the list.")
            % {"max": settings.SCREENING_MAX_BATCH}
        )


def _charge(acting_user: User, travellers: Sequence[Traveller]) -> None:
    if travellers and not ratelimit.authorize(
        ratelimits.SCREENING_TRAVELLERS_PER_USER, str(acting_user.pk), cost=len(travellers)
    ):
        raise RateLimited


def _engine_matches(travellers: Sequence[Traveller], threshold: float) -> list[tuple[int, Match]]:
    held = matching.current_index()
    if held.index is None:
        return []
    try:
        return [
            (i, match)
            for i, traveller in enumerate(travellers)
            for match in screen(held.index, traveller, threshold)
        ]
    finally:
        matching.forget_travellers(held)


def _still_listed(raw: list[tuple[int, Match]], lists: list[Watchlist]) -> list[Kept]:
    """Checked against the database, not only the index: an entry de-listed by an import that
    committed while this run was screening is not raised."""
    allowed = {w.pk for w in lists}
    info = {
        pk: (watchlist_id, version)
        for pk, watchlist_id, version in Entry.objects.filter(
            pk__in={int(m.entry_id) for _i, m in raw}, status=EntryStatus.ACTIVE
        ).values_list("pk", "watchlist_id", "version")
    }
    kept = []
    for i, match in raw:
        watchlist_id, version = info.get(int(match.entry_id), (None, 0))
        if watchlist_id in allowed:
            kept.append(Kept(i, match, int(match.entry_id), version))
    return kept


def _remembered(
    org: Organisation, keys: dict[int, str], kept: list[Kept], now: datetime
) -> set[tuple[str, int, int]]:
    """(traveller key, entry, entry version) that a person of ``org`` judged false positives."""
    return set(
        FalsePositiveMemory.objects.filter(
            organisation=org,
            traveller_key__in=set(keys.values()),
            entry_id__in={k.entry_id for k in kept},
            expires_at__gt=now,
        ).values_list("traveller_key", "entry_id", "entry_version")
    )


def _new_hits(
    org: Organisation, travellers: Sequence[Traveller], kept: list[Kept], now: datetime
) -> NewHits:
    keys = {k.position: traveller_key(travellers[k.position]) for k in kept}
    remembered = _remembered(org, keys, kept, now)
    out = NewHits([], [], 0)
    for k in kept:
        if (keys[k.position], k.entry_id, k.entry_version) in remembered:
            out.suppressed += 1
            continue
        t = travellers[k.position]
        out.owners.append(k.position)
        out.hits.append(
            Hit(
                organisation=org,
                entry_id=k.entry_id,
                entry_version=k.entry_version,
                traveller_ref=t.traveller_id[:64],
                traveller_name=t.name[:300],
                traveller_dob=dob_label(t.dob),
                traveller_nationality=t.nationality or "",
                traveller_document=(t.document or "")[:64],
                traveller_key=keys[k.position],
                score=k.match.score,
                reasons=list(k.match.reasons),
                created_at=now,
                retain_until=now + timedelta(days=settings.SCREENING_OPEN_RETENTION_DAYS),
            )
        )
    return out


def _write_run(
    run: ScreeningRun, lists: list[Watchlist], new: NewHits, *, acting_user: User
) -> None:
    with transaction.atomic():
        run.save()
        run.watchlists.set(lists)
        for hit in new.hits:
            hit.run = run
        Hit.objects.bulk_create(new.hits, batch_size=500)
        # Counts and ids only: the log must not become a register of who travelled.
        audit.record(
            "screening.run",
            actor=acting_user,
            obj=run,
            detail={
                "channel": run.channel,
                "purpose": run.purpose,
                "travellers": run.travellers,
                "bad_rows": run.bad_rows,
                "possible_matches": len(new.hits),
                "suppressed_false_positives": new.suppressed,
                "watchlists": sorted(w.pk for w in lists),
                "hits": [h.pk for h in new.hits],
            },
        )


def _results(travellers: Sequence[Traveller], new: NewHits) -> list[TravellerResult]:
    by_traveller: dict[int, TravellerResult] = {}
    for i, hit in zip(new.owners, new.hits, strict=True):
        by_traveller.setdefault(i, TravellerResult(travellers[i])).hits.append(hit)
    return [by_traveller[i] for i in sorted(by_traveller)]


def screen_travellers(
    *,
    acting_user: User,
    travellers: Sequence[Traveller],
    channel: str,
    purpose: str,
    threshold: float | None = None,
    watchlist_ids: Sequence[int] | None = None,
    source_name: str = "",
    flight: dict[str, Any] | None = None,
    bad: Sequence[BadRow] = (),
) -> RunResult:
    """Screen ``travellers`` against the lists the user may screen against; keep only hits."""
    threshold = settings.SCREENING_THRESHOLD if threshold is None else float(threshold)
    _check_request(acting_user, travellers, channel, purpose, threshold)
    lists = screenable_watchlists(acting_user, watchlist_ids)
    _charge(acting_user, travellers)
    org = acting_org(acting_user)
    started = time.perf_counter()
    kept = _still_listed(_engine_matches(travellers, threshold), lists)
    now = timezone.now()
    new = _new_hits(org, travellers, kept, now)
    run = ScreeningRun(
        organisation=org,
        user=acting_user,
        channel=channel,
        purpose=purpose,
        source_name=source_name[:255],
        flight=flight or {},
        threshold=threshold,
        travellers=len(travellers),
        bad_rows=len(bad),
        travellers_with_matches=len(set(new.owners)),
        possible_matches=len(new.hits),
        suppressed=new.suppressed,
        duration_ms=int((time.perf_counter() - started) * 1000),
        at=now,
    )
    _write_run(run, lists, new, acting_user=acting_user)
    return RunResult(run, _results(travellers, new), list(bad))
