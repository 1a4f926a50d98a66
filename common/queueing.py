"""What the apps' Celery tasks share: the errors worth retrying, and a send that fails at
once when the broker is down (edits and pages must never wait on it)."""

import django.db
import kombu.exceptions
import redis.exceptions

# Worth retrying: the database or the broker briefly unreachable. Anything else is a bug and
# fails at once (it shows in the admin's task results).
TRANSIENT_ERRORS = (
    django.db.OperationalError,
    django.db.InterfaceError,
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)

# Options of a task that rebuilds something derived from the records: retried with back-off
# on TRANSIENT_ERRORS only, acknowledged once done (a worker lost midway leaves it queued).
REBUILD_TASK_OPTIONS = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}

# What a broker that is down or unreachable raises when a task is sent.
BROKER_ERRORS = (kombu.exceptions.OperationalError, redis.exceptions.ConnectionError, OSError)


def task_send_fail_fast(task, *, args=(), kwargs=None, countdown: int = 0) -> None:
    """Send a task without kombu's retries (seconds of waiting while an official waits for a
    page); raises one of BROKER_ERRORS if the broker cannot be reached."""
    app = task.app
    options = {**(app.conf.broker_transport_options or {}), "max_retries": 0}
    with app.connection_for_write(transport_options=options) as connection:
        task.apply_async(
            args=args, kwargs=kwargs or {}, countdown=countdown, connection=connection, retry=False
        )
