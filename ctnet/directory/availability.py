"""Is a contact point reachable right now? 24/7, or inside its office hours in its own time zone."""

from __future__ import annotations

from datetime import datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo


class OfficeHours(Protocol):
    """What ``contact_available`` reads of a contact point (kept Django-free)."""

    @property
    def always_on(self) -> bool: ...
    @property
    def time_zone(self) -> str: ...
    @property
    def hours_start(self) -> time | None: ...
    @property
    def hours_end(self) -> time | None: ...
    @property
    def work_days(self) -> str: ...


def is_available(
    *,
    always_on: bool,
    time_zone: str,
    hours_start: time | None,
    hours_end: time | None,
    work_days: str,
    now: datetime,
) -> bool:
    """``now`` must be timezone-aware; it is read on the contact's local clock."""
    if always_on:
        return True
    if hours_start is None or hours_end is None:
        return False
    local = now.astimezone(ZoneInfo(time_zone))
    clock = local.time().replace(tzinfo=None)
    if hours_start < hours_end:
        return str(local.isoweekday()) in work_days and hours_start <= clock < hours_end
    # A night shift (22:00-06:00): the hours after midnight belong to the previous working day.
    if clock >= hours_start:
        return str(local.isoweekday()) in work_days
    if clock < hours_end:
        previous = (local.isoweekday() - 2) % 7 + 1
        return str(previous) in work_days
    return False


def contact_available(contact: OfficeHours, now: datetime) -> bool:
    return is_available(
        always_on=contact.always_on,
        time_zone=contact.time_zone,
        hours_start=contact.hours_start,
        hours_end=contact.hours_end,
        work_days=contact.work_days,
        now=now,
    )
