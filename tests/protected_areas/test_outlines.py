"""The one country-outline selector: simplified, cached, and never stale after a change."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from protected_areas.selectors import country_outlines, page_map_basemap
from tests.factories import CountryFactory, square

pytestmark = pytest.mark.django_db


def extent(geometry_json):
    def points(coordinates):
        if isinstance(coordinates[0], (int, float)):
            return [coordinates]
        return [point for part in coordinates for point in points(part)]

    xs, ys = zip(*points(json.loads(geometry_json)["coordinates"]), strict=True)
    return (min(xs), min(ys), max(xs), max(ys))


def test_the_next_call_after_a_boundary_change_returns_the_new_outline():
    country = CountryFactory(iso_a3="MNG", boundary=square(100, 42, 5))
    (before,) = country_outlines(tolerance=0.01, digits=3)
    assert extent(before.geojson) == (100, 42, 105, 47)

    country.boundary = square(90, 40, 2)
    country.save()

    (after,) = country_outlines(tolerance=0.01, digits=3)
    assert extent(after.geojson) == (90, 40, 92, 42)


def test_added_and_deleted_countries_are_seen_at_once():
    CountryFactory(iso_a3="MNG")
    assert [o.iso_a3 for o in country_outlines(tolerance=None, digits=6)] == ["MNG"]
    korea = CountryFactory(iso_a3="KOR")
    assert [o.iso_a3 for o in country_outlines(tolerance=None, digits=6)] == ["MNG", "KOR"]
    korea.delete()
    assert [o.iso_a3 for o in country_outlines(tolerance=None, digits=6)] == ["MNG"]


def test_a_cached_answer_costs_one_small_query():
    CountryFactory(iso_a3="MNG")
    country_outlines(tolerance=0.01, digits=3)
    with CaptureQueriesContext(connection) as queries:
        country_outlines(tolerance=0.01, digits=3)
    (query,) = queries.captured_queries
    assert "boundary" not in query["sql"].lower(), "the stamp reads no outline"


def test_bbox_and_members_only_choose_the_countries():
    CountryFactory(iso_a3="MNG", boundary=square(100, 42, 5))
    CountryFactory(iso_a3="KAZ", boundary=square(60, 42, 5), is_member=False)
    assert [
        o.iso_a3 for o in country_outlines(tolerance=None, digits=6, bbox=(55, 40, 70, 50))
    ] == ["KAZ"]
    assert [o.iso_a3 for o in country_outlines(tolerance=None, digits=6, members_only=True)] == [
        "MNG"
    ]


def test_the_page_maps_basemap_is_member_states_cut_to_the_region():
    CountryFactory(iso_a3="RUS", boundary=square(30, 50, 150))  # Europe to the Pacific
    CountryFactory(iso_a3="KAZ", boundary=square(60, 42, 5), is_member=False)
    (feature,) = (json.loads(text) for text in page_map_basemap())
    assert feature["properties"] == {"kind": "country", "code": "RUS"}
    assert extent(json.dumps(feature["geometry"])) == (70, 50, 180, 75)
