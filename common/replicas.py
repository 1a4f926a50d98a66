"""Read replicas (PostgreSQL streaming replication): anonymous reads go to a replica; every
write, every request that may be signed in, and everything outside a request (Celery
tasks, management commands, migrations) uses the primary.

The choice is request-scoped: `ReplicaRoutingMiddleware` picks one replica for the whole of
an anonymous GET or HEAD, so the data version (common/dataversion.py) and the data a page
shows come from the same replica, which replays the primary's commits in order: a page
cached under a version never shows data older than it. A request with a session cookie
(staff above all) reads the primary, so an editor sees an edit at once."""

import contextvars
import random

from django.conf import settings

# None: use the primary (the default everywhere outside an anonymous request).
_replica = contextvars.ContextVar("database_replica", default=None)


class ReplicaRouter:
    """Says nothing (None: Django's own choice) except where a replica is involved, so
    other databases (the benchmark's) work as without it."""

    def db_for_read(self, model, **hints):
        return _replica.get()

    def db_for_write(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db in settings.DATABASE_REPLICAS:
            return "default"
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the primary's data: objects read from either may be related.
        replicas = {"default", *settings.DATABASE_REPLICAS}
        if obj1._state.db in replicas and obj2._state.db in replicas:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db in settings.DATABASE_REPLICAS else None


def replica_for(request) -> str | None:
    """The replica this request may read from, or None for the primary."""
    if (
        not settings.DATABASE_REPLICAS
        or request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or request.path_info.startswith("/admin")
    ):
        return None
    return random.choice(settings.DATABASE_REPLICAS)


class ReplicaRoutingMiddleware:
    """Before the session middleware (a signed-in user's session is read from the primary)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _replica.set(replica_for(request))
        try:
            return self.get_response(request)
        finally:
            _replica.reset(token)
