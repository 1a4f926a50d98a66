"""Every map layer's box filter, with point-only and boundary records: run by the PostGIS
suite (tests/maps/test_box_filter.py) and on SpatiaLite in a subprocess
(tests/test_spatialite.py), so both databases answer the same.

On SpatiaLite a protected area with a point and no boundary was in every view (issue 14,
point 0): SpatiaLite's MbrOverlaps answers -1, true to SQL, for a NULL geometry."""

import json

from django.contrib.gis.geos import GeometryCollection, MultiPolygon, Point, Polygon
from django.test import Client

from tests.factories import (
    CountryFactory,
    OccurrenceFactory,
    ProjectFactory,
    ProtectedAreaFactory,
    SpeciesFactory,
    SpeciesRangeFactory,
    TransboundaryLinkFactory,
)

# Far from the NEASPEC region and its dataset: the South Atlantic and the Gulf of Guinea.
RECORDS_AT = (20.0, -30.0)
FAR_VIEW = "-10,-10,-5,-5"
AROUND_VIEW = "18,-32,26,-24"
# Inside the boundary park, the range and the country, touching none of their points.
INSIDE_VIEW = "21.10,-29.40,21.15,-29.35"


def _square(lon, lat, size):
    return MultiPolygon(Polygon.from_bbox((lon, lat, lon + size, lat + size)), srid=4326)


def place_records() -> None:
    lon, lat = RECORDS_AT
    country = CountryFactory(iso_a3="XBX", name="Boxland", boundary=_square(lon, lat, 4))
    boundary_park = ProtectedAreaFactory(
        name="Box boundary park", country=country, boundary=_square(lon + 1, lat + 0.5, 1)
    )
    point_park = ProtectedAreaFactory(
        name="Box point park", country=country, boundary=None, location=Point(lon + 3, lat + 3)
    )
    TransboundaryLinkFactory(name="Box complex").protected_areas.set([boundary_park, point_park])
    species = SpeciesFactory(slug="box-species", common_name="Box species")
    SpeciesRangeFactory(species=species, geometry=_square(lon + 0.5, lat + 0.5, 2))
    OccurrenceFactory(species=species, location=Point(lon + 2.5, lat + 2.5, srid=4326))
    ProjectFactory(
        title="Box project with sites",
        sites=GeometryCollection(Point(lon + 2, lat + 2), srid=4326),
    )
    ProjectFactory(title="Box project at a park", sites=None).protected_areas.set([point_park])


def names_in_views() -> dict[str, dict[str, list[str]]]:
    """For each view, each layer's features' names."""
    client = Client(HTTP_HOST="127.0.0.1")
    views = {"far": (5, FAR_VIEW), "around": (7, AROUND_VIEW), "inside": (12, INSIDE_VIEW)}
    answer = {}
    for view, (zoom, bbox) in views.items():
        answer[view] = {}
        for layer in ("countries", "protected-areas", "transboundary", "species-ranges"):
            features = json.loads(
                client.get(f"/api/map/{layer}.geojson", {"zoom": zoom, "bbox": bbox}).content
            )["features"]
            answer[view][layer] = sorted(f["properties"]["name"] for f in features)
        for layer in ("occurrences", "projects"):
            features = json.loads(
                client.get(f"/api/map/{layer}.geojson", {"zoom": zoom, "bbox": bbox}).content
            )["features"]
            answer[view][layer] = sorted(
                f["properties"].get("title") or f["properties"]["name"] for f in features
            )
    return answer


EXPECTED = {
    "far": {
        "protected-areas": [],
        "transboundary": [],
        "species-ranges": [],
        "occurrences": [],
        "projects": [],
    },
    "around": {
        "countries": ["Boxland"],
        "protected-areas": ["Box boundary park", "Box point park"],
        "transboundary": ["Box complex"],
        "species-ranges": ["Box species"],
        "occurrences": ["Box species"],
        # A project is drawn at its own sites only, never at its parks' points.
        "projects": ["Box project with sites"],
    },
    "inside": {
        "countries": ["Boxland"],
        "protected-areas": ["Box boundary park"],
        "transboundary": [],
        "species-ranges": ["Box species"],
        "occurrences": [],
        "projects": [],
    },
}


def differences(answer) -> list[str]:
    """What the answer gets wrong against EXPECTED (empty when right)."""
    wrong = []
    for view, layers in EXPECTED.items():
        for layer, names in layers.items():
            found = answer[view][layer]
            if layer == "countries":  # the dataset's own countries (Norway) may be there too
                found = [name for name in found if name.startswith("Box")]
            if found != names:
                wrong.append(f"{view} {layer}: {found} (expected {names})")
    if any(name.startswith("Box") for name in answer["far"]["countries"]):
        wrong.append(f"far countries: {answer['far']['countries']}")
    return wrong


def run() -> None:
    """Entry point for `manage.py shell -c` on SpatiaLite: prints the differences as JSON."""
    place_records()
    print(json.dumps(differences(names_in_views())))
