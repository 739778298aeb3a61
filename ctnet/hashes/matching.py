"""Matching against the banks: a batch of hashes against the per-process index (``indexing``).

The index holds every matchable signal of every bank; what the caller may see is filtered
afterwards, in the database, through the policy. Each match is counted and audited
(``governance.record_matches``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ctnet.hashes import access, governance
from ctnet.hashes.engine.errors import HashEngineError
from ctnet.hashes.engine.signals import PdqSignal, VpdqSignal, get_signal_type
from ctnet.hashes.indexing import BankIndex, current_index
from ctnet.hashes.models import MATCHABLE_STATUSES, Confirmation, Signal, SignalStatus

# --- Matching --------------------------------------------------------------------------------


@dataclass
class QueryResult:
    index: int
    signal_type: str
    value: str
    matches: list[tuple[Signal, int]] = field(default_factory=list)
    #: vPDQ only: (query match percent, compared match percent) per matched signal id.
    video: dict[int, tuple[float, float]] = field(default_factory=dict)


def clean_queries(queries: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Validate every hash first: one bad hash refuses the whole batch, naming it."""
    if len(queries) > settings.HASHES_MAX_BATCH:
        raise ValidationError(
            _("At most %(n)d hashes per request.") % {"n": settings.HASHES_MAX_BATCH}
        )
    cleaned = []
    for number, (type_name, value) in enumerate(queries):
        try:
            kind = get_signal_type(type_name)
            cleaned.append((kind.name, kind.validate(value)))
        except HashEngineError as exc:
            raise ValidationError(
                _("Hash %(n)d: %(error)s") % {"n": number, "error": exc}
            ) from None
    return cleaned


def pdq_limit(requested: int | None) -> int:
    cap = settings.HASHES_PDQ_MAX_DISTANCE
    if requested is None:
        return cap
    if not 0 <= requested <= cap:
        raise ValidationError(_("max_distance must be between 0 and %(cap)d.") % {"cap": cap})
    return requested


def _raw_matches(index: BankIndex, kind: str, values: list[str], limit: int) -> list[tuple]:
    """(query position within ``values``, signal id, distance[, percentages]) for one type.

    vPDQ: ``limit`` is the per-frame distance; a hit carries its two match percentages."""
    if kind == VpdqSignal.name:
        if index.video is None:
            return []
        return [
            (q, hit.signal_id, hit.distance, (hit.query_percent, hit.compared_percent))
            for q, value in enumerate(values)
            for hit in index.video.query(VpdqSignal.parse(value), frame_distance=limit)
        ]
    if kind != PdqSignal.name:
        positions = {v: i for i, v in enumerate(values)}
        return [(positions[m.query_value], m.signal_id, 0) for m in index.exact.match(kind, values)]
    if index.pdq is None or not values:
        return []
    qidx, ids, dist = index.pdq.query_arrays(PdqSignal.to_bytes(values), limit)
    return list(zip(qidx.tolist(), ids.tolist(), dist.tolist(), strict=True))


def match_hashes(
    user: Any, queries: list[tuple[str, str]], max_distance: int | None = None
) -> list[QueryResult]:
    """Match a batch; only signals the caller may see; counts and audits what matched."""
    visible = access.visible_signals(user)  # 403 for the wrong role, before any work
    cleaned = clean_queries(queries)
    limit = pdq_limit(max_distance)
    index = current_index()
    results = [QueryResult(i, kind, value) for i, (kind, value) in enumerate(cleaned)]
    hits: list[tuple[int, int, int]] = []
    for kind in sorted({kind for kind, _value in cleaned}):
        positions = [i for i, (k, _v) in enumerate(cleaned) if k == kind]
        values = [cleaned[i][1] for i in positions]
        for q, signal_id, distance, *percents in _raw_matches(index, kind, values, limit):
            hits.append((positions[q], signal_id, distance))
            if percents:
                results[positions[q]].video[signal_id] = percents[0]
    if not hits:
        return results
    signals = {
        s.pk: s
        for s in visible.filter(pk__in={h[1] for h in hits}, status__in=MATCHABLE_STATUSES)
        .select_related("bank", "contributor")
        .prefetch_related(
            Prefetch(
                "confirmations",
                queryset=Confirmation.objects.select_related("organisation"),
            )
        )
    }
    counts: dict[int, int] = {}
    for position, signal_id, distance in sorted(hits, key=lambda h: (h[0], h[2], h[1])):
        signal = signals.get(signal_id)
        if signal is not None:
            results[position].matches.append((signal, distance))
            counts[signal_id] = counts.get(signal_id, 0) + 1
    for result in results:  # percentages of what the caller may see only
        shown = {signal.pk for signal, _distance in result.matches}
        result.video = {pk: pct for pk, pct in result.video.items() if pk in shown}
    quarantined = set(governance.record_matches(acting_user=user, counts=counts))
    for signal in signals.values():
        if signal.pk in quarantined:
            signal.status = SignalStatus.QUARANTINED
    return results
