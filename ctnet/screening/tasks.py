"""Scheduled jobs of screening, which call its services: the retention purge.

The e-mail that services send (a hit notice) is in ``notices``.
"""

from __future__ import annotations

from django_tasks import task

from ctnet.screening.notices import send_hit_notice
from ctnet.screening.services.review import purge_expired

# Notices queued before the move name ``ctnet.screening.tasks.send_hit_notice``; the worker finds
# a task by that path, so the name stays here for them.
__all__ = ["purge_expired_hits", "send_hit_notice"]


@task()
def purge_expired_hits() -> dict[str, int]:
    """Hits, notices and remembered false positives past retention (also ``screening_purge``)."""
    return {k: len(v) for k, v in purge_expired().items()}
