"""The admin in the editor's language.

The reader-facing pages take their language from the address (/ru/…, English unprefixed);
the admin has no prefix, and Django's LocaleMiddleware would then always give it English
(`prefix_default_language=False`). Focal points in Ulaanbaatar, Moscow or Beijing edit in
their own language: for the admin, the language comes from the language cookie, else the
browser's Accept-Language, else English."""

from django.utils import translation
from django.utils.cache import patch_vary_headers

ADMIN_PREFIX = "/admin/"


class AdminLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(ADMIN_PREFIX):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", language)
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            return response
        return self.get_response(request)
