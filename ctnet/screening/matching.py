"""The per-process candidate index over every listed entry, swapped in when the checkpoint moves.

Each process holds one engine ``CandidateIndex`` built from the active entries of the active
watchlists. Before a screening it reads the ``ScreeningIndexState`` checkpoint (one single-row
query); if an import moved it, the index is rebuilt from the database and swapped in, so a
screening always sees every import committed before it started. The index holds all lists;
which of them a caller may screen against is applied to the matches, through the policy.
"""

from __future__ import annotations

from dataclasses import dataclass

from ctnet.lib.checkpointed import CheckpointedHolder, State
from ctnet.screening.convert import to_engine
from ctnet.screening.engine import normalise
from ctnet.screening.engine.index import CandidateIndex
from ctnet.screening.models import Entry, EntryStatus, ScreeningIndexState

ENGINE_FIELDS = (
    "pk",
    "names",
    "entity_type",
    "dobs",
    "places_of_birth",
    "nationalities",
    "documents",
    "gender",
)


@dataclass
class HeldIndex:
    epoch: str
    checkpoint: int
    index: CandidateIndex | None  # None when nothing is listed
    size: int


def current_state() -> State:
    row = ScreeningIndexState.objects.filter(id=1).values_list("epoch", "checkpoint").first()
    return (row[0], int(row[1])) if row else ("", 0)


def _build(state: State) -> HeldIndex:
    rows = Entry.objects.filter(status=EntryStatus.ACTIVE, watchlist__is_active=True).values(
        *ENGINE_FIELDS
    )
    entries = [to_engine(row["pk"], row) for row in rows.iterator(chunk_size=2000)]
    index = CandidateIndex(entries) if entries else None
    return HeldIndex(state[0], state[1], index, len(entries))


_holder: CheckpointedHolder[HeldIndex] = CheckpointedHolder(current_state, _build)
current_index = _holder.get
# Tests, whose rolled-back checkpoints repeat.
reset_index_cache = _holder.reset


def forget_travellers(held: HeldIndex) -> None:
    """Drop what the engine memoised about the names it was asked about.

    The engine caches the expansions of traveller name parts for speed; in a long-running web
    process those caches would keep fragments of travellers who matched nothing, which the
    platform promises not to keep. A run of a few hundred travellers loses little by starting
    cold; the batch command line (``ctnet screen``) keeps the caches for its throughput.
    """
    if held.index is not None:
        held.index.forget_queries()
    else:
        normalise.forget_names()
