"""`/healthz` for load balancers and monitoring: the database, the cache and the Celery
broker, each checked for real, answered as JSON with 200 when all work and 503 naming the
one that does not. No session, user or template is involved, so the check itself cannot be
what fails."""

import logging
import time
import uuid

import kombu
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "reachable"


def _cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    found = cache.get(key)
    cache.delete(key)
    if found != "1":
        raise RuntimeError("a value written could not be read back")
    return "readable and writable"


def _broker() -> str:
    url = settings.CELERY_BROKER_URL
    if url.startswith("memory://"):
        return "none configured: tasks run in the web process"
    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    with kombu.Connection(url, connect_timeout=timeout) as broker:
        broker.ensure_connection(max_retries=0, timeout=timeout)
    return "reachable"


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}


@never_cache
@require_safe
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            detail = check()
        except Exception as error:
            # The class only: messages name hosts and ports, which the public need not learn.
            logger.error("Health check of the %s failed: %s", name, error)
            results[name] = {"ok": False, "error": type(error).__name__}
        else:
            results[name] = {"ok": True, "detail": detail}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    failing = [name for name, result in results.items() if not result["ok"]]
    return JsonResponse(
        {"status": "unavailable" if failing else "ok", "failing": failing, "checks": results},
        status=503 if failing else 200,
    )
