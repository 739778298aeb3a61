"""Response times against deadlines, for an organisation's own exchange: counts only.

Each delivery (one request, one recipient) of the period falls in one bucket: answered (or
refused) within half the time allowed, within the time allowed, after the deadline; or still
open, in time or past the deadline. One query over the deliveries' dates, whatever the period
holds; no subject and no content is read.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctnet.exchange.models import Delivery

PERIOD_DAYS = 90

# In the order of the chart's stack: fastest first, open ones last.
BUCKETS = {
    "half": _("Answered within half the time allowed"),
    "in_time": _("Answered within the time allowed"),
    "late": _("Answered after the deadline"),
    "open_late": _("Open, past the deadline"),
    "open": _("Open, still in time"),
}


def _bucket(sent: datetime, deadline: datetime, answered: datetime | None, now: datetime) -> str:
    if answered is None:
        return "open_late" if deadline < now else "open"
    allowed = deadline - sent
    taken = answered - sent
    if taken <= allowed / 2:
        return "half"
    return "in_time" if answered <= deadline else "late"


def response_times(user: Any, days: int = PERIOD_DAYS) -> dict[str, dict[str, int]]:
    """{"received": {bucket: n}, "sent": {bucket: n}} for the user's organisation, over the
    deliveries sent in the last ``days``. A closed delivery without an answer counts nowhere
    (the sender withdrew it: nobody was late)."""
    org_id = user.active_membership.organisation_id
    now = timezone.now()
    found = {side: dict.fromkeys(BUCKETS, 0) for side in ("received", "sent")}
    rows = (
        Delivery.objects.filter(Q(organisation_id=org_id) | Q(request__originator_id=org_id))
        .filter(sent_at__gte=now - timedelta(days=days))
        .values_list(
            "organisation_id",
            "request__originator_id",
            "sent_at",
            "deadline",
            "first_answer_at",
            "refused_at",
            "closed_at",
        )
    )
    for to_org, from_org, sent, deadline, answered, refused, closed in rows.iterator():
        responded = min((t for t in (answered, refused) if t is not None), default=None)
        if responded is None and closed is not None:
            continue
        bucket = _bucket(sent, deadline, responded, now)
        if to_org == org_id:
            found["received"][bucket] += 1
        if from_org == org_id:
            found["sent"][bucket] += 1
    return found
