"""The banks' per-process match index, swapped in when the checkpoint moves, and its saved file.

Each process holds one ``BankIndex`` (PDQ via the engine's exact multi-index, MD5/SHA-256 via
the engine's ``MatchIndex``). Before every match it reads the ``HashIndexState`` checkpoint (one
indexed single-row query); if the checkpoint moved, it loads the PDQ index the background task
(``prebuild_pdq_index``, below) saved for that checkpoint, or builds one from the database, then
swaps it in. So a match always sees every change committed before it started. The index holds
every matchable signal of every bank; what the caller may see is filtered by ``matching``.

The services enqueue ``prebuild_pdq_index`` on commit of every change; this module reads the
database and writes nothing but the index file, so it never imports the services back. Scheduled
jobs that call the services are in ``tasks.py``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django_tasks import task

from ctnet.hashes.engine.errors import IndexFormatError
from ctnet.hashes.engine.index import MatchIndex, PdqIndex
from ctnet.hashes.engine.signals import PdqSignal, VpdqSignal
from ctnet.hashes.engine.video_index import VideoIndex
from ctnet.hashes.models import MATCHABLE_STATUSES, HashIndexState, Signal
from ctnet.lib.checkpointed import CheckpointedHolder, State

logger = logging.getLogger(__name__)

INDEX_FILE_NAME = "pdq-index-{epoch}.bin"
#: Files of the previous format (numpy .npz, read whole at every load): removed when a new one
#: is written, since no engine reads them any more.
_LEGACY_FILE_NAMES = "pdq-index-*.npz"


@dataclass
class BankIndex:
    epoch: str
    checkpoint: int
    exact: MatchIndex
    pdq: PdqIndex | None
    size: int = 0
    video: VideoIndex | None = None


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
    return PdqIndex.saved_checkpoint(path)


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
        .exclude(signal_type__in=[PdqSignal.name, VpdqSignal.name])
        .values_list("pk", "signal_type", "value")
    )
    exact = MatchIndex.build(exact_rows, checkpoint=checkpoint)
    video = build_video_index(checkpoint)
    size = (len(pdq) if pdq is not None else 0) + len(exact_rows) + len(video)
    return BankIndex(epoch, checkpoint, exact, pdq, size, video)


def build_video_index(checkpoint: int) -> VideoIndex:
    """Every matchable vPDQ signal's frames. Built in each process from the database, not
    saved: a video bank holds thousands of videos, not millions of images, and parsing their
    frames takes well under a second (docs/benchmarks.md)."""
    rows = Signal.objects.filter(
        status__in=sorted(MATCHABLE_STATUSES), signal_type=VpdqSignal.name
    ).values_list("pk", "full_value")
    return VideoIndex.build(
        ((pk, VpdqSignal.parse(frames)) for pk, frames in rows.iterator()), checkpoint=checkpoint
    )


_holder: CheckpointedHolder[BankIndex] = CheckpointedHolder(current_state, _build)
current_index = _holder.get
# Tests, whose rolled-back checkpoints repeat.
reset_index_cache = _holder.reset


@task()
def prebuild_pdq_index() -> int:
    """Build the PDQ index at the current checkpoint and save it under the data directory.

    Web processes load this file instead of building when their checkpoint moves, so a big bank
    swaps in fast. Enqueued after every committed change; runs that find the file current do
    nothing, so a burst of changes costs one build, not one per change.
    """
    epoch, checkpoint = current_state()
    path = index_path(epoch)
    if saved_checkpoint(path) == checkpoint:
        return checkpoint
    index = build_pdq_index(checkpoint)
    if index is None:
        path.unlink(missing_ok=True)
        return checkpoint
    path.parent.mkdir(parents=True, exist_ok=True)
    index.save(path)
    # Files of other epochs (a database that was replaced) can never be loaded again.
    for old in [
        *path.parent.glob(INDEX_FILE_NAME.format(epoch="*")),
        *path.parent.glob(_LEGACY_FILE_NAMES),
    ]:
        if old != path:
            old.unlink(missing_ok=True)
    return checkpoint
