"""Scheduled jobs of the hash banks, run by ``ctnet worker`` (django-tasks) when cron queues them.

They call the services; the task the services enqueue (``prebuild_pdq_index``) lives with the
index in ``indexing.py``, so neither side imports the other back.
"""

from __future__ import annotations

from django_tasks import task

from ctnet.hashes import governance
from ctnet.hashes.indexing import prebuild_pdq_index

# Builds queued before the move name ``ctnet.hashes.tasks.prebuild_pdq_index``; the worker finds a
# task by that path, so the name stays here for them.
__all__ = ["expire_crisis_banks", "prebuild_pdq_index"]


@task()
def expire_crisis_banks() -> list[int]:
    """Close crisis banks whose time box has ended (also ``ctnet hashes_expire_crisis``)."""
    return governance.expire_crisis_banks()
