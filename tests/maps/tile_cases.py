"""The vector tiles' features, checked the same way on PostGIS (ST_AsMVT, run by
tests/maps/test_vector_tiles.py) and on SpatiaLite (the Python encoder, run in a subprocess
by tests/test_spatialite.py): both must hold the same features with the same properties.

Records far from the NEASPEC region and its dataset, and from box_filter_cases.py's (the
western South Atlantic), so nothing else on the same database falls in these tiles."""

import json

from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.test import Client

from common.geometry import snap_to_equal_area_grid
from common.models import PublicationState
from tests.factories import (
    CountryFactory,
    OccurrenceFactory,
    ProtectedAreaFactory,
    SpeciesFactory,
)
from tests.vector_tiles import decoded, tile_containing

PARK = (-41.0, -45.0, 1.0)  # lon, lat, side
SPECK = (-40.5, -43.5, 0.06)
SECRET_POINT = (-39.6544, -44.4321)
CONTINENT_ZOOM = 4
CLOSE_ZOOM = 10


def _square(lon, lat, size):
    return MultiPolygon(Polygon.from_bbox((lon, lat, lon + size, lat + size)), srid=4326)


def place_records() -> dict:
    country = CountryFactory(iso_a3="XTL", name="Tileland", boundary=_square(-43.0, -48.0, 8))
    park = ProtectedAreaFactory(name="Tile park", country=country, boundary=_square(*PARK))
    ProtectedAreaFactory(name="Tile speck", country=country, boundary=_square(*SPECK))
    ProtectedAreaFactory(
        name="Zq tile draft",
        country=country,
        boundary=_square(-42.0, -46.0, 1),
        publication_state=PublicationState.DRAFT,
    )
    # A scientific name of its own: the factory gets or creates by it, and its numbering
    # starts again in each process (box_filter_cases.py's species came first).
    cat = SpeciesFactory(
        scientific_name="Felis tegula", slug="tile-cat", common_name="Tile cat", is_sensitive=True
    )
    OccurrenceFactory(species=cat, location=Point(*SECRET_POINT, srid=4326), count=3)
    OccurrenceFactory(
        species=cat,
        location=Point(-40.0, -44.0, srid=4326),
        publication_state=PublicationState.DRAFT,
    )
    return {"park": park.pk}


def _fetch(layer, tile):
    response = Client(HTTP_HOST="127.0.0.1").get(f"/tiles/{layer}/{tile.z}/{tile.x}/{tile.y}.pbf")
    assert response.status_code == 200, response.content
    return decoded(response.content, tile).get(layer, [])


CONTINENT = tile_containing(-40.0, -44.0, CONTINENT_ZOOM)


def differences(ids: dict) -> list[str]:
    return _area_differences(ids) + _occurrence_differences()


def _area_differences(ids: dict) -> list[str]:
    found = []
    continent = CONTINENT
    areas = {f["properties"]["name"]: f for f in _fetch("protected-areas", continent)}
    if sorted(areas) != ["Tile park", "Tile speck"]:
        found.append(f"areas at zoom 4: {sorted(areas)}")
    else:
        park = areas["Tile park"]
        if park["id"] != ids["park"] or park["properties"]["country"] != "XTL":
            found.append(f"park's id or properties: {park}")
        if not park["geometry"]["type"].endswith("Polygon"):
            found.append(f"park drawn as {park['geometry']['type']}")
        if areas["Tile speck"]["geometry"]["type"] != "Point":
            found.append("the speck is not a point at zoom 4")
    close = tile_containing(SPECK[0] + 0.03, SPECK[1] + 0.03, CLOSE_ZOOM)
    speck = [f for f in _fetch("protected-areas", close) if f["properties"]["name"] == "Tile speck"]
    if not speck or not speck[0]["geometry"]["type"].endswith("Polygon"):
        found.append(f"the speck at zoom 10: {speck}")
    return found


def _occurrence_differences() -> list[str]:
    found = []
    cells = _fetch("occurrences", CONTINENT)
    if [c["properties"] for c in cells] != [
        {"name": "Tile cat", "species": "tile-cat", "records": 1}
    ]:
        found.append(f"cells at zoom 4: {[c['properties'] for c in cells]}")
    node = snap_to_equal_area_grid(Point(*SECRET_POINT, srid=4326), settings.SENSITIVE_GRID_M)
    singles = _fetch("occurrences", tile_containing(node.x, node.y, CLOSE_ZOOM))
    if len(singles) != 1:
        found.append(f"records at the generalised node: {len(singles)}")
    else:
        lon, lat = singles[0]["geometry"]["coordinates"]
        if abs(lon - node.x) > 2e-4 or abs(lat - node.y) > 2e-4:
            found.append(f"the record at {lon}, {lat}, not at its node {node.x}, {node.y}")
        properties = singles[0]["properties"]
        if (properties["records"], properties["individuals"]) != (1, 3):
            found.append(f"a record's measures: {properties}")
    at_true_point = tile_containing(*SECRET_POINT, CLOSE_ZOOM)
    if at_true_point != tile_containing(node.x, node.y, CLOSE_ZOOM) and _fetch(
        "occurrences", at_true_point
    ):
        found.append("a record in the tile of its exact point")
    return found


def run() -> None:
    """Entry point for `manage.py shell -c` on SpatiaLite: prints the differences as JSON."""
    print(json.dumps(differences(place_records())))
