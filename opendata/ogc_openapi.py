"""The OpenAPI 3.0 description of /ogc/ (its `service-desc`), built from the collections so
that it always lists what is served."""

from .collections import COLLECTIONS, COUNTRY, IUCN_CATEGORY, SPECIES
from .ogc_params import DEFAULT_LIMIT, MAX_LIMIT

JSON_OR_HTML = {
    "application/json": {"schema": {"type": "object"}},
    "text/html": {"schema": {"type": "string"}},
}
GEOJSON_OR_HTML = {
    "application/geo+json": {"schema": {"type": "object"}},
    "text/html": {"schema": {"type": "string"}},
}
EXCEPTION = {
    "description": "An OGC exception: what was wrong and how to fix it.",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["code"],
                "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
            }
        }
    },
}


def _parameter(name: str, description: str, schema: dict, *, where: str = "query") -> dict:
    parameter = {"name": name, "in": where, "description": description, "schema": schema}
    if where == "path":
        parameter["required"] = True
    else:
        parameter.update(required=False, style="form", explode=False)
    return parameter


FORMAT = _parameter("f", "The format of the answer.", {"type": "string", "enum": ["json", "html"]})
COLLECTION_ID = _parameter(
    "collectionId",
    "The collection.",
    {"type": "string", "enum": list(COLLECTIONS)},
    where="path",
)
ITEM_PARAMETERS = [
    _parameter(
        "limit",
        f"The most features in one page (at most {MAX_LIMIT}; larger asks get {MAX_LIMIT}).",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    ),
    _parameter(
        "offset",
        "How many features to skip (the `next` link carries it).",
        {"type": "integer", "minimum": 0, "default": 0},
    ),
    _parameter(
        "bbox",
        "minlon,minlat,maxlon,maxlat in WGS 84 degrees (CRS84).",
        {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
    ),
    _parameter(
        "datetime",
        "Occurrences only: a date, or an interval such as 2015-01-01/.. (RFC 3339).",
        {"type": "string"},
    ),
    _parameter(
        COUNTRY,
        "ISO 3166 alpha-3 codes, comma-separated (MNG,RUS), read as the map reads them: "
        "protected areas and countries in them, occurrences of species ranging there.",
        {"type": "array", "items": {"type": "string"}},
    ),
    _parameter(
        SPECIES, "Species slugs, comma-separated.", {"type": "array", "items": {"type": "string"}}
    ),
    _parameter(
        IUCN_CATEGORY,
        "Protected areas: IUCN management categories (II); occurrences: the species' Red "
        "List categories (EN).",
        {"type": "array", "items": {"type": "string"}},
    ),
    FORMAT,
]


def _get(summary: str, parameters: list, content: dict, *, not_found: bool = False) -> dict:
    responses = {"200": {"description": summary, "content": content}, "400": EXCEPTION}
    if not_found:
        responses["404"] = EXCEPTION
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


def openapi_document(server_url: str) -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "NEASPEC Conservation Portal — OGC API – Features",
            "version": "1.0.0",
            "description": "Published records; occurrences of sensitive species generalised.",
            "license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "paths": {
            "/": _get("The landing page", [FORMAT], JSON_OR_HTML),
            "/conformance": _get("The conformance classes", [FORMAT], JSON_OR_HTML),
            "/api": _get(
                "This document",
                [FORMAT],
                {"application/vnd.oai.openapi+json;version=3.0": {"schema": {"type": "object"}}},
            ),
            "/collections": _get("The collections", [FORMAT], JSON_OR_HTML),
            "/collections/{collectionId}": _get(
                "One collection", [COLLECTION_ID, FORMAT], JSON_OR_HTML, not_found=True
            ),
            "/collections/{collectionId}/items": _get(
                "A page of the collection's features",
                [COLLECTION_ID, *ITEM_PARAMETERS],
                GEOJSON_OR_HTML,
                not_found=True,
            ),
            "/collections/{collectionId}/items/{featureId}": _get(
                "One feature",
                [
                    COLLECTION_ID,
                    _parameter("featureId", "The feature's id.", {"type": "integer"}, where="path"),
                    FORMAT,
                ],
                GEOJSON_OR_HTML,
                not_found=True,
            ),
        },
    }
