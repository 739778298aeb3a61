"""The background task the hash banks' services enqueue, run by ``ctnet worker`` (django-tasks).

It depends on ``indexing`` only, never on the services that enqueue it; scheduled work that
calls the services lives in ``jobs.py``.
"""

from __future__ import annotations

from django_tasks import task

from ctnet.hashes import indexing


@task()
def prebuild_pdq_index() -> int:
    """Build the PDQ index at the current checkpoint and save it under the data directory.

    Web processes load this file instead of building when their checkpoint moves, so a big bank
    swaps in fast. Enqueued after every committed change; runs that find the file current do
    nothing, so a burst of changes costs one build, not one per change.
    """
    epoch, checkpoint = indexing.current_state()
    path = indexing.index_path(epoch)
    if indexing.saved_checkpoint(path) == checkpoint:
        return checkpoint
    index = indexing.build_pdq_index(checkpoint)
    if index is None:
        path.unlink(missing_ok=True)
        return checkpoint
    path.parent.mkdir(parents=True, exist_ok=True)
    index.save(path)
    # Files of other epochs (a database that was replaced) can never be loaded again.
    for old in path.parent.glob(indexing.INDEX_FILE_NAME.format(epoch="*")):
        if old != path:
            old.unlink(missing_ok=True)
    return checkpoint
