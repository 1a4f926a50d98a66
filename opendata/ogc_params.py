"""The query parameters of OGC API – Features, parsed and checked in one place.

bbox, species and country are read by the map's own parser (maps.params), so the two APIs
accept and refuse the same values. Every error names the parameter and the fix; the view
answers it with a 400 and an OGC exception."""

import datetime
import re
from dataclasses import dataclass

from django.http import QueryDict

from maps.params import SLUG, WHOLE_NUMBER, LayerParameterError, parse_layer_params

from .collections import IUCN_CATEGORY, Collection, FeatureQuery

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
OPEN = ("", "..")
DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9:.]+([Zz]|[+-][0-9]{2}:[0-9]{2})?)?")


class OGCParameterError(ValueError):
    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class ItemsRequest:
    query: FeatureQuery
    limit: int = DEFAULT_LIMIT
    offset: int = 0


def _whole_number(query: QueryDict, name: str, default: int) -> int:
    text = query.get(name, "").strip()
    if not text:
        return default
    if not WHOLE_NUMBER.fullmatch(text):
        raise OGCParameterError(name, f"{name} must be a whole number, such as {default or 100}.")
    return int(text)


def _instant(text: str, parameter: str) -> datetime.date:
    if not DATE_TIME.fullmatch(text):
        raise OGCParameterError(
            parameter,
            "datetime must be an RFC 3339 date or date-time (2020-05-01 or "
            "2020-05-01T00:00:00Z), or an interval of two with '/' ('..' for open).",
        )
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise OGCParameterError(parameter, f"datetime “{text}” is not a calendar date.") from None


def _dates(text: str) -> tuple[datetime.date | None, datetime.date | None]:
    if "/" not in text:
        day = _instant(text, "datetime")
        return (day, day)
    start, _, end = text.partition("/")
    first = None if start in OPEN else _instant(start, "datetime")
    last = None if end in OPEN else _instant(end, "datetime")
    if first and last and first > last:
        raise OGCParameterError("datetime", "datetime interval must start before it ends.")
    return (first, last)


def _list(query: QueryDict, name: str) -> tuple[str, ...]:
    values = []
    for raw in query.getlist(name):
        values.extend(part.strip() for part in raw.split(",") if part.strip())
    return tuple(sorted(set(values)))


def parse_items_request(
    query: QueryDict, collection: Collection, *, exact_locations: bool
) -> ItemsRequest:
    bbox_crs = query.get("bbox-crs", "").strip()
    if bbox_crs and bbox_crs != CRS84:
        raise OGCParameterError("bbox-crs", f"bbox-crs must be {CRS84} (longitude, latitude).")
    for name in ("country", "species", IUCN_CATEGORY):
        if query.get(name) and name not in collection.filters:
            raise OGCParameterError(
                name,
                f"{name} is not a filter of {collection.id}; its filters are: "
                f"{', '.join(collection.filters)}.",
            )
    if query.get("datetime") and not collection.temporal:
        raise OGCParameterError("datetime", f"{collection.id} has no dates to filter by.")
    map_query = QueryDict(mutable=True)
    for name in ("bbox", "species", "country"):
        map_query.setlist(name, query.getlist(name))
    try:
        layer = parse_layer_params(map_query)
    except LayerParameterError as error:
        raise OGCParameterError(error.parameter, error.message) from None
    categories = _list(query, IUCN_CATEGORY)
    for category in categories:
        if not SLUG.match(category):
            raise OGCParameterError(
                IUCN_CATEGORY, f"iucn_category “{category}” is not a category such as II or EN."
            )
    limit = _whole_number(query, "limit", DEFAULT_LIMIT)
    if limit < 1:
        raise OGCParameterError("limit", f"limit must be from 1 to {MAX_LIMIT}.")
    datetime_text = query.get("datetime", "").strip()
    return ItemsRequest(
        query=FeatureQuery(
            bbox=layer.bbox,
            dates=_dates(datetime_text) if datetime_text else None,
            countries=layer.countries,
            species=layer.species,
            iucn_categories=categories,
            exact_locations=exact_locations,
        ),
        # A larger limit is not an error (OGC API – Features, requirement 8): the maximum.
        limit=min(limit, MAX_LIMIT),
        offset=_whole_number(query, "offset", 0),
    )
