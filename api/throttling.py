"""DRF's throttles, with their rates read from the settings at each request (DRF binds
them when the module is imported, so a changed setting would be ignored). A client over
its rate gets 429 with Retry-After. The counts live in the default cache: a cache shared by
the web processes (Redis) makes a limit hold across them."""

from rest_framework import throttling
from rest_framework.settings import api_settings


class AnonymousRateThrottle(throttling.AnonRateThrottle):
    """Requests without a token, counted per client address."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserRateThrottle(throttling.UserRateThrottle):
    """Requests with a token, counted per user."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
