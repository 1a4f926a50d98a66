"""DRF's throttles, with their rates read from the settings at each request (DRF binds
them when the module is imported, so a changed setting would be ignored). A client over
its rate gets 429 with Retry-After. The counts live in the default cache: a cache shared by
the web processes (CACHE_URL) makes a limit hold across them. A client's address is the one
`common.clientip` trusts (TRUSTED_PROXY_COUNT), as for the portal's other rate limits."""

from rest_framework import throttling
from rest_framework.settings import api_settings

from common.clientip import client_ip


class AnonymousRateThrottle(throttling.AnonRateThrottle):
    """Requests without a token, counted per client address."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request) -> str:
        return client_ip(request)


class UserRateThrottle(throttling.UserRateThrottle):
    """Requests with a token, counted per user."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request) -> str:
        return client_ip(request)
