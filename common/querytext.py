"""Free text from a query string, fit to search with.

PostgreSQL refuses a NUL inside any string, so a search for "%00abc" was a 500 wherever a
query parameter reached a query; the other control characters (C0, DEL, C1) cannot be typed
into a search box either. The middleware below cleans every query parameter once, before
any view, form or template reads it, so a parameter added later is covered too."""

import re

from django.http import QueryDict

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def strip_control_characters(text: str) -> str:
    """`text` with each control character (NUL, tab, newline, escape…) turned into a space:
    where one separated words, they stay apart."""
    return CONTROL_CHARACTERS.sub(" ", text)


class QueryControlCharactersMiddleware:
    """Replaces `request.GET` by a copy without control characters in names or values (an
    empty query for a search of nothing else, which the search pages already answer)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        if any(
            CONTROL_CHARACTERS.search(name) or CONTROL_CHARACTERS.search("".join(values))
            for name, values in query.lists()
        ):
            cleaned = QueryDict(mutable=True)
            for name, values in query.lists():
                for value in values:
                    cleaned.appendlist(
                        strip_control_characters(name), strip_control_characters(value)
                    )
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
