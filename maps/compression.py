"""Gzip for the map's layers and tiles, at a cost in step with how often the bytes are sent.

- A copy kept for many readers (the public layers and tiles, per data version) is
  compressed once, when it is kept, at zlib's default level 6.
- A large body computed for one request (the whole-region protected-area layer is ~3 MB of
  GeoJSON, whose gzip took 40–60 ms) is compressed once per content: the gzip is kept under
  the body's ETag (its hash), so it can never be stale, and every reader of the same bytes
  shares it.
- A smaller body computed for one request (a border view's 107 KB, the views of staff who
  see exact points) is compressed on the fly at level 4: 2.3 ms against level 6's 6.2 ms
  for 7 % more bytes (30 KB instead of 28 KB), measured on the border view in bench/README.md.
  nginx compresses on the fly at level 1 by default; 4 keeps most of the saving.

The bodies hold no secret to guess byte by byte, so they need no random padding against
BREACH."""

import gzip
import re

from django.core.cache import cache

ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# As gzip_page: shorter bodies gain nothing from compression.
GZIP_FROM_BYTES = 200
KEPT_LEVEL = 6
ON_THE_FLY_LEVEL = 4
CACHED_FROM_BYTES = 256 * 1024
CACHE_SECONDS = 10 * 60


def gzipped(body: bytes, level: int = KEPT_LEVEL) -> bytes | None:
    """The body's gzip, or None when it would not be shorter."""
    if len(body) < GZIP_FROM_BYTES:
        return None
    compressed = gzip.compress(body, compresslevel=level, mtime=0)
    return compressed if len(compressed) < len(body) else None


def accepts_gzip(request) -> bool:
    return bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


def gzip_computed(request, response, etag: str):
    """Compress a 200 response computed for this request, for a client that takes gzip."""
    if response.status_code != 200 or not accepts_gzip(request):
        return response
    body = response.content
    if len(body) >= CACHED_FROM_BYTES:
        key = f"maps:gzip:{etag.strip(chr(34))}"
        compressed = cache.get(key)
        if compressed is None:
            compressed = gzipped(body)
            cache.set(key, compressed, timeout=CACHE_SECONDS)
    else:
        compressed = gzipped(body, ON_THE_FLY_LEVEL)
    if compressed is None:
        return response
    response.content = compressed
    response["Content-Length"] = str(len(compressed))
    response["Content-Encoding"] = "gzip"
    # As gzip_page does: a compressed body's ETag is weak (RFC 9110, 8.8.1).
    response["ETag"] = f"W/{etag}"
    return response
