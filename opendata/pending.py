"""The mark in Redis (the broker's) that says a rebuild of the open-data files is queued and
has not started: while it stands, edits queue nothing more, so a burst of edits shares one
rebuild. The task clears it as it starts, so edits saved from then on queue the next one.

It expires by itself: a task lost with a worker holds it back for `rebuild_mark_seconds()` at
the most, after which the next edit or download queues a new one."""

import redis
from django.conf import settings

KEY = "neaspec:opendata:rebuild-queued"
# Redis that does not answer within this fails the call (edits and pages never wait on it).
TIMEOUT_SECONDS = 2
# What an unreachable or failing Redis raises.
REDIS_ERRORS = (redis.exceptions.RedisError, OSError)


def rebuild_mark_seconds() -> int:
    # The countdown, then a build of earlier edits the task may have to wait for.
    return settings.OPENDATA_REBUILD_DELAY_SECONDS + settings.CELERY_TASK_TIME_LIMIT


def _client(broker_url: str) -> redis.Redis:
    return redis.Redis.from_url(
        broker_url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )


def rebuild_mark_set(*, broker_url: str) -> bool:
    """Mark a rebuild queued; False if one was already (nothing to send)."""
    with _client(broker_url) as client:
        return bool(client.set(KEY, "1", nx=True, ex=rebuild_mark_seconds()))


def rebuild_mark_clear(*, broker_url: str) -> None:
    with _client(broker_url) as client:
        client.delete(KEY)
