"""The person's time zone: an IANA name checked against the zones this machine knows.

Times are stored in UTC; ``middleware.TimeZoneMiddleware`` activates a signed-in person's zone for
the request, so templates (``|when``) and forms show local times. An empty zone is UTC.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@cache
def known_zones() -> frozenset[str]:
    # Read once per process: available_timezones() walks the tz database on every call.
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    """An empty value (UTC) or an IANA zone name (``Europe/Paris``); anything else is refused."""
    if value and value not in known_zones():
        raise ValidationError(
            _("Unknown time zone “%(zone)s”: use a name such as Europe/Paris or Asia/Amman."),
            code="time_zone",
            params={"zone": value},
        )


def zone_or_none(value: str) -> zoneinfo.ZoneInfo | None:
    """The zone to activate, or None for UTC (an empty or, in an old row, unknown name)."""
    if not value or value not in known_zones():
        return None
    return zoneinfo.ZoneInfo(value)


def zone_choices() -> list[tuple[str, str]]:
    return [("", "UTC"), *((z, z) for z in sorted(known_zones()) if z != "UTC")]
