"""Named rate-limit rules, each a token bucket kept in the database.

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

from django.db import transaction
from django.utils import timezone

from ctnet.core.models import RateLimitBucket


@dataclass(frozen=True)
class Rule:
    name: str
    capacity: int  # requests allowed in a burst
    per: timedelta  # time for a full bucket to refill


# Password guesses from one address: generous enough for a shared office NAT, far too few for
# a credential-stuffing run.
LOGIN_PER_IP = Rule("login-ip", capacity=30, per=timedelta(minutes=15))
# Guesses against one account from anywhere: stops slow distributed guessing of one password.
LOGIN_PER_ACCOUNT = Rule("login-account", capacity=8, per=timedelta(minutes=15))
# Second-factor codes for one account: a 6-digit code must not be guessable in its 30 s window.
OTP_PER_ACCOUNT = Rule("otp-account", capacity=6, per=timedelta(minutes=15))
# Invalid API tokens from one address: token scanning.
TOKEN_FAILURES_PER_IP = Rule("token-fail-ip", capacity=20, per=timedelta(minutes=10))
# Hashing and matching calls per person: a platform's batch job runs well within it (1,000
# hashes a call); a runaway script or an attempt to map the banks by probing does not.
HASH_QUERIES_PER_USER = Rule("hash-queries-user", capacity=120, per=timedelta(minutes=1))
# Library searches per person: a reader's pace, page after page; not a script copying the library
# through the search box (every query also runs the sentence encoder).
PRACTICE_SEARCHES_PER_USER = Rule("practice-search-user", capacity=60, per=timedelta(minutes=1))
# Invitation acceptance attempts from one address: guessing invitation secrets.
INVITE_PER_IP = Rule("invite-ip", capacity=20, per=timedelta(minutes=15))


def _bucket_key(rule: Rule, subject: str) -> str:
    # Subjects (addresses, usernames) are hashed: the table must not become a log of who tried.
    digest = hashlib.sha256(f"{rule.name}:{subject}".encode()).hexdigest()[:64]
    return f"{rule.name}:{digest}"[:100]


def _refilled(rule: Rule, bucket: RateLimitBucket | None, now: datetime) -> float:
    if bucket is None:
        return float(rule.capacity)
    rate = rule.capacity / rule.per.total_seconds()
    elapsed = max((now - bucket.updated_at).total_seconds(), 0.0)
    return min(float(rule.capacity), bucket.tokens + elapsed * rate)


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
