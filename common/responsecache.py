"""Whole anonymous GET pages, public map layers and vector tiles, cached per data version,
language, host and path (and, for map data, whether the client takes gzip).

A hit costs one read of the data version (common/dataversion.py) and no other query; an
edit, a publication or a deletion changes the version, so the next request builds the
page again. Never served to, nor stored from, a request that may be signed in (it carries
a session cookie) or has messages waiting: staff never see an anonymous copy, and no one
sees a copy made for staff.

The middleware stands near the top of MIDDLEWARE, so a hit skips what an anonymous page
does not need (sessions, locale, CSRF, authentication, history, messages, CSP, staff
sessions, access log): those cost more than the page itself once it is built. What they
would have decided is decided here, or recorded with the copy:
- the language, as LocaleMiddleware finds it; a page is stored only when it was rendered
  in the language this middleware expected for the request;
- the response's headers as they left the inner middleware (X-Frame-Options, the CSP
  header, Content-Language, Vary…);
- the rate limits (common/ratelimit.py) count a hit on a limited path as they would count
  the request: an anonymous reader's budget is per address.

What is not stored: responses other than 200, streamed ones (files, archives), responses
that set a cookie or are marked private/no-store, and pages that used a CSRF token (a token
belongs to one browser). A page that used the CSP nonce is stored with the nonce replaced
by a marker, in the body and in the headers, and each hit gets a fresh nonce, so a nonce
is never reused across responses."""

import base64
import hashlib
import logging
import os
import re
import threading
from collections import OrderedDict

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response

from .dataversion import data_version, request_data_version
from .ratelimit import client_key, rate_limit_wait, rule_for, too_many_requests

logger = logging.getLogger(__name__)

NONCE_MARKER = "\x00csp-nonce\x00"
EXCLUDED_PATHS = re.compile(r"^/(?:admin|media|downloads|api|tiles|healthz|csp-report)(?:/|$)")
# The public map layers and vector tiles, the parts of the API kept here too: a hit then
# skips the middleware as a page's does (a continental view asks for ~50 tiles at once).
# Their answer depends on the language and on whether the client takes gzip (maps/api.py),
# both in the key.
SHARED_MAP_DATA = re.compile(r"^/(?:api/map/[a-z-]+\.geojson|tiles/[a-z-]+/\d+/\d+/\d+\.pbf)$")
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
UNCACHEABLE_CONTROL = re.compile(r"\b(?:private|no-store|no-cache)\b")
# Set again for each response by the WSGI server or Django.
UNKEPT_HEADERS = {"content-length", "date", "set-cookie"}


class RecentCopies:
    """The copies this process served last, kept in its own memory in front of the shared
    cache (Redis in production): a hit on a popular page or layer then costs no round trip
    to the cache and no unpickling of a large body. Keyed by the shared cache's keys, which
    hold the data version, so a copy here is never stale either. Bounded by
    `RESPONSE_CACHE_LOCAL_BYTES` (0 turns it off); least recently used copies go first."""

    def __init__(self):
        self._items: OrderedDict[str, tuple[object, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: str, value, size: int) -> None:
        limit = settings.RESPONSE_CACHE_LOCAL_BYTES
        if size > limit // 4:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (value, size)
            self._bytes += size
            while self._bytes > limit:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


recent_copies = RecentCopies()


def cached_copy(key: str):
    """A copy from this process's memory, else from the shared cache (then kept here)."""
    copy = recent_copies.get(key)
    if copy is None:
        copy = cache.get(key)
        if copy is not None:
            recent_copies.put(key, copy, _size(copy))
    return copy


def keep_copy(key: str, copy: tuple) -> None:
    cache.set(key, copy, settings.RESPONSE_CACHE_SECONDS)
    recent_copies.put(key, copy, _size(copy))


def _size(copy: tuple) -> int:
    return sum(len(part) for part in copy if isinstance(part, bytes))


def may_share(request) -> bool:
    """Whether the request is certainly anonymous and may read or fill the shared copies."""
    return (
        settings.RESPONSE_CACHE_ENABLED
        and request.method in ("GET", "HEAD")
        and (
            not EXCLUDED_PATHS.match(request.path_info) or SHARED_MAP_DATA.match(request.path_info)
        )
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def expected_language(request) -> str:
    """The language LocaleMiddleware will activate for this request (the same steps)."""
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(urlconf)
    language = translation.get_language_from_request(request, check_path=i18n_patterns_used)
    if (
        i18n_patterns_used
        and not prefixed_default_language
        and not translation.get_language_from_path(request.path_info)
    ):
        language = settings.LANGUAGE_CODE
    return language


def _key(request, language: str, version: int) -> str:
    identity = f"{version}|{language}|{request.get_host()}|{request.get_full_path()}"
    if SHARED_MAP_DATA.match(request.path_info):
        gzipped = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
        identity += f"|gzip={gzipped}"
    return "responsecache:" + hashlib.sha256(identity.encode()).hexdigest()


def _storable(request, response, language: str) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not UNCACHEABLE_CONTROL.search(response.get("Cache-Control", ""))
        # Rendered in another language than expected (a view that switched language): the
        # key would be wrong, so it is not kept.
        and getattr(request, "LANGUAGE_CODE", None) == language
    )


def _new_nonce() -> str:
    """As django-csp makes them (csp.middleware.CSPMiddleware._make_nonce)."""
    return base64.b64encode(os.urandom(16)).decode("ascii")


class AnonymousResponseCacheMiddleware:
    """Before the session middleware, after the database-unavailable, query-text and
    replica middleware (the version is read from the database the page would read)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_share(request):
            return self.get_response(request)
        language = expected_language(request)
        version = data_version()
        key = _key(request, language, version)
        cached = cached_copy(key)
        if cached is not None:
            limited = self._rate_limited(request)
            return limited or self._replay(request, cached)
        with request_data_version(version):
            response = self.get_response(request)
        if request.method == "GET" and _storable(request, response, language):
            keep_copy(key, self._record(request, response))
        return response

    @staticmethod
    def _rate_limited(request):
        if not settings.RATELIMIT_ENABLED:
            return None
        rule = rule_for(request.path_info)
        if rule is None:
            return None
        wait = rate_limit_wait(
            f"{rule.name}:{client_key(request)}", requests=rule.requests, seconds=rule.seconds
        )
        return too_many_requests(request, wait) if wait else None

    @staticmethod
    def _record(request, response) -> tuple:
        body = response.content
        headers = {
            name: value for name, value in response.items() if name.lower() not in UNKEPT_HEADERS
        }
        nonce = getattr(request, "_csp_nonce", None)
        if isinstance(nonce, str):
            body = body.replace(nonce.encode(), NONCE_MARKER.encode())
            headers = {name: value.replace(nonce, NONCE_MARKER) for name, value in headers.items()}
        return (body, headers)

    @staticmethod
    def _replay(request, cached: tuple):
        body, headers = cached
        nonce = None
        if NONCE_MARKER.encode() in body:
            nonce = _new_nonce()
            body = body.replace(NONCE_MARKER.encode(), nonce.encode())
        if any(NONCE_MARKER in value for value in headers.values()):
            nonce = nonce or _new_nonce()
            headers = {name: value.replace(NONCE_MARKER, nonce) for name, value in headers.items()}
        response = HttpResponse(body, headers=headers)
        # As CommonMiddleware gives it to the pages it passes.
        response["Content-Length"] = str(len(body))
        etag = response.get("ETag")
        if etag:
            return get_conditional_response(request, etag=etag, response=response)
        return response


class AnonymousVaryMiddleware:
    """Drops `Vary: Cookie` from responses to requests without a session cookie that set no
    cookie. Middleware that look at the user (staff sessions, rate limits) read the session
    on every request, and Django then marks every response as varying by cookie, so no
    shared cache (proxy, CDN) could keep a public map layer for the next reader. Without a
    session cookie the response is the anonymous one whatever other cookies say. A CDN in
    front should pass requests carrying the session cookie through (staff answers are
    `private` in any case). Placed just before SessionMiddleware, so it runs after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not response.cookies
            and response.has_header("Vary")
        ):
            kept = [
                value.strip()
                for value in response["Vary"].split(",")
                if value.strip().lower() != "cookie"
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response
