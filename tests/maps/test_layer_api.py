import gzip
import json
import math
from unittest import mock

import pytest
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from django.utils import translation

from common.models import PublicationState
from maps.compression import CACHED_FROM_BYTES
from maps.params import LayerParams
from maps.selectors import layers
from tests.factories import (
    CountryFactory,
    OccurrenceFactory,
    ProjectFactory,
    ProtectedAreaFactory,
    SpeciesFactory,
    SpeciesRangeFactory,
    TransboundaryLinkFactory,
    square,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationState.DRAFT


def layer(client, name, **params):
    response = client.get(f"/api/map/{name}.geojson", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def names(collection):
    return sorted(feature["properties"]["name"] for feature in collection["features"])


def wiggly_area(lon, lat, radius_deg=1.0, vertices=400):
    """A realistic-looking boundary: a circle whose radius wobbles, many vertices."""
    radii = [radius_deg * (1 + 0.05 * math.sin(i * 0.7)) for i in range(vertices)]
    angles = [2 * math.pi * i / vertices for i in range(vertices)]
    ring = [
        (lon + r * math.cos(a), lat + r * math.sin(a)) for r, a in zip(radii, angles, strict=True)
    ]
    return MultiPolygon(Polygon([*ring, ring[0]]), srid=4326)


def vertex_count(geometry):
    def count(coordinates):
        if isinstance(coordinates[0], (int, float)):
            return 1
        return sum(count(part) for part in coordinates)

    return count(geometry["coordinates"])


def test_bbox_returns_only_features_in_the_box(client, russia, mongolia):
    ProtectedAreaFactory(name="Far east", country=russia, boundary=square(131, 43, 0.5))
    ProtectedAreaFactory(name="Steppe", country=mongolia, boundary=square(110, 47, 0.5))

    east = layer(client, "protected-areas", bbox="125,40,140,50", zoom=8)
    everywhere = layer(client, "protected-areas", zoom=8)

    assert names(east) == ["Far east"]
    assert names(everywhere) == ["Far east", "Steppe"]


def test_protected_area_features_carry_lean_properties_and_their_page(client, russia):
    area = ProtectedAreaFactory(
        name="Land of the Leopard National Park",
        country=russia,
        iucn_category="II",
        boundary_quality="approximate",
        boundary=square(131, 43, 0.5),
    )
    (feature,) = layer(client, "protected-areas", zoom=8)["features"]
    assert feature["properties"] == {
        "id": area.pk,
        "name": "Land of the Leopard National Park",
        "country": "RUS",
        "category": "II",
        "approximate": True,
        "url": area.get_absolute_url(),
    }


def test_low_zoom_simplifies_boundaries_to_far_fewer_vertices(client, russia):
    ProtectedAreaFactory(country=russia, boundary=wiggly_area(131, 44, radius_deg=2))

    detailed = layer(client, "protected-areas")["features"][0]["geometry"]
    region = layer(client, "protected-areas", zoom=4)["features"][0]["geometry"]

    assert vertex_count(detailed) == 401
    assert vertex_count(region) < 401 / 4
    assert region["type"] in ("Polygon", "MultiPolygon"), "a 2° area stays a shape at zoom 4"


def test_simplification_stays_within_half_a_pixel(client, russia):
    original = wiggly_area(131, 44, radius_deg=2)
    ProtectedAreaFactory(country=russia, boundary=original)
    geometry = layer(client, "protected-areas", zoom=5)["features"][0]["geometry"]
    # PostGIS keeps the stored type (MultiPolygon); SpatiaLite's simplifier may return a Polygon.
    simplified_ring = GEOSGeometry(json.dumps(geometry), srid=4326).boundary
    pixel_degrees = 360 / (256 * 2**5)
    largest_shift = max(
        simplified_ring.distance(Point(x, y, srid=4326)) for x, y in original[0].exterior_ring
    )
    assert largest_shift < pixel_degrees / 2


def test_coordinates_are_rounded_to_the_zooms_precision(client, russia):
    ProtectedAreaFactory(country=russia, boundary=wiggly_area(131.123456789, 44.98765432))

    def decimals(geometry):
        points = GEOSGeometry(json.dumps(geometry)).coords
        while isinstance(points[0][0], tuple):  # Polygon or MultiPolygon: flatten to points
            points = [point for part in points for point in part]
        return max(len(str(value).partition(".")[2]) for point in points for value in point)

    assert decimals(layer(client, "protected-areas", zoom=4)["features"][0]["geometry"]) <= 3
    assert decimals(layer(client, "protected-areas")["features"][0]["geometry"]) > 3


def test_a_protected_area_smaller_than_a_few_pixels_is_drawn_as_its_point(client, russia):
    area = ProtectedAreaFactory(country=russia, boundary=square(131, 43, 0.05))
    region = layer(client, "protected-areas", zoom=4)["features"][0]["geometry"]
    close = layer(client, "protected-areas", zoom=11)["features"][0]["geometry"]
    assert region["type"] == "Point"
    assert region["coordinates"] == pytest.approx([area.location.x, area.location.y], abs=0.01)
    assert close["type"] in ("Polygon", "MultiPolygon")


def test_unpublished_records_never_appear_in_any_layer(client, russia, mongolia):
    published = ProtectedAreaFactory(name="Published", country=russia)
    draft = ProtectedAreaFactory(name="Draft", country=mongolia, publication_state=DRAFT)
    link = TransboundaryLinkFactory(name="Complex")
    link.protected_areas.set([published, draft, ProtectedAreaFactory(country=mongolia)])
    TransboundaryLinkFactory(name="Draft complex", publication_state=DRAFT).protected_areas.set(
        [published, ProtectedAreaFactory(country=mongolia)]
    )
    hidden_species = SpeciesFactory(common_name="Hidden", publication_state=DRAFT)
    SpeciesRangeFactory(species=hidden_species)
    OccurrenceFactory(species=hidden_species)
    ProjectFactory(title="Draft project", publication_state=DRAFT)

    assert "Draft" not in names(layer(client, "protected-areas"))
    (complex_,) = layer(client, "transboundary")["features"]
    assert complex_["properties"]["name"] == "Complex"
    assert draft.pk not in complex_["properties"]["members"]
    assert len(complex_["geometry"]["coordinates"]) == 2
    assert layer(client, "species-ranges")["features"] == []
    assert layer(client, "occurrences", zoom=12)["features"] == []
    assert layer(client, "occurrences", zoom=4)["features"] == []
    assert layer(client, "projects")["features"] == []


def test_transboundary_complex_joins_its_members_and_names_its_cooperation(client, russia):
    china = CountryFactory(iso_a3="CHN", name="China", boundary=square(115, 40, 15))
    khanka = ProtectedAreaFactory(country=russia, location=Point(132.5, 44.9, srid=4326))
    xingkai = ProtectedAreaFactory(country=china, location=Point(132.4, 45.3, srid=4326))
    link = TransboundaryLinkFactory(
        name="Khanka–Xingkai", cooperation_status="agreement", agreement_year=1996
    )
    link.protected_areas.set([khanka, xingkai])

    (feature,) = layer(client, "transboundary", zoom=8)["features"]
    assert feature["geometry"]["type"] == "LineString"
    assert sorted(feature["properties"]["members"]) == sorted([khanka.pk, xingkai.pk])
    assert feature["properties"]["category"] == "agreement"
    assert feature["properties"]["country"] == ["CHN", "RUS"]


def test_species_filter_applies_to_ranges_occurrences_and_protected_areas(client, russia):
    leopard = SpeciesFactory(slug="amur-leopard", common_name="Amur leopard")
    crane = SpeciesFactory(slug="red-crowned-crane", common_name="Red-crowned crane")
    park = ProtectedAreaFactory(name="Leopard park", country=russia)
    ProtectedAreaFactory(name="Crane marsh", country=russia)
    SpeciesRangeFactory(species=leopard)
    SpeciesRangeFactory(species=crane, season="breeding")
    OccurrenceFactory(species=leopard, protected_area=park)
    OccurrenceFactory(species=crane)

    assert names(layer(client, "species-ranges", species="amur-leopard")) == ["Amur leopard"]
    assert names(layer(client, "occurrences", species="amur-leopard", zoom=12)) == ["Amur leopard"]
    assert names(layer(client, "protected-areas", species="amur-leopard")) == ["Leopard park"]
    both = layer(client, "species-ranges", species="amur-leopard,red-crowned-crane")
    assert {f["properties"]["season"] for f in both["features"]} == {"year_round", "breeding"}


def test_country_and_project_filters(client, russia, mongolia):
    far_east = ProtectedAreaFactory(name="Far east", country=russia)
    ProtectedAreaFactory(name="Steppe", country=mongolia)
    project = ProjectFactory(slug="big-cats", title="Big cats")
    project.protected_areas.set([far_east])
    ProjectFactory(slug="cranes", title="Cranes")

    assert names(layer(client, "protected-areas", country="rus")) == ["Far east"]
    assert names(layer(client, "protected-areas", project="big-cats")) == ["Far east"]
    assert names(layer(client, "projects", project="big-cats")) == ["Big cats"]


def test_occurrences_are_counted_per_cell_at_low_zoom_and_single_close_up(client):
    crane = SpeciesFactory(slug="red-crowned-crane", common_name="Red-crowned crane")
    for offset in range(5):
        OccurrenceFactory(species=crane, location=Point(140 + offset * 0.01, 43, srid=4326))
    OccurrenceFactory(species=crane, location=Point(126, 37.7, srid=4326), event_date="2010-02-01")

    region = layer(client, "occurrences", zoom=4)["features"]
    assert sorted(f["properties"]["count"] for f in region) == [1, 5]
    close = layer(client, "occurrences", zoom=12)["features"]
    assert len(close) == 6
    assert {f["properties"]["year"] for f in close} == {2010, 2023}
    recent = layer(client, "occurrences", zoom=12, year="2020-2024")["features"]
    assert len(recent) == 5


@pytest.mark.parametrize(
    "name",
    ["countries", "protected-areas", "transboundary", "species-ranges", "occurrences", "projects"],
)
def test_query_count_does_not_grow_with_the_features(
    client, django_assert_max_num_queries, name, russia, mongolia
):
    def add_records(count):
        for _ in range(count):
            area = ProtectedAreaFactory(country=russia)
            other = ProtectedAreaFactory(country=mongolia)
            TransboundaryLinkFactory().protected_areas.set([area, other])
            species = SpeciesFactory()
            SpeciesRangeFactory(species=species)
            OccurrenceFactory(species=species)
            ProjectFactory().protected_areas.set([area])
            ProjectFactory(sites=None).protected_areas.set([other])

    add_records(2)
    with django_assert_max_num_queries(4):
        few = layer(client, name, zoom=12)
    add_records(20)
    with django_assert_max_num_queries(4):
        many = layer(client, name, zoom=12)
    assert len(many["features"]) >= len(few["features"])


def test_a_repeated_view_costs_a_304_until_the_data_changes(client, russia):
    area = ProtectedAreaFactory(country=russia)
    url = "/api/map/protected-areas.geojson?zoom=6&bbox=100,30,150,60"

    first = client.get(url)
    etag = first["ETag"]
    assert "max-age" in first["Cache-Control"] and "public" in first["Cache-Control"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""

    area.name = "Renamed"
    area.save()
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    other_view = client.get(url.replace("zoom=6", "zoom=7"), headers={"if-none-match": etag})
    assert other_view.status_code == 200


@pytest.mark.parametrize("large_from_bytes", [CACHED_FROM_BYTES, 0])
def test_responses_are_gzipped_for_clients_that_accept_it(client, russia, large_from_bytes):
    """Small bodies through gzip_page, large ones compressed once per content."""
    for _ in range(5):
        ProtectedAreaFactory(country=russia, boundary=wiggly_area(131, 44))
    with mock.patch("maps.compression.CACHED_FROM_BYTES", large_from_bytes):
        for _ in range(2):  # the second large one comes from the cache
            response = client.get(
                "/api/map/protected-areas.geojson", headers={"accept-encoding": "gzip, deflate"}
            )
            assert response["Content-Encoding"] == "gzip"
            assert "Accept-Encoding" in response["Vary"]
            collection = json.loads(gzip.decompress(response.content))
            assert len(collection["features"]) == 5
        # Weak after compression, and still honoured for 304s.
        assert response["ETag"].startswith("W/")
        assert (
            client.get(
                "/api/map/protected-areas.geojson",
                headers={"accept-encoding": "gzip", "if-none-match": response["ETag"]},
            ).status_code
            == 304
        )
        plain = client.get("/api/map/protected-areas.geojson")
        assert not plain.has_header("Content-Encoding")
        assert json.loads(plain.content) == collection


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/map/rivers.geojson", "layer"),
        ("/api/map/protected-areas.geojson?bbox=1,2,3", "bbox"),
        ("/api/map/protected-areas.geojson?bbox=a,b,c,d", "bbox"),
        ("/api/map/protected-areas.geojson?bbox=100,40,200,50", "bbox"),
        ("/api/map/protected-areas.geojson?bbox=100,-95,120,50", "bbox"),
        ("/api/map/protected-areas.geojson?bbox=130,40,120,50", "bbox"),
        ("/api/map/protected-areas.geojson?bbox=nan,40,120,50", "bbox"),
        ("/api/map/protected-areas.geojson?zoom=23", "zoom"),
        ("/api/map/protected-areas.geojson?zoom=-1", "zoom"),
        ("/api/map/protected-areas.geojson?zoom=4.5", "zoom"),
        ("/api/map/protected-areas.geojson?country=Russia", "country"),
        ("/api/map/protected-areas.geojson?species=a%20b", "species"),
        ("/api/map/occurrences.geojson?year=20", "year"),
        ("/api/map/occurrences.geojson?year=2020-2010", "year"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_parameter(client, path, parameter):
    response = client.get(path)
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter
    assert parameter in body["error"] or parameter == "layer"


def test_countries_layer_is_the_basemap_with_member_flag(client, russia):
    CountryFactory(iso_a3="KAZ", name="Kazakhstan", is_member=False, boundary=square(60, 45, 10))
    features = layer(client, "countries", zoom=3)["features"]
    assert {(f["properties"]["country"], f["properties"]["member"]) for f in features} == {
        ("RUS", True),
        ("KAZ", False),
    }


def test_protected_area_names_are_in_the_active_language_or_english(russia):
    ProtectedAreaFactory(country=russia, name="Land of the Leopard", name_ja="ヒョウの地")
    ProtectedAreaFactory(country=russia, name="Khanka")

    with translation.override("ja"):
        features = layers.protected_areas_layer(LayerParams(zoom=8))

    names = sorted(json.loads(feature)["properties"]["name"] for feature in features)
    assert names == ["Khanka", "ヒョウの地"]


def test_projects_are_drawn_at_their_own_sites_not_at_their_parks(client, russia):
    park = ProtectedAreaFactory(name="Leopard park", country=russia)
    at_park = ProjectFactory(title="Only linked to the park", sites=None)
    at_park.protected_areas.set([park])
    ProjectFactory(
        title="Two sites",
        sites=GEOSGeometry(
            "SRID=4326;GEOMETRYCOLLECTION(POINT(131 43), POLYGON((132 44, 133 44, 133 45, 132 44)))"
        ),
    )
    (feature,) = layer(client, "projects")["features"]
    assert feature["properties"]["title"] == "Two sites"
    assert feature["geometry"]["type"] == "GeometryCollection"
    assert [g["type"] for g in feature["geometry"]["geometries"]] == ["Point", "Polygon"]


def test_country_outlines_are_cut_to_the_view(client):
    CountryFactory(
        iso_a3="XWD",
        name="Wide",
        boundary=MultiPolygon(Polygon.from_bbox((60, 30, 140, 70)), srid=4326),
    )
    CountryFactory(
        iso_a3="XFA",
        name="Far away",
        boundary=MultiPolygon(Polygon.from_bbox((-60, -30, -50, -20)), srid=4326),
    )
    (feature,) = layer(client, "countries", bbox="120,40,130,50", zoom=6)["features"]
    assert feature["properties"]["name"] == "Wide"
    xs = [
        x
        for ring in feature["geometry"]["coordinates"]
        for x, _ in (ring[0] if isinstance(ring[0][0], list) else ring)
    ]
    assert min(xs) >= 120 and max(xs) <= 130
