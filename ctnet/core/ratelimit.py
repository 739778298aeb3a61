"""Rate limiting: named token buckets kept in the database (the rules: ``ctnet/ratelimits.py``).

The database (not a per-process cache) holds the buckets so that every server worker sees the
same counts; the buckets are tiny and only touched on the guarded paths (logins, second-factor
codes, token failures, screening queries).

Race condition: two concurrent calls for the same key can both read the same bucket and each take
a token from the stale count. Losing one token in a race is acceptable here; the rules are sized
so that an attacker gains nothing measurable from it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ctnet.core.models import RateLimitBucket


@dataclass(frozen=True)
class Rule:
    """A named token bucket: ``capacity`` requests in a burst, refilled over ``per``.

    The rules themselves are one table, ``ctnet/ratelimits.py``, outside core: core holds the
    mechanism and names no capability's rule.
    """

    name: str
    capacity: int  # requests allowed in a burst
    per: timedelta  # time for a full bucket to refill
    # A setting that replaces ``capacity``, for a limit a deployment sizes itself.
    capacity_setting: str = ""

    def burst(self) -> int:
        if self.capacity_setting:
            return int(getattr(settings, self.capacity_setting))
        return self.capacity


def _bucket_key(rule: Rule, subject: str) -> str:
    # Subjects (addresses, usernames) are hashed: the table must not become a log of who tried.
    digest = hashlib.sha256(f"{rule.name}:{subject}".encode()).hexdigest()[:64]
    return f"{rule.name}:{digest}"[:100]


def _refilled(rule: Rule, bucket: RateLimitBucket | None, now: datetime) -> float:
    capacity = rule.burst()
    if bucket is None:
        return float(capacity)
    rate = capacity / rule.per.total_seconds()
    elapsed = max((now - bucket.updated_at).total_seconds(), 0.0)
    return min(float(capacity), bucket.tokens + elapsed * rate)


def authorize(rule: Rule, subject: str, cost: int = 1) -> bool:
    """Take ``cost`` tokens (one per request, or one per traveller in a screening batch);
    False, taking nothing, when the subject has not that many left."""
    now = timezone.now()
    key = _bucket_key(rule, subject)
    with transaction.atomic():
        bucket = RateLimitBucket.objects.select_for_update().filter(key=key).first()
        tokens = _refilled(rule, bucket, now)
        allowed = tokens >= cost
        if bucket is None:
            bucket = RateLimitBucket(key=key)
        bucket.tokens = tokens - cost if allowed else tokens
        bucket.updated_at = now
        bucket.save()
    return allowed


def peek(rule: Rule, subject: str) -> bool:
    """Is there a token left, without spending it? For rules charged only on failure.

    Read-only, so that the common case (a valid token, a right password) writes nothing.
    """
    bucket = RateLimitBucket.objects.filter(key=_bucket_key(rule, subject)).first()
    return _refilled(rule, bucket, timezone.now()) >= 1.0


def reset(rule: Rule, subject: str) -> None:
    RateLimitBucket.objects.filter(key=_bucket_key(rule, subject)).delete()
