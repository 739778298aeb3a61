"""Matching against the banks: the per-process index, swapped in when the checkpoint moves.

Each process holds one ``BankIndex`` (PDQ via the engine's exact multi-index, MD5/SHA-256 via
the engine's ``MatchIndex``). Before every match it reads the ``HashIndexState`` checkpoint (one
indexed single-row query); if the checkpoint moved, it loads the PDQ index the background task
saved for that checkpoint, or builds one from the database, then swaps it in. So a match always
sees every change committed before it started. The index holds every matchable signal of every
bank; what the caller may see is filtered afterwards, in the database, through the policy.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ctnet.hashes import access, governance
from ctnet.hashes.engine.errors import HashEngineError, IndexFormatError
from ctnet.hashes.engine.index import MatchIndex, PdqIndex
from ctnet.hashes.engine.signals import PdqSignal, get_signal_type
from ctnet.hashes.models import (
    MATCHABLE_STATUSES,
    Confirmation,
    HashIndexState,
    Signal,
    SignalStatus,
)
from ctnet.lib.checkpointed import CheckpointedHolder, State

logger = logging.getLogger(__name__)

INDEX_FILE_NAME = "pdq-index-{epoch}.npz"


@dataclass
class BankIndex:
    epoch: str
    checkpoint: int
    exact: MatchIndex
    pdq: PdqIndex | None
    size: int = 0


def index_path(epoch: str | None = None) -> Path:
    """Where the prebuilt PDQ index of this database (its epoch) is saved."""
    epoch = current_state()[0] if epoch is None else epoch
    return Path(settings.HASHES_INDEX_DIR) / INDEX_FILE_NAME.format(epoch=epoch or "none")


def current_state() -> State:
    """(epoch, checkpoint) of the banks: one single-row query."""
    row = HashIndexState.objects.filter(id=1).values_list("epoch", "checkpoint").first()
    return (row[0], int(row[1])) if row else ("", 0)


def current_checkpoint() -> int:
    return current_state()[1]


def saved_checkpoint(path: Path) -> int | None:
    """The checkpoint a saved index was built at, read without loading the arrays."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return int(data["checkpoint"])
    except (OSError, KeyError, ValueError):
        return None


def _load_saved(epoch: str, checkpoint: int) -> PdqIndex | None:
    path = index_path(epoch)
    if saved_checkpoint(path) != checkpoint:
        return None
    try:
        return PdqIndex.load(path)
    except (OSError, IndexFormatError) as exc:
        logger.warning("saved PDQ index unusable, rebuilding: %s", exc)
        return None


def build_pdq_index(checkpoint: int) -> PdqIndex | None:
    rows = Signal.objects.filter(
        status__in=sorted(MATCHABLE_STATUSES), signal_type=PdqSignal.name
    ).values_list("pk", "value")
    ids = [pk for pk, _value in rows]
    if not ids:
        return None
    hashes = PdqSignal.to_bytes([value for _pk, value in rows])
    return PdqIndex.build(np.asarray(ids, dtype=np.int64), hashes, checkpoint)


def _build(state: State) -> BankIndex:
    epoch, checkpoint = state
    pdq = _load_saved(epoch, checkpoint) or build_pdq_index(checkpoint)
    exact_rows = (
        Signal.objects.filter(status__in=sorted(MATCHABLE_STATUSES))
        .exclude(signal_type=PdqSignal.name)
        .values_list("pk", "signal_type", "value")
    )
    exact = MatchIndex.build(exact_rows, checkpoint=checkpoint)
    size = (len(pdq) if pdq is not None else 0) + len(exact_rows)
    return BankIndex(epoch, checkpoint, exact, pdq, size)


_holder: CheckpointedHolder[BankIndex] = CheckpointedHolder(current_state, _build)
current_index = _holder.get
# Tests, whose rolled-back checkpoints repeat.
reset_index_cache = _holder.reset


# --- Matching --------------------------------------------------------------------------------


@dataclass
class QueryResult:
    index: int
    signal_type: str
    value: str
    matches: list[tuple[Signal, int]] = field(default_factory=list)


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
    """(query position within ``values``, signal id, distance) for one signal type."""
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
        for q, signal_id, distance in _raw_matches(index, kind, values, limit):
            hits.append((positions[q], signal_id, distance))
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
    quarantined = set(governance.record_matches(acting_user=user, counts=counts))
    for signal in signals.values():
        if signal.pk in quarantined:
            signal.status = SignalStatus.QUARANTINED
    return results
