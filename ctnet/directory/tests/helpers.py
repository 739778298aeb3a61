"""Contact points for tests, written straight to the database (the services are tested apart)."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.utils import timezone

from ctnet.core.models import Organisation
from ctnet.directory.models import ContactPoint, Function
from ctnet.directory.taxonomy import pack


def make_contact(org: Organisation, office: str = "Office", **extra: Any) -> ContactPoint:
    topics = extra.pop("topic_list", ["border-security"])
    languages = extra.pop("language_list", ["en", "fr"])
    age_days = extra.pop("age_days", 1)
    values: dict[str, Any] = {
        "function": Function.OFFICE,
        "holders": [{"name": f"{office} holder", "title": "Head"}],
        "email": f"{office.lower().replace(' ', '.')}@example.gov",
        "phone": "+33 1 23 45 67 89",
        "time_zone": "Europe/Paris",
        "always_on": True,
        "verified": True,
        "last_confirmed_at": timezone.now() - timedelta(days=age_days),
        "topics": pack(topics),
        "languages": pack(languages),
    }
    values.update(extra)
    return ContactPoint.objects.create(organisation=org, office=office, **values)


def office_hours(**extra: Any) -> dict[str, Any]:
    """A 09:00-17:00, Monday-Friday contact (not 24/7)."""
    return {"always_on": False, "hours_start": time(9), "hours_end": time(17), **extra}
