"""Map search: published protected areas and species by name, with the extent to zoom to."""

import json
import math

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.db.models import Extent, GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON, Envelope
from django.db.models.functions import Coalesce

from common.sql import matches_any_language
from protected_areas.models import ProtectedArea
from species.models import Occurrence, Species, SpeciesRange

from .drawing import UrlPattern

SEARCH_LIMIT = 8
# The cells a sensitive species' extent is widened to: coarser than the grid its points
# are generalised to (settings.SENSITIVE_GRID_M, 10 km).
COARSE_EXTENT_DEGREES = 0.5


def _geojson_extent(envelope: str | None) -> list[float] | None:
    if not envelope:
        return None
    coordinates = json.loads(envelope)["coordinates"]
    flat = coordinates if isinstance(coordinates[0], (int, float)) else None
    if flat is not None:
        return [flat[0], flat[1], flat[0], flat[1]]
    xs = [x for x, _ in coordinates[0]]
    ys = [y for _, y in coordinates[0]]
    return [min(xs), min(ys), max(xs), max(ys)]


def _merged(known: list[float] | None, extent) -> list[float]:
    if known is None:
        return list(extent)
    return [
        min(known[0], extent[0]),
        min(known[1], extent[1]),
        max(known[2], extent[2]),
        max(known[3], extent[3]),
    ]


def coarse_extent(extent) -> list[float]:
    """`extent` widened outwards to whole cells of COARSE_EXTENT_DEGREES (or more, for a
    coarser generalisation grid): always at least one cell wide, so neither a single point
    nor each axis's extreme point can be read from it."""
    grid_degrees = settings.SENSITIVE_GRID_M / 111_320
    step = COARSE_EXTENT_DEGREES * math.ceil(max(1.0, 2 * grid_degrees / COARSE_EXTENT_DEGREES))
    min_lon, min_lat, max_lon, max_lat = extent
    return [
        max(-180.0, math.floor(min_lon / step) * step),
        max(-90.0, math.floor(min_lat / step) * step),
        min(180.0, (math.floor(max_lon / step) + 1) * step),
        min(90.0, (math.floor(max_lat / step) + 1) * step),
    ]


def species_extents(species_ids: list[int], sensitive: set[int]) -> dict[int, list[float]]:
    """The extent to zoom to for each species: over its published ranges and over its
    published occurrences *as the public sees them* (sensitive points generalised to the
    grid), the same for every reader, so the answer can be shared. A sensitive species'
    extent is then widened to whole coarse cells: it tells no more than the map does."""
    extents: dict[int, list[float]] = {}
    ranges = (
        SpeciesRange.objects.published()
        .filter(species__in=species_ids)
        .values("species")
        .annotate(extent=Extent("geometry"))
        .values_list("species", "extent")
        .order_by()
    )
    occurrences = (
        Occurrence.objects.published()
        .for_viewer(AnonymousUser())
        .filter(species__in=species_ids)
        .values("species")
        .annotate(extent=Extent("shown_location"))
        .values_list("species", "extent")
        .order_by()
    )
    for rows in (ranges, occurrences):
        for species_id, extent in rows:
            if extent is not None:
                extents[species_id] = _merged(extents.get(species_id), extent)
    return {
        species_id: coarse_extent(extent) if species_id in sensitive else extent
        for species_id, extent in extents.items()
    }


def map_search(query: str) -> list[dict]:
    """Published protected areas and species whose name, in any language the record holds,
    contains `query`, each with the extent to zoom to. Four queries whatever the hits."""
    area_rows = (
        ProtectedArea.objects.published()
        .filter(matches_any_language(query, ["name"], ["name_local"]))
        .annotate(
            box=AsGeoJSON(
                Envelope(Coalesce("boundary", "location", output_field=GeometryField(srid=4326)))
            )
        )
        .values_list("id", "name", "name_local", "country__iso_a3", "box")
        .order_by("name")[:SEARCH_LIMIT]
    )
    area_url = UrlPattern("protected_areas:detail")
    results = [
        {
            "kind": "protected-area",
            "layer": "protected-areas",
            "id": pk,
            "name": name,
            "name_local": name_local,
            "country": iso_a3,
            "bbox": _geojson_extent(box),
            "url": area_url(pk),
        }
        for pk, name, name_local, iso_a3, box in area_rows
    ]
    species = list(
        Species.objects.published()
        .filter(matches_any_language(query, ["common_name"], ["scientific_name", "slug"]))
        .values_list("id", "slug", "common_name", "scientific_name", "is_sensitive")
        .order_by("common_name")[:SEARCH_LIMIT]
    )
    extents = species_extents([row[0] for row in species], {row[0] for row in species if row[4]})
    species_url = UrlPattern("species:detail")
    results += [
        {
            "kind": "species",
            "layer": "species",
            "id": pk,
            "slug": slug,
            "name": common_name,
            "name_local": scientific_name,
            "bbox": extents.get(pk),
            "url": species_url(slug),
        }
        for pk, slug, common_name, scientific_name, _sensitive in species
    ]
    return results
