"""The address a request came from, as far as it can be trusted.

Behind a reverse proxy every request arrives from the proxy's address: login throttling and
rate limits keyed on it would lock out everyone at once. With `TRUSTED_PROXY_COUNT` proxies
in front (each appending the address it saw to `X-Forwarded-For`), the client is the entry
that many places from the right; entries further left are whatever the client claimed."""

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    # Fewer entries than proxies: a request that bypassed a proxy, or a misconfiguration;
    # the address that connected is the only one not made up.
    return forwarded[-proxies] if len(forwarded) >= proxies else remote
