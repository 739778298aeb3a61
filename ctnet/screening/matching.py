"""The candidate index every process maps, swapped in when the checkpoint moves, and its file.

Each process holds one engine ``CandidateIndex`` over the active entries of the active
watchlists. Before a screening it reads the ``ScreeningIndexState`` checkpoint (one single-row
query); if an import moved it, the process maps the index the worker saved for that checkpoint
(``prebuild_screening_index``, under ``SCREENING_INDEX_DIR``) and swaps it in: the file's pages
are shared by every process that maps it, and loading takes well under a second at 1,000,000
entries (docs/screening.md). Only when no saved index for the checkpoint exists yet (the worker
has not run since the change) does the process build one from the database, as a log line
says; a saved file that is damaged or was saved at another checkpoint is never used.

The index holds every list; each entry carries its watchlist as its group, so the engine's
candidate cap applies per list, and ``for_lists`` screens only the lists a caller may use.
This module reads the database and writes nothing but the index file: the services enqueue the
task on commit of every change (as ``hashes.indexing`` does for the PDQ index).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django_tasks import task

from ctnet.lib.checkpointed import CheckpointedHolder, State
from ctnet.screening.convert import to_engine
from ctnet.screening.engine import normalise, savedindex
from ctnet.screening.engine.index import CandidateIndex
from ctnet.screening.models import Entry, EntryStatus, ScreeningIndexState

logger = logging.getLogger(__name__)

INDEX_FILE_NAME = "candidate-index-{epoch}.ctidx"

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
    source: str = "built"  # "saved": mapped from the worker's file; "built": from the database


def current_state() -> State:
    row = ScreeningIndexState.objects.filter(id=1).values_list("epoch", "checkpoint").first()
    return (row[0], int(row[1])) if row else ("", 0)


def index_path(epoch: str) -> Path:
    """Where the saved index of this database (its epoch) lives: one file, replaced whole."""
    return Path(settings.SCREENING_INDEX_DIR) / INDEX_FILE_NAME.format(epoch=epoch or "none")


def _meta(state: State) -> dict[str, str | int]:
    return {"epoch": state[0], "checkpoint": state[1]}


def build_index(state: State) -> HeldIndex:
    """The index from the database: the active entries of the active lists, grouped by list."""
    rows = Entry.objects.filter(status=EntryStatus.ACTIVE, watchlist__is_active=True).values(
        *ENGINE_FIELDS, "watchlist_id"
    )
    entries, groups = [], []
    for row in rows.iterator(chunk_size=2000):
        entries.append(to_engine(row["pk"], row))
        groups.append(int(row["watchlist_id"]))
    index = CandidateIndex(entries, groups) if entries else None
    return HeldIndex(state[0], state[1], index, len(entries))


def _load_saved(state: State) -> CandidateIndex | None:
    path = index_path(state[0])
    if not path.exists():
        return None
    try:
        return CandidateIndex.load(path, _meta(state))
    except savedindex.IndexFileError as exc:
        # Usually the worker has not saved this checkpoint yet; a damaged file says so too.
        logger.info("saved screening index not used: %s", exc)
        return None


def _build(state: State) -> HeldIndex:
    saved = _load_saved(state)
    if saved is not None:
        return HeldIndex(state[0], state[1], saved, len(saved.entries), "saved")
    started = time.perf_counter()
    held = build_index(state)
    logger.warning(
        "no saved screening index for checkpoint %s: built in this process (%d entries, %.1f s);"
        " the worker's prebuild_screening_index saves one for every process",
        state[1], held.size, time.perf_counter() - started,
    )  # fmt: skip
    return held


_holder: CheckpointedHolder[HeldIndex] = CheckpointedHolder(current_state, _build)
current_index = _holder.get
# Tests, whose rolled-back checkpoints repeat.
reset_index_cache = _holder.reset


def for_lists(held: HeldIndex, watchlist_ids: Iterable[int]) -> CandidateIndex | None:
    """The held index screening only these watchlists (the caller's): the candidate cap then
    applies to them alone, not to every list before the caller's are picked out."""
    if held.index is None:
        return None
    return held.index.restricted_to(watchlist_ids)


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


def saved_is_current(path: Path, state: State) -> bool:
    """Whether the saved file would be used at ``state``: every check of a load (version,
    engine fingerprint, epoch and checkpoint, size, checksums), without reading the arrays
    into this process. A stale or damaged file is not current, so the task replaces it."""
    if not path.exists():
        return False
    try:
        savedindex.read(path, expect=_meta(state))
    except savedindex.IndexFileError:
        return False
    return True


@task()
def prebuild_screening_index() -> int:
    """Build the index at the current checkpoint and save it for every process to map.

    Enqueued on commit of every change of the screened entries (imports, a list suspended or
    resumed); a run that finds the file current does nothing, so a burst of imports costs one
    build, not one per import. Also ``ctnet manage screening_index``.
    """
    state = current_state()
    path = index_path(state[0])
    if saved_is_current(path, state):
        return state[1]
    started = time.perf_counter()
    held = build_index(state)
    if held.index is None:
        path.unlink(missing_ok=True)
    else:
        held.index.save(path, _meta(state))
    logger.info(
        "screening index saved at checkpoint %s: %d entries in %.1f s",
        state[1], held.size, time.perf_counter() - started,
    )  # fmt: skip
    # Files of other epochs (a database that was replaced) can never be loaded again.
    for old in path.parent.glob(INDEX_FILE_NAME.format(epoch="*")):
        if old != path:
            old.unlink(missing_ok=True)
    return state[1]
