"""JSON endpoints of the map: the GeoJSON layers, search, and the details of one feature.

Thin by design: parameters are checked in `params`, reads live in `selectors`."""

import dataclasses
import hashlib
from typing import NamedTuple

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from common.dataversion import data_version, request_data_version
from common.responsecache import cached_copy, keep_copy
from governance.access_log import access_note
from governance.models import AccessKind
from species.models import exact_location_countries

from . import selectors
from .compression import ON_THE_FLY_LEVEL, accepts_gzip, gzip_computed, gzipped
from .params import LayerParameterError, parse_layer_params
from .selectors.tiles import TILE_LAYERS, vector_tile
from .tile_grid import TILE_MAX_ZOOM, Tile

MIN_SEARCH_LENGTH = 2
TILE_CONTENT_TYPE = "application/vnd.mapbox-vector-tile"


def parameter_error(parameter: str, message: str) -> JsonResponse:
    return JsonResponse({"error": message, "parameter": parameter}, status=400)


@require_safe
def layer_geojson(request, layer: str):
    if layer not in selectors.LAYER_FEATURES:
        return parameter_error(
            "layer",
            f"There is no layer “{layer}”. Choose one of: {', '.join(selectors.LAYERS)}.",
        )
    try:
        params = parse_layer_params(request.GET)
    except LayerParameterError as error:
        return parameter_error(error.parameter, error.message)

    params, some_exact = _with_viewer_scope(request, params)
    if some_exact or not settings.RESPONSE_CACHE_ENABLED:
        if layer == "occurrences" and some_exact:
            access_note(request, kind=AccessKind.EXACT_LOCATIONS, label="Map layer: occurrences")
        body = selectors.layer_collection(layer, params).encode()
        # The ETag is the content's own hash: always right, whatever changed and however. A
        # matching one is answered with an empty 304, sparing the transfer and the redraw.
        etag = _etag(body)
        not_modified = get_conditional_response(request, etag=etag)
        response = not_modified or HttpResponse(body, content_type="application/geo+json")
        response["ETag"] = etag
        response = gzip_computed(request, response, etag)
        return _cacheable(response, private=some_exact)
    layer_copy = public_layer_copy(layer, params)
    not_modified = get_conditional_response(request, etag=layer_copy.etag)
    if not_modified:
        response = not_modified
    elif layer_copy.gzipped is not None and accepts_gzip(request):
        response = HttpResponse(layer_copy.gzipped, content_type="application/geo+json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(layer_copy.body, content_type="application/geo+json")
    # As gzip_page does: a compressed body's ETag is weak (RFC 9110, 8.8.1).
    compressed = response.has_header("Content-Encoding")
    response["ETag"] = f"W/{layer_copy.etag}" if compressed else layer_copy.etag
    return _cacheable(response, private=False)


def _etag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def _exact_location_countries(request) -> frozenset[int] | None:
    # Without a session cookie no one is signed in, and the session is left unread: reading
    # it would add `Vary: Cookie`, and shared caches could no longer reuse public layers.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return frozenset()
    return exact_location_countries(request.user)


class LayerCopy(NamedTuple):
    etag: str
    body: bytes
    gzipped: bytes | None


def public_layer_copy(layer: str, params) -> LayerCopy:
    """A public layer's bytes, their ETag and their gzip, kept per data version, layer,
    language and parameters: a repeated view costs the version's read and no data query,
    and is never stale (common/dataversion.py)."""
    identity = repr((data_version(), layer, get_language(), params.cache_key()))
    key = "maps:layer:" + hashlib.sha256(identity.encode()).hexdigest()
    cached = cached_copy(key)
    if cached is not None:
        return LayerCopy(*cached)
    body = selectors.layer_collection(layer, params).encode()
    copy = LayerCopy(_etag(body), body, gzipped(body))
    keep_copy(key, tuple(copy))
    return copy


def _with_viewer_scope(request, params):
    """The parameters with what this viewer may see exactly, and whether it is anything."""
    countries = _exact_location_countries(request)
    params = dataclasses.replace(
        params,
        exact_locations=countries is None,
        exact_location_countries=countries or frozenset(),
    )
    return params, params.exact_locations or bool(params.exact_location_countries)


class _TileRequestError(LayerParameterError):
    def __init__(self, parameter: str, message: str, status: int = 404):
        super().__init__(parameter, message)
        self.status = status


def _tile_params(request, layer: str, z: int, x: int, y: int):
    """The filters of a tile request, checked with its path: a tile outside the pyramid
    or of no layer is a 404, a bad filter a 400, each naming what is wrong."""
    if layer not in TILE_LAYERS:
        raise _TileRequestError(
            "layer", f"There is no tile layer “{layer}”. Choose one of: {', '.join(TILE_LAYERS)}."
        )
    if z > TILE_MAX_ZOOM:
        raise _TileRequestError(
            "z",
            f"Tiles exist for zooms 0 to {TILE_MAX_ZOOM}; closer views read the GeoJSON "
            f"layer /api/map/{layer}.geojson with bbox and zoom.",
        )
    if x >= 2**z or y >= 2**z:
        raise _TileRequestError(
            "x" if x >= 2**z else "y", f"At zoom {z}, x and y run from 0 to {2**z - 1}."
        )
    try:
        params = parse_layer_params(request.GET)
    except LayerParameterError as error:
        raise _TileRequestError(error.parameter, error.message, status=400) from None
    for name, value in (("bbox", params.bbox), ("zoom", params.zoom)):
        if value is not None:
            raise _TileRequestError(
                name, f"A tile's {name} is its path (z/x/y): leave {name} out.", status=400
            )
    return params


@require_safe
def tile(request, layer: str, z: int, x: int, y: int):
    """A vector tile (Mapbox Vector Tile) of the protected areas or the occurrences: the
    features of the GeoJSON layer of the same name, as this viewer may see them, filtered
    by the same parameters (species, country, project, year).

    Its ETag is the data version's with the tile's identity, so a revalidation is a 304
    after one read of the version, whether or not the bytes are still cached; the public
    tiles' bytes and gzip are kept per data version like the layers'."""
    try:
        params = _tile_params(request, layer, z, x, y)
    except _TileRequestError as error:
        return JsonResponse(
            {"error": error.message, "parameter": error.parameter}, status=error.status
        )
    params, some_exact = _with_viewer_scope(request, params)
    identity = repr(
        (
            layer,
            z,
            x,
            y,
            get_language(),
            params.cache_key(),
            params.exact_locations,
            sorted(params.exact_location_countries),
        )
    )
    version = data_version()
    digest = hashlib.sha256(f"{version}|{identity}".encode()).hexdigest()
    etag = f'"{digest[:32]}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified:
        not_modified["ETag"] = etag
        return _cacheable(not_modified, private=some_exact)

    def build() -> bytes:
        # Under the version its ETag names: the tile's own reads need not read it again.
        with request_data_version(version):
            return vector_tile(layer, Tile(z, x, y), params)

    if some_exact or not settings.RESPONSE_CACHE_ENABLED:
        if layer == "occurrences" and some_exact:
            access_note(request, kind=AccessKind.EXACT_LOCATIONS, label="Map tile: occurrences")
        body = build()
        compressed = gzipped(body, ON_THE_FLY_LEVEL)
    else:
        key = f"maps:tile:{digest}"
        cached = cached_copy(key)
        if cached is None:
            body = build()
            cached = (body, gzipped(body))
            keep_copy(key, cached)
        body, compressed = cached
    if compressed is not None and accepts_gzip(request):
        response = HttpResponse(compressed, content_type=TILE_CONTENT_TYPE)
        response["Content-Encoding"] = "gzip"
        response["ETag"] = f"W/{etag}"
    else:
        response = HttpResponse(body, content_type=TILE_CONTENT_TYPE)
        response["ETag"] = etag
    return _cacheable(response, private=some_exact)


def _cacheable(response, *, private: bool):
    # Published records with sensitive points generalised are the same for every reader, so
    # shared caches may keep them; after max-age the ETag turns a repeated view into a 304.
    # Those who see exact points: their copy must stay in their own browser.
    patch_vary_headers(response, ["Accept-Encoding", "Cookie"] if private else ["Accept-Encoding"])
    if private:
        patch_cache_control(response, private=True, max_age=settings.MAP_LAYER_CACHE_SECONDS)
    else:
        patch_cache_control(response, public=True, max_age=settings.MAP_LAYER_CACHE_SECONDS)
    return response


@require_safe
def search(request):
    query = request.GET.get("q", "").strip()
    if len(query) < MIN_SEARCH_LENGTH:
        return parameter_error("q", f"Type at least {MIN_SEARCH_LENGTH} characters to search.")
    return JsonResponse({"results": selectors.map_search(query)})


@require_safe
def feature(request, layer: str, pk: int):
    if layer not in selectors.DETAIL_READERS:
        return parameter_error(
            "layer", f"Details exist for these only: {', '.join(selectors.DETAIL_READERS)}."
        )
    details = selectors.feature_details(layer, pk, user=request.user)
    if details is None:
        return JsonResponse({"error": "No published record has this id."}, status=404)
    response = JsonResponse(details)
    # The admin link depends on who asks.
    patch_cache_control(response, private=True, max_age=settings.MAP_LAYER_CACHE_SECONDS)
    patch_vary_headers(response, ["Cookie"])
    return response
