"""A Redis cache that degrades instead of failing pages.

Everything the portal keeps in the cache can be recomputed (page and layer copies, gzip
bytes, outlines, the data version), so a Redis that is down or slow should cost speed, never
a 500: reads answer a miss, writes are dropped, and each failure is logged. Counting is the
exception: `incr` still raises, as the rate limiter must know its count failed (it lets the
request through and logs, common/ratelimit.py), and /healthz still reports the cache down
(a value written cannot be read back)."""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# A dead host answers nothing: without a timeout each page would wait for the kernel's.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}


def _degrade(name: str, fallback):
    method = getattr(RedisCache, name)

    def degraded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (RedisError, OSError):
            logger.warning("Cache %s failed; carrying on without the cache", name, exc_info=True)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    degraded.__name__ = name
    return degraded


def _default(key, default=None, version=None):
    return default


def _computed(key, default, timeout=None, version=None):
    return default() if callable(default) else default


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)

    get = _degrade("get", _default)
    get_many = _degrade("get_many", lambda *args, **kwargs: {})
    get_or_set = _degrade("get_or_set", _computed)
    has_key = _degrade("has_key", False)
    set = _degrade("set", None)
    set_many = _degrade("set_many", lambda *args, **kwargs: [])
    add = _degrade("add", False)
    touch = _degrade("touch", False)
    delete = _degrade("delete", False)
    delete_many = _degrade("delete_many", None)


def cache_settings(config: dict) -> dict:
    """The CACHES entry for a `CACHE_URL` parsed by django-environ: Django's Redis backend
    becomes the degrading one; other backends are kept as they are."""
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        return {**config, "BACKEND": "common.cache.DegradingRedisCache"}
    return config
