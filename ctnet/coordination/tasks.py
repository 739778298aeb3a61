"""Scheduled jobs of coordination (settings.SCHEDULE); each calls one service."""

from __future__ import annotations

from django_tasks import task

from ctnet.coordination.services.assistance import close_reported_needs
from ctnet.coordination.services.deadlines import notify_milestones_due


@task()
def send_milestone_due_notices() -> int:
    """Tell each plan's owner, once, about its milestones due within the week; returns plans."""
    return notify_milestones_due()


@task()
def close_needs_reported() -> int:
    """Close the needs whose monitoring project has an approved report; returns how many."""
    return close_reported_needs()
