"""With the database down, answer 503 with `Retry-After` and a readable page, not a bare 500.

The page is rendered from a template alone: no request context, so no context processor, no
session and no user is read (each of those may need the database that just failed).

Two ways in: a view's database error reaches `process_exception`; one raised inside another
middleware (loading the session to find the user, say) is turned into a response by Django
before this middleware could see it, and reaches `server_error`, the project's 500 handler."""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable_response() -> HttpResponse:
    retry_after = settings.SERVICE_UNAVAILABLE_RETRY_AFTER
    body = loader.get_template("503.html").render({"retry_after": retry_after})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("Database unavailable for %s: %s", request.path, exception)
            return database_unavailable_response()
        return None


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """The 500 handler: a database error raised outside a view is a 503 all the same."""
    if isinstance(sys.exception(), DATABASE_ERRORS):
        return database_unavailable_response()
    return defaults.server_error(request, template_name)
