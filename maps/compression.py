"""Gzip a large layer once per content, not once per request.

The whole-region protected-area layer is ~3 MB of GeoJSON whose gzip took 40–60 ms of a
~150 ms response, and every visitor opening the default view asks for the same bytes. The
compressed body is kept under its ETag (the hash of the content), so it can never be stale.
Smaller bodies are left to `gzip_page`."""

import re

from django.core.cache import cache
from django.utils.text import compress_string

CACHED_FROM_BYTES = 256 * 1024
CACHE_SECONDS = 10 * 60
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def gzip_once_per_content(request, response, etag: str):
    """Compress a large 200 response from the cache when the same content was compressed
    before. Leaves the response to `gzip_page` otherwise. The body holds no secret, so it
    needs no per-response random padding against BREACH."""
    if (
        response.status_code != 200
        or len(response.content) < CACHED_FROM_BYTES
        or not ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", ""))
    ):
        return response
    key = f"maps:gzip:{etag.strip(chr(34))}"
    compressed = cache.get(key)
    if compressed is None:
        compressed = compress_string(response.content)
        cache.set(key, compressed, timeout=CACHE_SECONDS)
    response.content = compressed
    response["Content-Length"] = str(len(compressed))
    response["Content-Encoding"] = "gzip"
    # As gzip_page does: a compressed body's ETag is weak (RFC 9110, 8.8.1).
    response["ETag"] = f"W/{etag}"
    return response
