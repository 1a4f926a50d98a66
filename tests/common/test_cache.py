"""The Redis cache degrades to no cache when Redis is down, rather than failing pages."""

import os

import environ
import pytest
from django.test import override_settings
from redis.exceptions import RedisError

from common.cache import DegradingRedisCache, cache_settings

DEAD_REDIS = "redis://127.0.0.1:1/0"


def dead_cache():
    return DegradingRedisCache(DEAD_REDIS, {})


def test_a_redis_cache_url_gives_the_degrading_backend():
    config = cache_settings(environ.Env.cache_url_config("redis://127.0.0.1:6379/1"))
    assert config["BACKEND"] == "common.cache.DegradingRedisCache"
    assert cache_settings(environ.Env.cache_url_config("locmemcache://"))["BACKEND"] == (
        "django.core.cache.backends.locmem.LocMemCache"
    )


def test_reads_miss_and_writes_are_dropped_when_redis_is_down(caplog):
    cache = dead_cache()
    assert cache.get("key") is None
    assert cache.get("key", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.get_or_set("key", lambda: "computed") == "computed"
    assert cache.set("key", "value") is None
    assert cache.add("key", "value") is False
    cache.delete("key")
    assert "carrying on without the cache" in caplog.text


def test_counting_still_raises_for_the_rate_limiter_to_log():
    with pytest.raises(RedisError):
        dead_cache().incr("counter")


def test_a_page_is_served_with_redis_down(client, db):
    caches = {"default": {"BACKEND": "common.cache.DegradingRedisCache", "LOCATION": DEAD_REDIS}}
    with override_settings(CACHES=caches, RATELIMIT_ENABLED=True):
        response = client.get("/protected-areas/")
    assert response.status_code == 200


def test_a_live_redis_is_used():
    # `make test` starts Redis; the worker test uses the same database number by default.
    cache = DegradingRedisCache(
        os.environ.get("DASHBOARDS_TEST_REDIS_URL", "redis://127.0.0.1:6379/4"), {}
    )
    cache.set("common-cache-test", "value", timeout=5)
    assert cache.get("common-cache-test") == "value"
    cache.delete("common-cache-test")
