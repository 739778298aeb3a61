"""Background tasks of the hash banks, run by ``ctnet worker`` (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from ctnet.hashes import governance, matching


@task()
def prebuild_pdq_index() -> int:
    """Build the PDQ index at the current checkpoint and save it under the data directory.

    Web processes load this file instead of building when their checkpoint moves, so a big bank
    swaps in fast. Enqueued after every committed change; runs that find the file current do
    nothing, so a burst of changes costs one build, not one per change.
    """
    epoch, checkpoint = matching.current_state()
    path = matching.index_path(epoch)
    if matching.saved_checkpoint(path) == checkpoint:
        return checkpoint
    index = matching.build_pdq_index(checkpoint)
    if index is None:
        path.unlink(missing_ok=True)
        return checkpoint
    path.parent.mkdir(parents=True, exist_ok=True)
    index.save(path)
    # Files of other epochs (a database that was replaced) can never be loaded again.
    for old in path.parent.glob(matching.INDEX_FILE_NAME.format(epoch="*")):
        if old != path:
            old.unlink(missing_ok=True)
    return checkpoint


@task()
def expire_crisis_banks() -> list[int]:
    """Close crisis banks whose time box has ended (also ``ctnet hashes_expire_crisis``)."""
    return governance.expire_crisis_banks()
