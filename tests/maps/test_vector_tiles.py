"""Vector tiles (issue 16, point 4): the GeoJSON layers' features, published only, with
sensitive points generalised for whoever may not see them exactly, cached by data version."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.gis.geos import Point
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from common.geometry import snap_to_equal_area_grid
from common.models import PublicationState
from maps.models import OccurrenceGridState, ProtectedAreaTileShape
from maps.services import occurrence_grid_rebuild
from maps.tile_grid import TILE_MAX_ZOOM, ZOOM_BANDS
from protected_areas.models import ProtectedArea
from tests.factories import OccurrenceFactory, ProtectedAreaFactory, SpeciesFactory, square
from tests.maps.tile_cases import differences, place_records
from tests.vector_tiles import decoded, read_by_gdal, tile_containing

pytestmark = pytest.mark.django_db

TRUE_POINT = (131.2345, 43.1234)
CONTINENT = tile_containing(131.0, 43.0, 4)
MVT = "application/vnd.mapbox-vector-tile"


@pytest.fixture(autouse=True)
def response_cache_on(settings):
    settings.RESPONSE_CACHE_ENABLED = True


def tile_url(layer, tile, query=""):
    return f"/tiles/{layer}/{tile.z}/{tile.x}/{tile.y}.pbf{query}"


def fetch(client, layer, tile, query="", **headers):
    response = client.get(tile_url(layer, tile, query), headers=headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == MVT
    return response, decoded(response.content, tile).get(layer, [])


def by_name(features):
    return {f["properties"]["name"]: f for f in features}


@pytest.fixture
def areas(russia):
    published = ProtectedAreaFactory(
        country=russia, name="Land of the Leopard", boundary=square(131.0, 43.0, 1.0)
    )
    draft = ProtectedAreaFactory(
        country=russia,
        name="Zqdraft reserve",
        boundary=square(132.5, 44.5, 1.0),
        publication_state=PublicationState.DRAFT,
    )
    return published, draft


def test_an_area_tile_holds_the_published_areas_as_both_decoders_read_it(client, areas, tmp_path):
    published, _draft = areas
    response, features = fetch(client, "protected-areas", CONTINENT)
    assert list(by_name(features)) == ["Land of the Leopard"]
    [area] = features
    assert area["id"] == published.pk
    assert area["properties"] == {
        "id": published.pk,
        "name": "Land of the Leopard",
        "country": "RUS",
        "category": "II",
        "approximate": True,
    }
    assert area["geometry"]["type"] in ("Polygon", "MultiPolygon")
    ring = area["geometry"]["coordinates"]
    while isinstance(ring[0][0], list):
        ring = ring[0]
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    # Zoom 4: a tile unit is ~0.005°.
    assert min(lons) == pytest.approx(131.0, abs=0.02) and max(lons) == pytest.approx(
        132.0, abs=0.02
    )
    assert min(lats) == pytest.approx(43.0, abs=0.02) and max(lats) == pytest.approx(44.0, abs=0.02)

    by_gdal = read_by_gdal(response.content, CONTINENT, tmp_path)["protected-areas"]
    [gdal_area] = by_gdal
    assert gdal_area["properties"]["name"] == "Land of the Leopard"
    assert gdal_area["properties"]["country"] == "RUS"
    gdal_ring = gdal_area["geometry"]["coordinates"]
    while isinstance(gdal_ring[0][0], list):
        gdal_ring = gdal_ring[0]
    assert min(p[0] for p in gdal_ring) == pytest.approx(131.0, abs=0.02)
    assert max(p[1] for p in gdal_ring) == pytest.approx(44.0, abs=0.02)


def test_each_zoom_band_holds_one_prepared_shape_per_area(areas):
    published, draft = areas
    for area in (published, draft):
        assert ProtectedAreaTileShape.objects.filter(area_id=area.pk).count() == len(ZOOM_BANDS)


def test_a_speck_is_drawn_as_its_point_at_continental_zoom(client, russia):
    speck = ProtectedAreaFactory(
        country=russia, name="Tiny islet", boundary=square(131.2, 43.2, 0.06)
    )
    _response, features = fetch(client, "protected-areas", CONTINENT)
    assert by_name(features)["Tiny islet"]["geometry"]["type"] == "Point"
    close = tile_containing(131.23, 43.23, 10)
    _response, features = fetch(client, "protected-areas", close)
    assert by_name(features)["Tiny islet"]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert speck.pk == by_name(features)["Tiny islet"]["id"]


def test_of_dots_painted_over_one_another_the_largest_area_is_drawn(client, russia):
    """At continental zoom two small areas 2 km apart share a pixel: one dot is drawn (the
    larger area's); close in, both are."""
    for name, size in (("Islet", 0.01), ("Larger islet", 0.02)):
        ProtectedAreaFactory(country=russia, name=name, boundary=square(131.2, 43.2, size))
    _response, features = fetch(client, "protected-areas", CONTINENT)
    assert [f["properties"]["name"] for f in features] == ["Larger islet"]
    _response, features = fetch(client, "protected-areas", tile_containing(131.2, 43.2, 10))
    assert sorted(f["properties"]["name"] for f in features) == ["Islet", "Larger islet"]


def test_filters_apply_to_tiles(client, areas, mongolia):
    _response, features = fetch(client, "protected-areas", CONTINENT, "?country=MNG")
    assert features == []
    _response, features = fetch(client, "protected-areas", CONTINENT, "?country=RUS")
    assert list(by_name(features)) == ["Land of the Leopard"]


@pytest.fixture
def entitled_client(django_user_model, russia):
    """A user given `species.view_exact_location` for Russia, and nothing else."""
    user = django_user_model.objects.create_user("exact-reader", "x@example.org", "pw")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="species", codename="view_exact_location")
    )
    user.country_assignments.create(country=russia)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def leopard_record():
    leopard = SpeciesFactory(slug="amur-leopard", common_name="Amur leopard", is_sensitive=True)
    return OccurrenceFactory(species=leopard, location=Point(*TRUE_POINT, srid=4326), count=2)


def only_point(features, slug):
    [feature] = [f for f in features if f["properties"]["species"] == slug]
    return feature


def test_the_public_tile_holds_the_generalised_point_and_the_entitled_the_exact_one(
    leopard_record, entitled_client, settings
):
    close = tile_containing(*TRUE_POINT, TILE_MAX_ZOOM)
    shown = snap_to_equal_area_grid(Point(*TRUE_POINT, srid=4326), settings.SENSITIVE_GRID_M)
    shown_tile = tile_containing(shown.x, shown.y, TILE_MAX_ZOOM)

    public_response, public = fetch(Client(), "occurrences", shown_tile)
    feature = only_point(public, "amur-leopard")
    assert feature["geometry"]["coordinates"] == pytest.approx([shown.x, shown.y], abs=2e-4)
    assert "public" in public_response["Cache-Control"]
    if close != shown_tile:
        _response, at_true_point = fetch(Client(), "occurrences", close)
        assert at_true_point == []

    exact_response, exact = fetch(entitled_client, "occurrences", close)
    feature = only_point(exact, "amur-leopard")
    assert feature["geometry"]["coordinates"] == pytest.approx(list(TRUE_POINT), abs=2e-4)
    assert "private" in exact_response["Cache-Control"]
    assert "Cookie" in exact_response["Vary"]


def test_low_zoom_tiles_count_records_and_close_ones_give_individuals(client, settings):
    crane = SpeciesFactory(slug="red-crowned-crane", common_name="Red-crowned crane")
    for lon, count in ((131.30, 2), (131.301, 7), (131.302, None)):
        OccurrenceFactory(species=crane, location=Point(lon, 43.2, srid=4326), count=count)
    OccurrenceFactory(
        species=crane,
        location=Point(131.303, 43.2, srid=4326),
        publication_state=PublicationState.DRAFT,
    )
    hidden = SpeciesFactory(slug="zq-draft", publication_state=PublicationState.DRAFT)
    OccurrenceFactory(species=hidden, location=Point(131.304, 43.2, srid=4326))

    _response, cells = fetch(client, "occurrences", CONTINENT)
    [cell] = cells
    assert cell["properties"] == {
        "name": "Red-crowned crane",
        "species": "red-crowned-crane",
        "records": 3,
    }

    _response, singles = fetch(client, "occurrences", tile_containing(131.301, 43.2, TILE_MAX_ZOOM))
    assert sorted(
        (f["properties"]["records"], f["properties"]["individuals"]) for f in singles
    ) == [(1, 1), (1, 2), (1, 7)]
    assert all(f["id"] == f["properties"]["id"] for f in singles)

    # The prepared grid (as the periodic task keeps it) answers the same, and the sensitive
    # species' cell from its generalised points.
    leopard = SpeciesFactory(slug="amur-leopard", common_name="Amur leopard", is_sensitive=True)
    OccurrenceFactory(species=leopard, location=Point(*TRUE_POINT, srid=4326))
    occurrence_grid_rebuild()
    assert OccurrenceGridState.objects.filter(stale=False).exists()
    _response, cells = fetch(client, "occurrences", CONTINENT)
    by_species = {c["properties"]["species"]: c for c in cells}
    assert by_species["red-crowned-crane"]["properties"]["records"] == 3
    assert "zq-draft" not in by_species
    shown = snap_to_equal_area_grid(Point(*TRUE_POINT, srid=4326), settings.SENSITIVE_GRID_M)
    leopard_at = by_species["amur-leopard"]["geometry"]["coordinates"]
    # Zoom 4: a tile unit is ~0.005°; the true point is ~0.05° away from its node.
    assert leopard_at == pytest.approx([shown.x, shown.y], abs=0.01)


def test_each_tile_of_a_zoom_holds_only_its_own_prepared_cells(client):
    """The prepared grid's query is compiled once per zoom, the tile's box put around it."""
    crane = SpeciesFactory(slug="white-naped-crane", common_name="White-naped crane")
    for lon, lat in ((131.3, 43.2), (100.5, 47.5)):
        OccurrenceFactory(species=crane, location=Point(lon, lat, srid=4326))
    occurrence_grid_rebuild()
    assert OccurrenceGridState.objects.filter(stale=False).exists()
    elsewhere = tile_containing(100.5, 47.5, CONTINENT.z)
    assert elsewhere != CONTINENT
    for tile, (lon, lat) in ((CONTINENT, (131.3, 43.2)), (elsewhere, (100.5, 47.5))):
        _response, cells = fetch(client, "occurrences", tile)
        [cell] = cells
        assert cell["geometry"]["coordinates"] == pytest.approx([lon, lat], abs=0.01)


def test_a_cold_tile_reads_the_version_and_its_own_query_only(client):
    """Whether the prepared grid may answer is kept with the data version, which a write to
    the grid's state changes: a tile asks nothing of the database but its own query."""
    crane = SpeciesFactory(slug="hooded-crane", common_name="Hooded crane")
    for lon, lat in ((131.3, 43.2), (100.5, 47.5)):
        OccurrenceFactory(species=crane, location=Point(lon, lat, srid=4326))
    occurrence_grid_rebuild()
    fetch(client, "occurrences", CONTINENT)
    with CaptureQueriesContext(connection) as queries:
        _response, cells = fetch(client, "occurrences", tile_containing(100.5, 47.5, CONTINENT.z))
    assert len(cells) == 1
    sql = [query["sql"] for query in queries.captured_queries]
    assert len(sql) == 2, sql
    assert "common_dataversion" in sql[0] and "ST_AsMVT" in sql[1]
    assert "maps_occurrencecell" in sql[1]  # the prepared grid answered

    # A write makes the grid stale and changes the version: the next tile counts live.
    OccurrenceFactory(species=crane, location=Point(100.6, 47.5, srid=4326))
    _response, cells = fetch(client, "occurrences", tile_containing(100.5, 47.5, CONTINENT.z))
    assert sum(cell["properties"]["records"] for cell in cells) == 2


def versions_only(queries) -> bool:
    return len(queries) == 1 and "common_dataversion" in queries[0]["sql"]


def test_a_revalidation_is_a_304_after_reading_only_the_version(client, areas):
    first, _features = fetch(client, "protected-areas", CONTINENT)
    from django.core.cache import cache  # noqa: PLC0415

    cache.clear()  # the ETag is the version's: no kept copy is needed to answer 304
    with CaptureQueriesContext(connection) as queries:
        again = client.get(
            tile_url("protected-areas", CONTINENT), headers={"If-None-Match": first["ETag"]}
        )
    assert again.status_code == 304
    assert versions_only(queries.captured_queries)


def test_a_repeated_anonymous_tile_reads_only_the_version(client, areas):
    first, _features = fetch(client, "protected-areas", CONTINENT, Accept_Encoding="gzip")
    with CaptureQueriesContext(connection) as queries:
        again = client.get(
            tile_url("protected-areas", CONTINENT), headers={"Accept-Encoding": "gzip"}
        )
    assert again.content == first.content
    assert versions_only(queries.captured_queries)
    assert "Cookie" not in again.get("Vary", "")
    assert "public" in again["Cache-Control"]


def test_a_repeated_anonymous_tile_is_served_before_the_sessions_and_the_user(client, areas):
    first, _features = fetch(client, "protected-areas", CONTINENT, Accept_Encoding="gzip")
    again, _features = fetch(client, "protected-areas", CONTINENT, Accept_Encoding="gzip")
    assert again.content == first.content
    assert not hasattr(again.wsgi_request, "session")
    assert not hasattr(again.wsgi_request, "user")
    for header in ("Content-Encoding", "ETag", "Vary", "Cache-Control", "Content-Type"):
        assert again.get(header) == first.get(header)


def test_a_signed_in_reader_is_never_served_the_anonymous_tile(leopard_record, entitled_client):
    close = tile_containing(*TRUE_POINT, TILE_MAX_ZOOM)
    for _visit in range(2):  # the anonymous copy is kept
        public_response, _public = fetch(Client(), "occurrences", close)
    exact_response, exact = fetch(entitled_client, "occurrences", close)
    assert exact_response.content != public_response.content
    assert only_point(exact, "amur-leopard")["geometry"]["coordinates"] == pytest.approx(
        list(TRUE_POINT), abs=2e-4
    )
    assert "private" in exact_response["Cache-Control"]


def test_an_edit_changes_the_tile_on_the_next_request(client, areas):
    published, draft = areas
    before, _features = fetch(client, "protected-areas", CONTINENT)
    published.name = "Land of the Leopard National Park"
    published.save()
    _after, features = fetch(client, "protected-areas", CONTINENT, If_None_Match=before["ETag"])
    assert list(by_name(features)) == ["Land of the Leopard National Park"]

    # A boundary moved by a bulk update (no save(), no signal) is re-simplified by the trigger.
    ProtectedArea.objects.filter(pk=published.pk).update(boundary=square(133.0, 45.0, 1.0))
    _response, features = fetch(client, "protected-areas", CONTINENT)
    ring = features[0]["geometry"]["coordinates"]
    while isinstance(ring[0][0], list):
        ring = ring[0]
    assert min(p[0] for p in ring) == pytest.approx(133.0, abs=0.02)

    ProtectedArea.objects.filter(pk=draft.pk).update(publication_state=PublicationState.PUBLISHED)
    _response, features = fetch(client, "protected-areas", CONTINENT)
    assert "Zqdraft reserve" in by_name(features)

    published.delete()
    _response, features = fetch(client, "protected-areas", CONTINENT)
    assert list(by_name(features)) == ["Zqdraft reserve"]
    assert not ProtectedAreaTileShape.objects.filter(area_id=published.pk).exists()


@pytest.mark.parametrize(
    ("path", "status", "parameter"),
    [
        (f"/tiles/protected-areas/{TILE_MAX_ZOOM + 1}/0/0.pbf", 404, "z"),
        ("/tiles/protected-areas/4/16/3.pbf", 404, "x"),
        ("/tiles/occurrences/2/1/4.pbf", 404, "y"),
        ("/tiles/countries/4/13/5.pbf", 404, "layer"),
        ("/tiles/occurrences/4/13/5.pbf?bbox=0,0,1,1", 400, "bbox"),
        ("/tiles/occurrences/4/13/5.pbf?zoom=4", 400, "zoom"),
        ("/tiles/occurrences/4/13/5.pbf?country=Russia", 400, "country"),
    ],
)
def test_a_tile_outside_the_pyramid_or_a_bad_filter_is_refused_with_the_reason(
    client, path, status, parameter
):
    response = client.get(path)
    assert response.status_code == status
    assert response.json()["parameter"] == parameter


def test_coordinates_that_are_not_numbers_are_not_a_tile(client):
    assert client.get("/tiles/occurrences/4/-1/5.pbf").status_code == 404
    assert client.get("/tiles/occurrences/four/1/5.pbf").status_code == 404


def test_the_shared_tile_cases_hold_on_postgis():
    """The cases tests/test_spatialite.py runs through the Python encoder."""
    assert differences(place_records()) == []
