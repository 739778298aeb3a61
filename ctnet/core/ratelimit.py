"""Rate limiting: named token buckets shared by every process (the rules: ``ctnet/ratelimits.py``).

The database (not a per-process cache) holds the buckets so that every server worker sees the
same counts; the buckets are tiny and only touched on the guarded paths (logins, second-factor
codes, token failures, screening queries). With ``CTNET_REDIS_URL`` set, Redis holds them
instead, for web nodes on several machines: one Lua script per call refills and takes
atomically, so the race below does not exist there.

Race condition: two concurrent calls for the same key can both read the same bucket and each take
a token from the stale count. Losing one token in a race is acceptable here; the rules are sized
so that an attacker gains nothing measurable from it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ctnet.core.models import RateLimitBucket

# Refill and take in one step inside Redis. KEYS[1] the bucket; ARGV: capacity, seconds for a full
# refill, cost, take (1) or only look (0). Redis's own clock, so that nodes with skewed clocks
# agree. Returns 1 when ``cost`` tokens are (or were) there.
_REDIS_BUCKET = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1e6
local capacity = tonumber(ARGV[1])
local per = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local tokens = capacity
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
if saved[1] then
  local elapsed = math.max(now - tonumber(saved[2]), 0)
  tokens = math.min(capacity, tonumber(saved[1]) + elapsed * capacity / per)
end
local allowed = tokens >= cost
if ARGV[4] == '1' then
  if allowed then tokens = tokens - cost end
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[1], math.ceil(per * 1000))
end
if allowed then return 1 end
return 0
"""
_scripts: dict[str, Any] = {}


def _redis_script() -> Any:
    url = settings.REDIS_URL
    if url not in _scripts:
        import redis

        # One client per process and URL; redis-py pools its connections across threads.
        _scripts[url] = redis.Redis.from_url(url).register_script(_REDIS_BUCKET)
    return _scripts[url]


def _redis_key(rule: Rule, subject: str) -> str:
    return "ctnet:rl:" + _bucket_key(rule, subject)


def _redis_bucket(rule: Rule, subject: str, cost: int, take: bool) -> bool:
    args = [rule.burst(), rule.per.total_seconds(), cost, "1" if take else "0"]
    return bool(_redis_script()(keys=[_redis_key(rule, subject)], args=args))


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
    if settings.REDIS_URL:
        return _redis_bucket(rule, subject, cost, take=True)
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
    if settings.REDIS_URL:
        return _redis_bucket(rule, subject, 1, take=False)
    bucket = RateLimitBucket.objects.filter(key=_bucket_key(rule, subject)).first()
    return _refilled(rule, bucket, timezone.now()) >= 1.0


def reset(rule: Rule, subject: str) -> None:
    if settings.REDIS_URL:
        _redis_script().registered_client.delete(_redis_key(rule, subject))
        return
    RateLimitBucket.objects.filter(key=_bucket_key(rule, subject)).delete()
