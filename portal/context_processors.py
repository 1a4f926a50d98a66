from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_from_path


def _path_in_language(request, code: str) -> str:
    if request.resolver_match is not None:
        return translate_url(request.path, code)
    # A page that does not exist (404): translate_url cannot resolve it, so swap the
    # language prefix by hand and let the reader read the "not found" page in their language.
    path = request.path
    prefix = get_language_from_path(path)
    if prefix:
        path = path[len(prefix) + 1 :]
    return path if code == settings.LANGUAGE_CODE else f"/{code}{path}"


# OpenGraph wants a language_TERRITORY locale.
OPENGRAPH_LOCALES = {
    "en": "en_GB",
    "zh-hans": "zh_CN",
    "ja": "ja_JP",
    "ko": "ko_KR",
    "mn": "mn_MN",
    "ru": "ru_RU",
}


def languages(request):
    """This page in every portal language: the language switcher keeps the reader on the
    page (and its filters), the hreflang links tell search engines about the others."""
    current = get_language()
    query = request.META.get("QUERY_STRING", "")
    suffix = f"?{query}" if query else ""
    alternates = []
    for code, name in settings.LANGUAGES:
        path = _path_in_language(request, code)
        alternates.append(
            {
                "code": code,
                "name": name,
                "path": path,
                "switch_url": path + suffix,
                "absolute_url": request.build_absolute_uri(path),
                "is_current": code == current,
            }
        )
    return {
        "language_alternates": alternates,
        "canonical_url": request.build_absolute_uri(request.path),
        "default_language_url": alternates[0]["absolute_url"],
        "og_locale": OPENGRAPH_LOCALES.get(current, "en_GB"),
    }
