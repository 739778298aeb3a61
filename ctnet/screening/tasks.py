"""Scheduled jobs of screening, which call its services: the retention purge.

The e-mail that services send (a hit notice) is in ``notices``.
"""

from __future__ import annotations

from django_tasks import task

from ctnet.screening.services.review import purge_expired


@task()
def purge_expired_hits() -> dict[str, int]:
    """Hits, notices and remembered false positives past retention (also ``screening_purge``)."""
    return {k: len(v) for k, v in purge_expired().items()}
