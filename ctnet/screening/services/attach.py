"""Re-screening attaches to what is already known, instead of raising it again (issue 12).

A pair is the traveller (the keyed hash of their normalised identifying data), the entry and the
entry's version, per screening organisation: another organisation decides for itself.

- A pair that already has a live hit, open or decided, is not raised again: the run is recorded
  on that hit (a sighting). A confirmed, inconclusive, open or proposed hit is answered to the
  screener again, with its status; a false positive is not (it counts as remembered).
- A decided pair whose hit is gone (a false positive's memory outlives its hit) is remembered: a
  false positive stays silent; a remembered confirmation or inconclusive decision is raised
  again, linked to that decision, so that nobody is waved through because a row was purged.
- New evidence (another document, another date of birth, a new version of the entry) raises a
  new hit, linked to the earlier decision on the same entry for this traveller or for a traveller
  of the same name, so that the reviewer sees it.

Race: two runs that commit the same *new* pair at the same moment both raise it; the queue
shows them under one traveller and the second is decided like the first. Locking every pair
would serialise screening for a rare case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q

from ctnet.core.models import Organisation
from ctnet.screening.convert import dob_label
from ctnet.screening.engine.model import Traveller
from ctnet.screening.engine.score import Match
from ctnet.screening.models import DecisionMemory, Hit, HitSighting, HitStatus, ScreeningRun

Pair = tuple[str, int, int]  # traveller key, entry, entry version
KeyOf = Callable[[Traveller], str]
# Hits still waiting for a person: seeing them again keeps them (their retention moves on).
UNDECIDED = (HitStatus.OPEN, HitStatus.PROPOSED)
BATCH = 500


@dataclass(frozen=True)
class Kept:
    """A possible match on an entry still listed on a list the caller may screen against."""

    position: int  # of the traveller in the input
    match: Match
    entry_id: int
    entry_version: int


@dataclass
class Attached:
    new: list[Hit] = field(default_factory=list)  # raised by this run
    seen: list[Hit] = field(default_factory=list)  # raised earlier, found again by this run
    shown: list[tuple[int, Hit]] = field(default_factory=list)  # (traveller position, hit)
    sightings: list[tuple[Hit, str, float]] = field(default_factory=list)  # hit, ref, score
    suppressed: int = 0  # remembered false positives, not answered

    @property
    def seen_again(self) -> int:
        """Earlier hits answered again (a remembered false positive is counted apart)."""
        return sum(1 for h in self.seen if h.status != HitStatus.FALSE_POSITIVE)


@dataclass
class _Known:
    hits: dict[Pair, Hit]
    exact: dict[Pair, DecisionMemory]
    # Newest decision on an entry for this traveller key (another version of the entry) and
    # for this name (another date of birth or document).
    by_key: dict[tuple[str, int], DecisionMemory]
    by_name: dict[tuple[str, int], DecisionMemory]

    def earlier(self, pair: Pair, name: str) -> DecisionMemory | None:
        key, entry, _version = pair
        return (
            self.exact.get(pair) or self.by_key.get((key, entry)) or self.by_name.get((name, entry))
        )


def _known(org: Organisation, pairs: set[Pair], names: set[str], now: datetime) -> _Known:
    keys = {p[0] for p in pairs}
    entries = {p[1] for p in pairs}
    found = _Known({}, {}, {}, {})
    if not pairs:
        return found
    hits = Hit.objects.filter(
        organisation=org, traveller_key__in=keys, entry_id__in=entries, retain_until__gt=now
    ).select_related("entry__watchlist__originator", "proposed_by", "earlier_decision__decided_by")
    for hit in hits.order_by("id"):  # the newest hit of a pair wins
        found.hits[(hit.traveller_key, hit.entry_id, hit.entry_version)] = hit
    memories = DecisionMemory.objects.filter(
        Q(traveller_key__in=keys) | Q(name_key__in=names),
        organisation=org,
        entry_id__in=entries,
        expires_at__gt=now,
    )
    for memory in memories.order_by("at", "id"):
        pair = (memory.traveller_key, memory.entry_id, memory.entry_version)
        if pair in pairs:
            found.exact[pair] = memory
        found.by_key[(memory.traveller_key, memory.entry_id)] = memory
        if memory.name_key:
            found.by_name[(memory.name_key, memory.entry_id)] = memory
    return found


def _new_hit(
    org: Organisation,
    traveller: Traveller,
    kept: Kept,
    keys: tuple[str, str],
    earlier: DecisionMemory | None,
    now: datetime,
) -> Hit:
    return Hit(
        organisation=org,
        entry_id=kept.entry_id,
        entry_version=kept.entry_version,
        traveller_ref=traveller.traveller_id[:64],
        traveller_name=traveller.name[:300],
        traveller_dob=dob_label(traveller.dob),
        traveller_nationality=traveller.nationality or "",
        traveller_document=(traveller.document or "")[:64],
        traveller_key=keys[0],
        name_key=keys[1],
        earlier_decision=earlier,
        score=kept.match.score,
        reasons=list(kept.match.reasons),
        created_at=now,
        last_seen_at=now,
        retain_until=now + timedelta(days=settings.SCREENING_OPEN_RETENTION_DAYS),
    )


def attach_or_raise(
    org: Organisation,
    kept: Sequence[tuple[Kept, Traveller]],
    *,
    keys: tuple[KeyOf, KeyOf],
    now: datetime,
) -> Attached:
    """Sort the run's possible matches into new hits, hits seen again and remembered ones."""
    key_of, name_of = keys
    tkeys = {k.position: key_of(t) for k, t in kept}
    names = {k.position: name_of(t) for k, t in kept}
    pairs = {(tkeys[k.position], k.entry_id, k.entry_version) for k, _t in kept}
    known = _known(org, pairs, set(names.values()), now)
    out = Attached()
    this_run: dict[Pair, Hit] = {}
    sighted: set[Pair] = set()
    for k, traveller in kept:
        pair = (tkeys[k.position], k.entry_id, k.entry_version)
        hit = this_run.get(pair) or known.hits.get(pair)
        memory = known.exact.get(pair)
        if hit is None and memory is not None and memory.outcome == HitStatus.FALSE_POSITIVE:
            out.suppressed += 1
            continue
        if hit is None:
            earlier = known.earlier(pair, names[k.position])
            hit = _new_hit(org, traveller, k, (pair[0], names[k.position]), earlier, now)
            this_run[pair] = hit
            out.new.append(hit)
        elif pair not in this_run and pair not in sighted:
            out.seen.append(hit)
        if pair not in sighted:
            sighted.add(pair)
            out.sightings.append((hit, traveller.traveller_id[:64], k.match.score))
        if hit.status == HitStatus.FALSE_POSITIVE:
            out.suppressed += 1
            continue
        out.shown.append((k.position, hit))
    return out


def write_attached(run: ScreeningRun, found: Attached) -> None:
    """Write the new hits, one sighting per hit and run, and what seeing a hit again changes.
    Call inside the run's transaction."""
    for hit in found.new:
        hit.run = run
    Hit.objects.bulk_create(found.new, batch_size=BATCH)
    HitSighting.objects.bulk_create(
        [
            HitSighting(hit=hit, run=run, traveller_ref=ref, score=score, at=run.at)
            for hit, ref, score in found.sightings
        ],
        batch_size=BATCH,
    )
    seen = [h.pk for h in found.seen]
    keep = run.at + timedelta(days=settings.SCREENING_OPEN_RETENTION_DAYS)
    for start in range(0, len(seen), BATCH):
        chunk = seen[start : start + BATCH]
        Hit.objects.filter(pk__in=chunk).update(times_seen=F("times_seen") + 1, last_seen_at=run.at)
        # A possible match still waiting for a person is kept while travellers keep meeting it;
        # a decided one keeps the retention of its decision.
        Hit.objects.filter(pk__in=chunk, status__in=UNDECIDED, retain_until__lt=keep).update(
            retain_until=keep
        )
    for hit in found.seen:
        hit.times_seen += 1
        hit.last_seen_at = run.at
        if hit.status in UNDECIDED and hit.retain_until < keep:
            hit.retain_until = keep
