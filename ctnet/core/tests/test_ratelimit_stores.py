"""The rate-limit buckets answer the same in the database and in Redis (CTNET_REDIS_URL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.test import override_settings

from ctnet.core import ratelimit
from ctnet.core.models import RateLimitBucket
from ctnet.core.ratelimit import Rule

REDIS_URL = "redis://127.0.0.1:6379/7"  # a database of its own, emptied by the fixture


def _redis_or_skip() -> None:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")


@pytest.fixture(params=["database", "redis"])
def store(request, db):
    if request.param == "redis":
        _redis_or_skip()
        with override_settings(REDIS_URL=REDIS_URL):
            yield request.param
    else:
        with override_settings(REDIS_URL=""):
            yield request.param


def test_a_bucket_allows_its_burst_then_refuses(store):
    rule = Rule("test-burst", capacity=3, per=timedelta(hours=1))
    assert [ratelimit.authorize(rule, "a") for _ in range(4)] == [True, True, True, False]
    assert ratelimit.authorize(rule, "b"), "another subject has its own bucket"
    assert not ratelimit.peek(rule, "a")
    ratelimit.reset(rule, "a")
    assert ratelimit.peek(rule, "a") and ratelimit.authorize(rule, "a")


def test_a_cost_larger_than_what_is_left_takes_nothing(store):
    rule = Rule("test-cost", capacity=10, per=timedelta(hours=1))
    assert ratelimit.authorize(rule, "a", cost=8)
    assert not ratelimit.authorize(rule, "a", cost=3)
    assert ratelimit.authorize(rule, "a", cost=2)


def test_peek_spends_nothing(store):
    rule = Rule("test-peek", capacity=1, per=timedelta(hours=1))
    assert all(ratelimit.peek(rule, "a") for _ in range(5))
    assert ratelimit.authorize(rule, "a")
    assert not ratelimit.peek(rule, "a")


def test_a_bucket_refills_over_its_period(store):
    rule = Rule("test-refill", capacity=2, per=timedelta(seconds=0.4))
    assert ratelimit.authorize(rule, "a") and ratelimit.authorize(rule, "a")
    assert not ratelimit.authorize(rule, "a")
    threading.Event().wait(0.45)
    assert ratelimit.authorize(rule, "a")


def test_redis_buckets_take_no_database_row_and_lose_no_token_to_races(db):
    _redis_or_skip()
    rule = Rule("test-race", capacity=50, per=timedelta(hours=1))
    results: list[bool] = []
    with override_settings(REDIS_URL=REDIS_URL):

        def hammer() -> None:
            for _ in range(20):
                results.append(ratelimit.authorize(rule, "shared"))

        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    # 80 calls against 50 tokens: exactly 50 allowed (the script is atomic; the database store
    # documents that it may lose one to a race).
    assert results.count(True) == 50
    assert not RateLimitBucket.objects.exists()
