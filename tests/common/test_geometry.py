import pytest
from django.apps import apps
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.db.models import Q

from common.geometry import (
    ValidGeometryConstraint,
    circle_of_area,
    distance_km,
    geodesic_area_km2,
    repair_geometry,
    validate_geometry,
    validate_geometry_fields,
)
from common.spatial_index import GeometryIndex
from maps.tile_grid import ZOOM_BANDS
from protected_areas.models import ProtectedArea
from tests.factories import CountryFactory, square

BOWTIE = Polygon(((0, 0), (1, 1), (1, 0), (0, 1), (0, 0)), srid=4326)


def test_self_intersection_is_rejected_in_words_with_its_location():
    with pytest.raises(ValidationError) as error:
        validate_geometry(BOWTIE, label="boundary")
    assert error.value.messages[0].startswith("The boundary crosses itself near 0.5° E, 0.5° N.")
    assert error.value.code == "invalid_geometry"
    assert (error.value.params["lon"], error.value.params["lat"]) == (0.5, 0.5)


@pytest.mark.parametrize(
    "wkt, words",
    [
        (
            "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0),(20 20, 21 20, 21 21, 20 20))",
            "A hole of the boundary lies outside its outer ring near 20.0° E, 20.0° N.",
        ),
        (
            "MULTIPOLYGON(((0 0, 10 0, 10 10, 0 10, 0 0)),((1 1, 2 1, 2 2, 1 1)))",
            "One part of the boundary lies inside another near 1.0° E, 1.0° N",
        ),
        (
            "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0),(5 0, 10 5, 5 10, 0 5, 5 0))",
            "A hole cuts the boundary in two near 0.0° E, 5.0° N.",
        ),
        (
            "POLYGON((-112.03 -47.5, -113 -48, -113 -47.5, -112.03 -48, -112.03 -47.5))",
            "The boundary crosses itself near 112.515° W, 47.75° S.",
        ),
    ],
)
def test_geos_faults_are_named_in_words(wkt, words):
    with pytest.raises(ValidationError) as error:
        validate_geometry(GEOSGeometry(wkt, srid=4326), label="boundary")
    assert words in error.value.messages[0]
    assert "[" not in error.value.messages[0]


def test_a_models_geometry_error_is_attached_to_its_field():
    area = ProtectedArea(boundary=MultiPolygon(BOWTIE, srid=4326))
    with pytest.raises(ValidationError) as error:
        validate_geometry_fields(area, "boundary")
    assert list(error.value.message_dict) == ["boundary"]
    assert error.value.message_dict["boundary"][0].startswith("The boundary crosses itself")


def test_wrong_srid_is_rejected_not_silently_reprojected():
    mercator = Point(14_600_000, 5_350_000, srid=3857)
    with pytest.raises(ValidationError) as error:
        validate_geometry(mercator, label="Location")
    assert error.value.code == "wrong_srid"
    assert "SRID 3857" in error.value.messages[0]


@pytest.mark.parametrize("lon, lat", [(181, 10), (-180.5, 10), (10, 91), (10, -90.01)])
def test_coordinates_outside_lon_lat_range_are_rejected(lon, lat):
    with pytest.raises(ValidationError) as error:
        validate_geometry(Point(lon, lat, srid=4326), label="Location")
    assert error.value.code == "out_of_range"


def test_latitude_longitude_swap_is_caught_for_north_east_asia():
    # Hunchun given as (lat, lon) has "latitude" 130.7: outside the range.
    with pytest.raises(ValidationError, match="longitude comes first"):
        validate_geometry(Point(42.8, 130.7, srid=4326))


def test_repair_makes_a_valid_multipolygon_with_the_same_footprint():
    repaired = repair_geometry(BOWTIE)
    assert repaired.valid
    assert isinstance(repaired, MultiPolygon)
    assert repaired.srid == 4326
    assert repaired.area == pytest.approx(0.5)


def test_geodesic_area_of_one_degree_square_at_the_equator():
    # 1° × 1° at the equator on WGS 84: 12,308.8 km² (not "1 square degree").
    square = Polygon.from_bbox((0, 0, 1, 1))
    square.srid = 4326
    assert geodesic_area_km2(square) == pytest.approx(12_308.8, rel=1e-3)


def test_geodesic_area_shrinks_with_latitude():
    low = Polygon.from_bbox((130, 0, 131, 1))
    high = Polygon.from_bbox((130, 60, 131, 61))
    low.srid = high.srid = 4326
    assert geodesic_area_km2(high) < 0.52 * geodesic_area_km2(low)


def test_circle_of_area_has_exactly_the_requested_area():
    circle = circle_of_area(Point(131.33, 43.25, srid=4326), 2799)
    assert circle.valid and circle.srid == 4326
    assert geodesic_area_km2(circle) == pytest.approx(2799, rel=1e-6)


def test_distance_km_on_the_ground():
    # One degree of latitude is about 111 km.
    line_box = Polygon.from_bbox((130, 44, 131, 45))
    line_box.srid = 4326
    assert distance_km(Point(130.5, 43, srid=4326), line_box) == pytest.approx(111, rel=0.01)
    assert distance_km(Point(130.5, 44.5, srid=4326), line_box) == 0


def test_distance_km_between_two_shapes():
    # Two parks 0.1° of longitude apart at 43° N: 0.1 × 111.32 × cos 43° ≈ 8.14 km.
    west = Polygon.from_bbox((130.0, 43.0, 130.4, 43.2))
    east = Polygon.from_bbox((130.5, 43.0, 130.9, 43.2))
    west.srid = east.srid = 4326
    assert distance_km(west, east) == pytest.approx(8.14, rel=0.01)
    assert distance_km(east, west) == pytest.approx(distance_km(west, east), rel=1e-3)
    assert distance_km(west, west.centroid) == 0


# Tables derived from records by database triggers, with indexes of their own: the vector
# tiles' shapes have one partial GiST index per zoom band (maps migration 0004), since a tile
# reads one band; they are written from valid boundaries, so need no constraint of their own.
DERIVED_SHAPE_TABLES = {"maps_protectedareatileshape"}


def geometry_fields(*, history: bool):
    """(model, field) for every geometry field of the project's records, of history models
    or not."""
    return [
        (model, field)
        for model in apps.get_models()
        if hasattr(model, "instance_type") == history  # simple-history's models have it
        and model._meta.db_table not in DERIVED_SHAPE_TABLES
        for field in model._meta.fields
        if isinstance(field, GeometryField)
    ]


@pytest.mark.django_db
def test_the_tile_shapes_have_one_spatial_index_per_zoom_band():
    if connection.vendor != "postgresql":
        pytest.skip("SpatiaLite builds tiles from the areas themselves")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexdef ILIKE %s",
            ["maps_protectedareatileshape", "%USING gist (geometry)%"],
        )
        definitions = sorted(row[0] for row in cursor.fetchall())
    assert len(definitions) == len(ZOOM_BANDS)
    assert all("WHERE (band = " in definition for definition in definitions)


def test_every_geometry_field_has_a_named_spatial_index_and_a_validity_constraint():
    fields = geometry_fields(history=False)
    assert {f"{model.__name__}.{field.name}" for model, field in fields} >= {
        "Country.boundary",
        "ProtectedArea.boundary",
        "ProtectedArea.location",
        "SpeciesRange.geometry",
        "Occurrence.location",
        "Project.sites",
    }
    for model, field in fields:
        where = f"{model.__name__}.{field.name}"
        # GeoDjango's own index would be a second, unnamed one on the same column.
        assert field.spatial_index is False, where
        assert [
            index.name
            for index in model._meta.indexes
            if isinstance(index, GeometryIndex) and index.fields == [field.name]
        ], where
        assert [
            constraint.name
            for constraint in model._meta.constraints
            if isinstance(constraint, ValidGeometryConstraint)
            and constraint.condition == Q(**{f"{field.name}__isvalid": True})
        ], where


def test_history_keeps_geodjangos_spatial_index_and_needs_no_constraint():
    for model, field in geometry_fields(history=True):
        assert field.spatial_index is True, f"{model.__name__}.{field.name}"
        assert not model._meta.constraints


@pytest.mark.django_db
def test_the_database_has_exactly_the_named_spatial_index_on_each_geometry_column():
    with connection.cursor() as cursor:
        for model, field in geometry_fields(history=False):
            table, column = model._meta.db_table, field.column
            (named,) = [
                index.name
                for index in model._meta.indexes
                if isinstance(index, GeometryIndex) and index.fields == [field.name]
            ]
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef ILIKE %s",
                    [table, f"%USING gist ({column})%"],
                )
                assert [row[0] for row in cursor.fetchall()] == [named]
            else:
                # SpatiaLite's R*Tree: one per column, named by SpatiaLite, not by us.
                cursor.execute(
                    "SELECT spatial_index_enabled FROM geometry_columns "
                    "WHERE f_table_name = %s AND f_geometry_column = %s",
                    [table, column],
                )
                assert cursor.fetchall() == [(1,)]


@pytest.mark.django_db
def test_an_invalid_shape_has_one_message_on_its_field():
    area = ProtectedArea(
        name="Bow tie",
        country=CountryFactory(boundary=square(-1, -1, 3)),
        designation="Reserve",
        boundary=MultiPolygon(BOWTIE, srid=4326),
    )
    with pytest.raises(ValidationError) as error:
        area.full_clean()
    assert error.value.message_dict == {
        "boundary": [
            "The boundary crosses itself near 0.5° E, 0.5° N. Correct the drawing there, or "
            "tick “Repair invalid geometry” to have it repaired automatically."
        ]
    }
    # Past clean(), the constraint says it in its own words (asking GEOS, not the database).
    (valid_boundary,) = [
        constraint
        for constraint in ProtectedArea._meta.constraints
        if constraint.name == "protectedarea_boundary_valid"
    ]
    with pytest.raises(ValidationError) as error:
        valid_boundary.validate(ProtectedArea, area)
    assert error.value.messages == [
        "The shape is not valid. Correct the drawing, or tick “repair geometry” to have it "
        "repaired automatically."
    ]


@pytest.mark.django_db
def test_the_database_refuses_an_invalid_shape_that_skipped_clean():
    with pytest.raises(IntegrityError):
        ProtectedArea.objects.bulk_create(
            [
                ProtectedArea(
                    name="Bow tie",
                    country=CountryFactory(),
                    designation="Reserve",
                    boundary=MultiPolygon(BOWTIE, srid=4326),
                    location=Point(0.5, 0.2, srid=4326),
                )
            ]
        )
