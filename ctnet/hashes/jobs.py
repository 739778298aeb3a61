"""Scheduled jobs of the hash banks: run by ``ctnet worker`` when queued by cron, and calling the
services (unlike ``tasks.py``, which the services enqueue)."""

from __future__ import annotations

from django_tasks import task

from ctnet.hashes import governance


@task()
def expire_crisis_banks() -> list[int]:
    """Close crisis banks whose time box has ended (also ``ctnet hashes_expire_crisis``)."""
    return governance.expire_crisis_banks()
