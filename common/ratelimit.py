"""Rate limits on the paths that cost the most or could be scraped: the map API, search,
downloads and the API. Counted in the Django cache per client (a signed-in user by its id,
anyone else by address) over fixed windows; past the limit the answer is 429 with
`Retry-After`.

The rules come from `settings.RATELIMIT_RULES`: (name, path pattern, "requests/seconds"); the
first rule whose pattern matches the path counts the request. A cache that fails lets the
request through: a broken counter must not take the site down."""

import functools
import logging
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse

from .clientip import client_ip

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    requests: int
    seconds: int


def parse_rate(rate: str) -> tuple[int, int]:
    """ "30/60" → (30, 60): requests per window of seconds."""
    try:
        requests, seconds = (int(part) for part in rate.split("/"))
    except ValueError:
        raise ValueError(
            f"A rate limit reads “requests/seconds”, e.g. “30/60”, not “{rate}”."
        ) from None
    if requests < 1 or seconds < 1:
        raise ValueError(
            f"A rate limit (“requests/seconds”) needs at least 1 of each, not “{rate}”."
        )
    return requests, seconds


@functools.cache
def _compiled(rules: tuple[tuple[str, str, str], ...]) -> tuple[Rule, ...]:
    return tuple(
        Rule(name, re.compile(pattern), *parse_rate(rate)) for name, pattern, rate in rules
    )


def rules() -> tuple[Rule, ...]:
    return _compiled(tuple(tuple(rule) for rule in settings.RATELIMIT_RULES))


def rule_for(path: str) -> Rule | None:
    return next((rule for rule in rules() if rule.pattern.search(path)), None)


def rate_limit_wait(key: str, *, requests: int, seconds: int) -> int:
    """Count one request against `key`; 0 while within `requests` per window of `seconds`,
    else the seconds until the window ends (at least 1)."""
    now = time.time()
    window = int(now // seconds)
    cache_key = f"ratelimit:{key}:{seconds}:{window}"
    try:
        cache.add(cache_key, 0, timeout=seconds + 1)
        count = cache.incr(cache_key)
    except Exception:
        logger.warning("Rate limit not counted: the cache failed", exc_info=True)
        return 0
    if count <= requests:
        return 0
    return max(1, math.ceil((window + 1) * seconds - now))


def client_key(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def too_many_requests(request, wait: int) -> HttpResponse:
    message = f"Too many requests. Try again in {wait} seconds."
    if request.path.startswith("/api/") or request.path.endswith((".json", ".geojson")):
        response = JsonResponse({"error": message, "retry_after": wait}, status=429)
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    return response


class RateLimitMiddleware:
    """After authentication (a signed-in user has its own budget, not its office's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.RATELIMIT_ENABLED:
            rule = rule_for(request.path_info)
            if rule is not None:
                wait = rate_limit_wait(
                    f"{rule.name}:{client_key(request)}",
                    requests=rule.requests,
                    seconds=rule.seconds,
                )
                if wait:
                    return too_many_requests(request, wait)
        return self.get_response(request)
