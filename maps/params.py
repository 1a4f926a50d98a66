"""The query parameters of the map API, parsed and checked in one place.

Every error names the parameter and the fix, and becomes a 400 with a JSON body."""

import datetime
import functools
import re
from dataclasses import dataclass

from django.conf import settings
from django.http import JsonResponse, QueryDict
from django.utils import translation

from common.bbox import BoundingBox, BoundingBoxError, parse_bbox

MAX_ZOOM = 22
ISO_A3 = re.compile(r"^[A-Z]{3}$")
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
# ASCII digits only: `\d` and `str.isdigit()` also take "²" (which int() then refuses, a
# 500) and other scripts' digits (which int() reads, so two URLs would mean one thing).
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
YEAR_RANGE = re.compile(r"([0-9]{4})(?:-([0-9]{4}))?")


class LayerParameterError(ValueError):
    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class LayerParams:
    bbox: BoundingBox | None = None
    zoom: int | None = None
    species: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    project: str | None = None
    years: tuple[int, int] | None = None
    # Not a URL parameter: whether the viewer may see every sensitive occurrence exactly.
    exact_locations: bool = False
    # Not a URL parameter either: the countries whose sensitive occurrences the viewer sees
    # exactly when not all of them (a focal point's; see species.models).
    exact_location_countries: frozenset[int] = frozenset()

    def cache_key(self) -> str:
        """A canonical text of the parameters: two URLs asking the same thing share it."""
        return repr((self.bbox, self.zoom, self.species, self.countries, self.project, self.years))


def _bbox(text: str) -> BoundingBox:
    try:
        return parse_bbox(text)
    except BoundingBoxError as error:
        raise LayerParameterError("bbox", str(error)) from None


def _zoom(text: str) -> int:
    if not WHOLE_NUMBER.fullmatch(text) or not 0 <= int(text) <= MAX_ZOOM:
        raise LayerParameterError("zoom", f"zoom must be a whole number from 0 to {MAX_ZOOM}.")
    return int(text)


def _list(query: QueryDict, name: str) -> list[str]:
    values = []
    for raw in query.getlist(name):
        values.extend(part.strip() for part in raw.split(",") if part.strip())
    return values


def _years(text: str) -> tuple[int, int]:
    match = YEAR_RANGE.fullmatch(text)
    if not match:
        raise LayerParameterError("year", "year must be a year (2020) or a range (2015-2023).")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if first > last or not 1800 <= first <= datetime.MAXYEAR:
        raise LayerParameterError("year", "year range must run from the earlier year to the later.")
    return (first, last)


def parse_layer_params(query: QueryDict) -> LayerParams:
    species = _list(query, "species")
    for slug in species:
        if not SLUG.match(slug):
            raise LayerParameterError("species", f"species “{slug}” is not a species slug.")
    countries = [code.upper() for code in _list(query, "country")]
    for code in countries:
        if not ISO_A3.match(code):
            raise LayerParameterError(
                "country", f"country “{code}” is not an ISO 3166 alpha-3 code such as MNG."
            )
    project = query.get("project", "").strip() or None
    if project is not None and not SLUG.match(project):
        raise LayerParameterError("project", f"project “{project}” is not a project slug.")
    return LayerParams(
        bbox=_bbox(query["bbox"]) if query.get("bbox") else None,
        zoom=_zoom(query["zoom"]) if query.get("zoom") else None,
        species=tuple(sorted(set(species))),
        countries=tuple(sorted(set(countries))),
        project=project,
        years=_years(query["year"].strip()) if query.get("year", "").strip() else None,
    )


def answer_in_requested_language(view):
    """Serve the view in the language named by `?lang=` (a code from settings.LANGUAGES).

    The API sits outside the language prefix, where LocaleMiddleware answers in English
    whatever the cookie or Accept-Language say (i18n_patterns with prefix_default_language=
    False make an unprefixed path English). The map page therefore names its language; as it
    is in the URL, browser and shared caches keep one copy per language."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        requested = request.GET.get("lang", "").strip()
        if not requested:
            return view(request, *args, **kwargs)
        codes = [code for code, _name in settings.LANGUAGES]
        if requested not in codes:
            return JsonResponse(
                {
                    "error": f"lang “{requested}” is not a language of the portal. "
                    f"Choose one of: {', '.join(codes)}.",
                    "parameter": "lang",
                },
                status=400,
            )
        with translation.override(requested):
            response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = requested
        return response

    return wrapped
