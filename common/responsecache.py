"""Whole anonymous GET pages, cached per data version, language and path.

A hit costs one read of the data version (common/dataversion.py) and no other query; an
edit, a publication or a deletion changes the version, so the next request builds the
page again. Never served to, nor stored from, a request that may be signed in (it carries
a session cookie) or has messages waiting: staff never see an anonymous copy, and no one
sees a copy made for staff.

What is not stored: responses other than 200, streamed ones (files, archives), responses
that set a cookie or are marked private/no-store, and pages that used a CSRF token (a token
belongs to one browser). A page that used the CSP nonce is stored with the nonce replaced
by a marker, and each hit gets a fresh nonce in both the page and its header, so a nonce
is never reused across responses."""

import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response

from .dataversion import data_version

logger = logging.getLogger(__name__)

NONCE_MARKER = b"\x00csp-nonce\x00"
EXCLUDED_PATHS = re.compile(r"^/(?:admin|media|downloads|api|tiles|healthz|csp-report)(?:/|$)")
UNCACHEABLE_CONTROL = re.compile(r"\b(?:private|no-store|no-cache)\b")
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "Vary", "ETag")


def may_share(request) -> bool:
    """Whether the request is certainly anonymous and may read or fill the shared copies."""
    return (
        settings.RESPONSE_CACHE_ENABLED
        and request.method in ("GET", "HEAD")
        and not EXCLUDED_PATHS.match(request.path_info)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request, version: int) -> str:
    identity = f"{version}|{translation.get_language()}|{request.get_full_path()}"
    return "responsecache:" + hashlib.sha256(identity.encode()).hexdigest()


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not UNCACHEABLE_CONTROL.search(response.get("Cache-Control", ""))
    )


class AnonymousResponseCacheMiddleware:
    """Last in MIDDLEWARE, so the language is known and the CSP middleware above it writes
    the header of a cached page with the nonce this middleware gave it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_share(request):
            return self.get_response(request)
        key = _key(request, data_version())
        cached = cache.get(key)
        if cached is not None:
            return self._replay(request, cached)
        response = self.get_response(request)
        if _storable(request, response):
            cache.set(key, self._record(request, response), settings.RESPONSE_CACHE_SECONDS)
        return response

    @staticmethod
    def _record(request, response) -> tuple:
        body = response.content
        nonce = getattr(request, "_csp_nonce", None)
        if isinstance(nonce, str):
            body = body.replace(nonce.encode(), NONCE_MARKER)
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        return (body, headers)

    @staticmethod
    def _replay(request, cached: tuple):
        body, headers = cached
        if NONCE_MARKER in body:
            body = body.replace(NONCE_MARKER, str(request.csp_nonce).encode())
        response = HttpResponse(body)
        for name, value in headers.items():
            response[name] = value
        etag = headers.get("ETag")
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
