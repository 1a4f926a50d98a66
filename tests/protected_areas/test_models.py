import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from protected_areas.models import (
    AGREEMENT_NEEDS_YEAR,
    NEEDS_GEOMETRY,
    ProtectedArea,
    TransboundaryLink,
)
from tests.factories import CountryFactory, ProtectedAreaFactory, save_validated, square
from tests.model_rules import assert_clean_and_constraint_say

pytestmark = pytest.mark.django_db


def unsaved_area(**overrides):
    country = overrides.pop("country", None) or CountryFactory(boundary=square(130, 42, 3))
    values = {
        "name": "Test reserve",
        "country": country,
        "designation": "Nature reserve",
        "boundary": square(131, 43, 0.5),
    }
    values.update(overrides)
    return ProtectedArea(**values)


def test_valid_area_gets_its_geodesic_area_and_a_location():
    area = unsaved_area()
    area.full_clean()
    area.save()
    area.refresh_from_db()
    # 0.5° × 0.5° at 43.25° N: 55.5 km × 40.5 km, about 2,250 km².
    assert 2_240 < float(area.computed_area_km2) < 2_270
    assert area.boundary.contains(area.location)


def test_self_intersecting_boundary_is_rejected_and_nothing_saved():
    bowtie = MultiPolygon(
        Polygon(((131, 43), (132, 44), (132, 43), (131, 44), (131, 43))), srid=4326
    )
    with pytest.raises(ValidationError) as error:
        save_validated(unsaved_area(boundary=bowtie))
    assert error.value.message_dict["boundary"][0].startswith(
        "The boundary crosses itself near 131.5° E, 43.5° N."
    )
    assert ProtectedArea.objects.count() == 0


def test_edit_that_breaks_the_boundary_leaves_the_saved_record_unchanged():
    area = ProtectedAreaFactory()
    saved_boundary = area.boundary.wkt
    area.boundary = MultiPolygon(
        Polygon(((131, 43), (132, 44), (132, 43), (131, 44), (131, 43))), srid=4326
    )
    with pytest.raises(ValidationError):
        save_validated(area)
    area.refresh_from_db()
    assert area.boundary.wkt == saved_boundary


def test_area_needs_a_boundary_or_a_location():
    area = unsaved_area(boundary=None, location=None)
    with pytest.raises(ValidationError, match="boundary, a location, or both"):
        area.full_clean()


def test_database_refuses_an_area_without_geometry_even_past_clean():
    with pytest.raises(IntegrityError):
        unsaved_area(boundary=None, location=None).save()


def test_location_far_outside_its_country_is_rejected():
    area = unsaved_area(boundary=None, location=Point(100, 10, srid=4326))
    with pytest.raises(ValidationError, match="km outside"):
        area.full_clean()


def test_coastal_location_just_off_the_country_is_accepted():
    # A tidal flat a few km off the generalised coastline is still in its country.
    area = unsaved_area(boundary=None, location=Point(133.05, 43.5, srid=4326))
    area.full_clean()


def test_duplicate_wdpa_id_is_rejected_with_a_message():
    ProtectedAreaFactory(wdpa_id=555_001)
    duplicate = unsaved_area(wdpa_id=555_001)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "WDPA ID already exists" in str(error.value)


def test_transboundary_link_needs_areas_in_two_countries():
    russia = CountryFactory(iso_a3="RUS", boundary=square(130, 42, 3))
    china = CountryFactory(iso_a3="CHN", boundary=square(127, 42, 3))
    leopard = ProtectedAreaFactory(country=russia)
    kedrovaya = ProtectedAreaFactory(country=russia)
    tiger_leopard = ProtectedAreaFactory(country=china)
    with pytest.raises(ValidationError, match="two or more countries"):
        TransboundaryLink.validate_members([leopard, kedrovaya])
    with pytest.raises(ValidationError, match="at least two"):
        TransboundaryLink.validate_members([leopard])
    TransboundaryLink.validate_members([leopard, tiger_leopard])


def test_signed_agreement_needs_its_year():
    link = TransboundaryLink(name="Dauria", slug="dauria", cooperation_status="agreement")
    with pytest.raises(ValidationError, match="needs its year"):
        link.full_clean()


def test_published_excludes_drafts():
    public = ProtectedAreaFactory(publication_state="published")
    ProtectedAreaFactory(publication_state="draft")
    assert list(ProtectedArea.objects.published()) == [public]


@pytest.mark.parametrize(
    ("boundary", "quality", "label", "note"),
    [
        (None, "approximate", "Not recorded", "No boundary is recorded"),
        (None, "surveyed", "Not recorded", "No boundary is recorded"),
        (square(131, 43, 0.5), "approximate", "Approximate", "a stand-in of the reported area"),
        (square(131, 43, 0.5), "surveyed", "Surveyed", ""),
    ],
)
def test_one_rule_says_what_the_boundary_is(boundary, quality, label, note):
    area = unsaved_area(boundary=boundary, location=Point(131.2, 43.2), boundary_quality=quality)
    assert area.boundary_label == label
    assert note in area.boundary_note and bool(area.boundary_note) == bool(note)
    assert area.is_boundary_approximate == (boundary is not None and quality == "approximate")


@pytest.mark.parametrize(
    ("reported", "warned"),
    [(None, False), (2_250, False), (1_200, False), (3_300, False), (150, True), (4_000, True)],
)
def test_a_reported_area_far_from_the_computed_one_is_flagged(reported, warned):
    area = unsaved_area(reported_area_km2=reported)  # computes to about 2,250 km²
    area.full_clean()
    warning = area.reported_area_disagreement()
    assert bool(warning) == warned
    if warned:
        assert f"The reported area ({reported:,} km²) differs by more than half" in warning


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (lambda: unsaved_area(boundary=None, location=None), NEEDS_GEOMETRY),
        (
            lambda: TransboundaryLink(name="D", slug="d", cooperation_status="agreement"),
            AGREEMENT_NEEDS_YEAR,
        ),
    ],
    ids=["area-needs-geometry", "agreement-needs-year"],
)
def test_a_rule_checked_by_clean_and_by_its_constraint_says_one_thing(record, message):
    assert_clean_and_constraint_say(record, message)


def test_an_area_saved_without_clean_gets_its_area_and_location():
    area = unsaved_area()
    area.save()
    area.refresh_from_db()
    assert 2_240 < float(area.computed_area_km2) < 2_270
    assert area.boundary.contains(area.location)


def test_bulk_created_areas_get_their_area_and_location():
    ProtectedArea.objects.bulk_create([unsaved_area(), unsaved_area(name="Second")])
    for area in ProtectedArea.objects.all():
        assert 2_240 < float(area.computed_area_km2) < 2_270
        assert area.boundary.contains(area.location)


def test_a_partial_save_of_the_boundary_refreshes_its_area():
    area = unsaved_area()
    area.save()
    area.boundary = square(131, 43, 0.25)
    area.save(update_fields=["boundary"])
    area.refresh_from_db()
    assert 560 < float(area.computed_area_km2) < 570
    bulk = ProtectedArea.objects.get(pk=area.pk)
    bulk.boundary = square(131, 43, 0.5)
    ProtectedArea.objects.bulk_update([bulk], ["boundary"])
    area.refresh_from_db()
    assert 2_240 < float(area.computed_area_km2) < 2_270


def test_a_given_location_is_kept():
    area = unsaved_area(location=Point(131.1, 43.1, srid=4326))
    area.save()
    area.refresh_from_db()
    assert area.location.coords == pytest.approx((131.1, 43.1))


def test_the_database_refuses_a_boundary_without_its_derived_values():
    area = unsaved_area()
    area.save()
    with pytest.raises(IntegrityError):
        ProtectedArea.objects.filter(pk=area.pk).update(computed_area_km2=None)
