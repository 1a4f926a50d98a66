"""Map search: published protected areas and species by name, with the extent to zoom to."""

import json

from django.contrib.gis.db.models import Extent, GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON, Envelope
from django.db.models import Q
from django.db.models.functions import Coalesce

from protected_areas.models import ProtectedArea
from species.models import Occurrence, Species, SpeciesRange

from .drawing import UrlPattern

SEARCH_LIMIT = 8


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


def map_search(query: str) -> list[dict]:
    """Published protected areas and species whose name, in any language the record holds,
    contains `query`, each with the extent to zoom to. Three queries whatever the hits."""
    area_rows = (
        ProtectedArea.objects.published()
        .filter(Q(name__icontains=query) | Q(name_local__icontains=query))
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
        .filter(
            Q(common_name__icontains=query)
            | Q(scientific_name__icontains=query)
            | Q(slug__icontains=query)
        )
        .values_list("id", "slug", "common_name", "scientific_name")
        .order_by("common_name")[:SEARCH_LIMIT]
    )
    extents: dict[int, list[float]] = {}
    for model, field in ((SpeciesRange, "geometry"), (Occurrence, "location")):
        for species_id, extent in (
            model.objects.filter(species__in=[row[0] for row in species])
            .values("species")
            .annotate(extent=Extent(field))
            .values_list("species", "extent")
            .order_by()
        ):
            if extent is None:
                continue
            known = extents.get(species_id)
            extents[species_id] = (
                list(extent)
                if known is None
                else [
                    min(known[0], extent[0]),
                    min(known[1], extent[1]),
                    max(known[2], extent[2]),
                    max(known[3], extent[3]),
                ]
            )
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
        for pk, slug, common_name, scientific_name in species
    ]
    return results
