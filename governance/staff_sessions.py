"""Staff sessions end after a working day and after a while without a request.

Django's session lasts `SESSION_COOKIE_AGE` (two weeks) for everyone; a staff session here
ends `STAFF_SESSION_MAX_SECONDS` after it began (9 hours) or `STAFF_SESSION_IDLE_SECONDS`
after its last request (30 minutes), whichever comes first. The expiry is also given to the
session itself (cookie and stored row), so an abandoned one dies on its own; to keep that
cheap, a request refreshes it at most once every `TOUCH_SECONDS`."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

STARTED_KEY = "staff_session_started"
SEEN_KEY = "staff_session_seen"
TOUCH_SECONDS = 60


def staff_session_expired(session, now: int) -> bool:
    started = session.get(STARTED_KEY, now)
    seen = session.get(SEEN_KEY, now)
    return (
        now - seen > settings.STAFF_SESSION_IDLE_SECONDS
        or now - started > settings.STAFF_SESSION_MAX_SECONDS
    )


class StaffSessionExpiryMiddleware:
    """After authentication and messages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_staff:
            session = request.session
            now = int(time.time())
            if staff_session_expired(session, now):
                logout(request)
                messages.info(request, _("Your session has ended; please sign in again."))
            elif now - session.get(SEEN_KEY, 0) >= TOUCH_SECONDS:
                started = session.setdefault(STARTED_KEY, now)
                session[SEEN_KEY] = now
                left = settings.STAFF_SESSION_MAX_SECONDS - (now - started)
                session.set_expiry(max(1, min(settings.STAFF_SESSION_IDLE_SECONDS, left)))
        return self.get_response(request)
