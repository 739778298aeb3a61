"""Screening travellers: the engine's possible matches become hits for a person to review.

What is kept is decided here. A traveller with no possible match is never written anywhere:
not in a table, not in the audit log (counts only), not on disk (uploads are parsed in memory),
and the engine's per-process name caches are emptied after each run. A traveller with a
possible match is kept on the hit, until its retention date.

``screen_travellers`` runs named steps: check the request, charge the rate limit, ask the
engine, keep what is still listed on a list the caller may screen against, attach what an
earlier run already raised or a person already decided (``attach``), and write the run, its new
hits, its sightings and the audit row together.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet import ratelimits
from ctnet.core import audit, ratelimit
from ctnet.core.models import User
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
    Hit,
    Purpose,
    ScreeningRun,
    Watchlist,
)
from ctnet.screening.policy import policy
from ctnet.screening.services.attach import Attached, Kept, attach_or_raise, write_attached


class RateLimited(Exception):
    """The person has screened their hourly allowance of travellers."""


def _keyed(label: bytes, parts: Sequence[str]) -> str:
    if not settings.FIELD_KEY:
        raise ImproperlyConfigured("screening needs CTNET_FIELD_KEY or CTNET_SECRET_KEY")
    mac = hmac.new(settings.FIELD_KEY.encode(), label, hashlib.sha256)
    mac.update("\x1f".join(parts).encode())
    return mac.hexdigest()


def traveller_key(traveller: Traveller) -> str:
    """A keyed hash of what identifies the traveller: finds a remembered decision again
    without keeping the person in clear. Spelling noise (case, diacritics, doubled letters) is
    normalised away; a new date of birth or document is new evidence and gives a new key."""
    return _keyed(
        b"screening-traveller:",
        [
            " ".join(normalise_name(traveller.name).tokens),
            dob_label(traveller.dob),
            traveller.nationality or "",
            normalise_document(traveller.document or ""),
        ],
    )


def name_key(traveller: Traveller) -> str:
    """A keyed hash of the normalised name alone: the traveller who presents new evidence (a
    document, another date of birth) is linked to the earlier decision on the same entry."""
    return _keyed(b"screening-name:", [" ".join(normalise_name(traveller.name).tokens)])


@dataclass
class TravellerResult:
    traveller: Traveller
    hits: list[Hit] = field(default_factory=list)


@dataclass
class RunResult:
    run: ScreeningRun
    results: list[TravellerResult]  # travellers with at least one possible match, input order
    bad: list[BadRow]


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


def _engine_matches(
    travellers: Sequence[Traveller], threshold: float, lists: list[Watchlist]
) -> list[tuple[int, Match]]:
    held = matching.current_index()
    # Only the caller's lists, so the candidate cap applies to them alone (issue 12, item 4).
    index = matching.for_lists(held, [w.pk for w in lists])
    if index is None or not lists:
        return []
    try:
        return [
            (i, match)
            for i, traveller in enumerate(travellers)
            for match in screen(index, traveller, threshold)
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


def _write_run(
    run: ScreeningRun, lists: list[Watchlist], found: Attached, *, acting_user: User
) -> None:
    with transaction.atomic():
        run.save()
        run.watchlists.set(lists)
        write_attached(run, found)
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
                "possible_matches": len(found.new),
                "seen_again": found.seen_again,
                "suppressed_false_positives": found.suppressed,
                "watchlists": sorted(w.pk for w in lists),
                "hits": [h.pk for h in found.new],
                "hits_seen_again": sorted(h.pk for h in found.seen),
            },
        )


def _results(travellers: Sequence[Traveller], found: Attached) -> list[TravellerResult]:
    by_traveller: dict[int, TravellerResult] = {}
    for i, hit in found.shown:
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
    kept = _still_listed(_engine_matches(travellers, threshold, lists), lists)
    now = timezone.now()
    found = attach_or_raise(
        org,
        [(k, travellers[k.position]) for k in kept],
        keys=(traveller_key, name_key),
        now=now,
    )
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
        travellers_with_matches=len({i for i, _hit in found.shown}),
        possible_matches=len(found.new),
        seen_again=found.seen_again,
        suppressed=found.suppressed,
        duration_ms=int((time.perf_counter() - started) * 1000),
        at=now,
    )
    _write_run(run, lists, found, acting_user=acting_user)
    return RunResult(run, _results(travellers, found), list(bad))
