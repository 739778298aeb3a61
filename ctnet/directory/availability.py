"""Is a contact point reachable right now? 24/7, or inside its office hours in its own time zone."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo


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


def contact_available(contact: object, now: datetime) -> bool:
    return is_available(
        always_on=contact.always_on,  # type: ignore[attr-defined]
        time_zone=contact.time_zone,  # type: ignore[attr-defined]
        hours_start=contact.hours_start,  # type: ignore[attr-defined]
        hours_end=contact.hours_end,  # type: ignore[attr-defined]
        work_days=contact.work_days,  # type: ignore[attr-defined]
        now=now,
    )
