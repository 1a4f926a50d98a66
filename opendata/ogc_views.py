"""OGC API – Features (Part 1: Core, GeoJSON, HTML, OpenAPI 3.0) at /ogc/, for QGIS, ArcGIS,
GDAL and OWSLib. Thin: what each collection holds is in `collections`, the parameters in
`ogc_params`, the API description in `ogc_openapi`.

Each resource is JSON or HTML, by `?f=json|html` or else by the Accept header. Items are
what the public sees, whoever asks: published records, sensitive occurrences generalised
(as the REST API and the downloads; exact points are read in the admin and the map, by
permission and country, where each read is logged)."""

import json

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from common import geojson

from .collections import COLLECTIONS, Collection
from .ogc_openapi import openapi_document
from .ogc_params import CRS84, OGCParameterError, parse_items_request

GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
TITLE = "NEASPEC Conservation Portal — OGC API – Features"


class NotAcceptable(Exception):
    pass


def _exception(status: int, code: str, description: str) -> JsonResponse:
    return JsonResponse({"code": code, "description": description}, status=status)


def _format(request) -> str:
    """ "json" or "html": `f` first, else the Accept header (a browser asks for HTML)."""
    requested = request.GET.get("f", "").strip().lower()
    if requested in ("json", "geojson"):
        return "json"
    if requested == "html":
        return "html"
    if requested:
        raise OGCParameterError("f", "f must be json or html.")
    preferred = request.get_preferred_type([GEOJSON, JSON, OPENAPI, HTML])
    return "html" if preferred == HTML else "json"


def ogc_resource(view):
    """Decorates a view of /ogc/: safe methods only, OGC exceptions for bad parameters and
    unknown resources, and caches told that the answer depends on Accept and the reader."""

    @require_safe
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, _format(request), *args, **kwargs)
        except OGCParameterError as error:
            return _exception(400, "InvalidParameterValue", f"{error.parameter}: {error.message}")
        except Http404 as error:
            return _exception(404, "NotFound", str(error) or "No such resource.")
        patch_vary_headers(response, ["Accept", "Cookie"])
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


FORMAT_RELS = {"self", "alternate"}


def _url(request, name: str, *args, **query) -> str:
    url = request.build_absolute_uri(reverse(f"ogc:{name}", args=args))
    return f"{url}?{urlencode(query)}" if query else url


def _self_links(request, name: str, *args, json_type: str = JSON, title: str = "") -> list[dict]:
    return [
        {"href": _url(request, name, *args, f="json"), "rel": "self", "type": json_type,
         "title": f"{title} (JSON)".strip()},
        {"href": _url(request, name, *args, f="html"), "rel": "alternate", "type": HTML,
         "title": f"{title} (HTML)".strip()},
    ]  # fmt: skip


def _answer(request, fmt: str, data: dict, template: str, *, content_type: str = JSON):
    if fmt == "html":
        # The page's own formats; its other links (next, previous, up) have their own places.
        formats = [link for link in data.get("links", ()) if link["rel"] in FORMAT_RELS]
        return render(
            request,
            f"opendata/ogc/{template}",
            {"data": data, "format_links": formats, "section": "ogc"},
        )
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = content_type
    return response


@ogc_resource
def landing(request, fmt):
    data = {
        "title": TITLE,
        "description": (
            "Published records of the NEASPEC nature-conservation portal: protected areas, "
            "transboundary links, occurrences of flagship species (sensitive ones "
            "generalised), project sites and countries."
        ),
        "links": [
            *_self_links(request, "landing", title="This document"),
            {"href": _url(request, "api"), "rel": "service-desc", "type": OPENAPI,
             "title": "The API definition (OpenAPI 3.0)"},
            {"href": _url(request, "api", f="html"), "rel": "service-doc", "type": HTML,
             "title": "The API documentation"},
            {"href": _url(request, "conformance"), "rel": "conformance", "type": JSON,
             "title": "Conformance classes"},
            {"href": _url(request, "collections"), "rel": "data", "type": JSON,
             "title": "Collections"},
        ],
    }  # fmt: skip
    return _answer(request, fmt, data, "landing.html")


@ogc_resource
def conformance(request, fmt):
    return _answer(request, fmt, {"conformsTo": CONFORMANCE}, "conformance.html")


def _collection_data(request, collection: Collection) -> dict:
    return {
        "id": collection.id,
        "title": str(collection.title),
        "description": str(collection.description),
        "itemType": "feature",
        # The whole globe in CRS84: clients (QGIS) expect an extent; measuring each
        # collection's would cost a scan of a million occurrences per request.
        "extent": {"spatial": {"bbox": [[-180, -90, 180, 90]], "crs": CRS84}},
        "crs": [CRS84],
        "links": [
            *_self_links(request, "collection", collection.id, title=str(collection.title)),
            {"href": _url(request, "items", collection.id, f="json"), "rel": "items",
             "type": GEOJSON, "title": "Items (GeoJSON)"},
            {"href": _url(request, "items", collection.id, f="html"), "rel": "items",
             "type": HTML, "title": "Items (HTML)"},
        ],
    }  # fmt: skip


def _collection(collection_id: str) -> Collection:
    try:
        return COLLECTIONS[collection_id]
    except KeyError:
        raise Http404(
            f"No collection “{collection_id}”; the collections are: {', '.join(COLLECTIONS)}."
        ) from None


@ogc_resource
def collections(request, fmt):
    data = {
        "links": _self_links(request, "collections", title="Collections"),
        "collections": [_collection_data(request, c) for c in COLLECTIONS.values()],
    }
    return _answer(request, fmt, data, "collections.html")


@ogc_resource
def collection(request, fmt, collection_id):
    data = _collection_data(request, _collection(collection_id))
    return _answer(request, fmt, data, "collection.html")


def _page_link(request, collection_id: str, rel: str, fmt: str, *, offset: int, limit: int):
    query = request.GET.copy()
    query["offset"] = offset
    query["limit"] = limit
    query["f"] = fmt
    href = request.build_absolute_uri(reverse("ogc:items", args=[collection_id]))
    return {
        "href": f"{href}?{query.urlencode()}",
        "rel": rel,
        "type": GEOJSON if fmt == "json" else HTML,
        "title": f"{rel} page",
    }


@ogc_resource
def items(request, fmt, collection_id):
    """A page of features; `next` and `prev` links carry the same query at another offset."""
    collection = _collection(collection_id)
    wanted = parse_items_request(request.GET, collection, exact_locations=False)
    selection = collection.selection(wanted.query)
    matched = len(selection)
    features = selection.page(wanted.offset, wanted.limit)
    offset, limit = wanted.offset, wanted.limit
    links = _self_links(request, "items", collection.id, json_type=GEOJSON, title="Items")
    for link, link_format in zip(links, ("json", "html"), strict=True):
        link["href"] = _page_link(
            request, collection.id, "self", link_format, offset=offset, limit=limit
        )["href"]
    if offset + len(features) < matched:
        links.append(
            _page_link(request, collection.id, "next", fmt, offset=offset + limit, limit=limit)
        )
    if offset > 0:
        links.append(
            _page_link(
                request, collection.id, "prev", fmt, offset=max(0, offset - limit), limit=limit
            )
        )
    links.append(
        {"href": _url(request, "collection", collection.id), "rel": "collection", "type": JSON,
         "title": str(collection.title)}
    )  # fmt: skip
    time_stamp = timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z")
    if fmt == "html":
        data = {
            "collection": _collection_data(request, collection),
            "features": [json.loads(feature) for feature in features],
            "columns": collection.columns,
            "numberMatched": matched,
            "numberReturned": len(features),
            "offset": offset,
            "links": links,
        }
        return _answer(request, fmt, data, "items.html")
    # Written as text: the features are GeoJSON already (common/geojson.py).
    body = (
        '{"type":"FeatureCollection","numberMatched":'
        + str(matched)
        + ',"numberReturned":'
        + str(len(features))
        + ',"timeStamp":'
        + geojson.text(time_stamp)
        + ',"links":'
        + geojson.compact(links)
        + ',"features":['
        + ",".join(features)
        + "]}"
    )
    return HttpResponse(body, content_type=GEOJSON)


@ogc_resource
def item(request, fmt, collection_id, feature_id):
    collection = _collection(collection_id)
    if not feature_id.isascii() or not feature_id.isdigit():
        raise Http404(f"No feature “{feature_id}” in {collection.id}.")
    wanted = parse_items_request(request.GET, collection, exact_locations=False)
    found = collection.item(int(feature_id), wanted.query)
    if found is None:
        raise Http404(f"No feature “{feature_id}” in {collection.id}.")
    links = [
        *_self_links(
            request, "item", collection.id, feature_id, json_type=GEOJSON, title="Feature"
        ),
        {"href": _url(request, "collection", collection.id), "rel": "collection", "type": JSON,
         "title": str(collection.title)},
    ]  # fmt: skip
    if fmt == "html":
        data = {
            "collection": _collection_data(request, collection),
            "feature": json.loads(found),
            "links": links,
        }
        return _answer(request, fmt, data, "item.html")
    body = found[:-1] + ',"links":' + geojson.compact(links) + "}"
    return HttpResponse(body, content_type=GEOJSON)


@ogc_resource
def api(request, fmt):
    document = openapi_document(request.build_absolute_uri(reverse("ogc:landing")))
    if fmt == "html":
        return render(
            request,
            "opendata/ogc/api.html",
            {"document": json.dumps(document, indent=2, ensure_ascii=False), "section": "ogc"},
        )
    return _answer(request, fmt, document, "", content_type=OPENAPI)
