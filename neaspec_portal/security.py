"""Helpers for the security settings (kept out of the settings files so they can be tested)."""

from urllib.parse import urlsplit


def tile_origins(tiles_url: str) -> list[str]:
    """The origin(s) a Leaflet tile URL template loads images from, for the CSP `img-src`.
    A `{s}` subdomain placeholder becomes a wildcard: `https://{s}.tile.example.org/…` →
    `https://*.tile.example.org`. An empty template (tiles switched off) allows nothing."""
    if not tiles_url:
        return []
    parts = urlsplit(tiles_url.replace("{s}", "subdomain-placeholder"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"MAP_TILES_URL “{tiles_url}” is not an http(s) URL template; set it to e.g. "
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png, or leave it empty."
        )
    host = parts.netloc.replace("subdomain-placeholder", "*")
    return [f"{parts.scheme}://{host}"]
