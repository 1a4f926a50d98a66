"""The protected-area layer written by PostGIS (common/geojson_sql.py) against the Python
writer it stands in for: the same bytes, so the ETag, the caches and every client see one
layer whichever wrote it; and its query, compiled once per shape, answers each view with
that view's own box."""

import json

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.utils import translation

from common import geojson
from common.models import BoundaryQuality
from common.sql import BOX_PLACEHOLDER, bind_box
from maps.params import LayerParams
from maps.selectors import layers
from tests.factories import ProtectedAreaFactory, SpeciesFactory, SpeciesPresenceFactory, square

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the database writes the layer on PostGIS"
    ),
]

AWKWARD_NAMES = [
    'The "Leopard" park',
    "Back\\slash and / slash",
    "Line\nbreak, tab\tand \x01 control",
    "Хасанский природный парк",
    "兴凯湖国家级自然保护区",
    "Line separator \u2028 and emoji 🐯",
    "</script><b>markup</b>",
    "",
]


def python_written(params) -> str:
    return geojson.feature_collection(layers.protected_areas_layer(params))


@pytest.fixture
def awkward_areas(russia, mongolia):
    areas = [
        ProtectedAreaFactory(
            country=russia if number % 2 else mongolia,
            name=name,
            boundary=square(128 + number * 0.5, 43, 0.3),
            boundary_quality=(
                BoundaryQuality.APPROXIMATE if number % 3 == 0 else BoundaryQuality.SURVEYED
            ),
        )
        for number, name in enumerate(AWKWARD_NAMES)
    ]
    ProtectedAreaFactory(
        country=russia, name="Only a point", boundary=None, location=Point(131.5, 44.5, srid=4326)
    )
    ProtectedAreaFactory(country=russia, name_ja="ヒョウの地", name="Land of the Leopard")
    return areas


@pytest.mark.parametrize(
    "params",
    [
        LayerParams(),
        LayerParams(zoom=4),
        LayerParams(zoom=8, bbox=(127.5, 41.5, 134.5, 45)),
        LayerParams(zoom=12, bbox=(128, 42.5, 130, 43.5)),
        LayerParams(zoom=6, countries=("RUS",)),
        LayerParams(zoom=6, bbox=(0, 0, 1, 1)),
    ],
    ids=["all", "zoom 4", "border view", "close view", "country", "empty view"],
)
@pytest.mark.parametrize("language", ["en", "ja", "ru"])
def test_the_database_writes_the_layer_byte_for_byte_as_python(awkward_areas, params, language):
    with translation.override(language):
        written = layers.layer_collection("protected-areas", params)
        assert written == python_written(params)
    json.loads(written)  # and it is JSON


def test_names_come_back_as_they_were_saved(awkward_areas):
    collection = json.loads(layers.layer_collection("protected-areas", LayerParams()))
    names = {feature["properties"]["name"] for feature in collection["features"]}
    assert set(AWKWARD_NAMES) <= names


def test_a_species_filter_is_written_the_same(awkward_areas):
    tiger = SpeciesFactory(slug="amur-tiger")
    SpeciesPresenceFactory(species=tiger, protected_area=awkward_areas[1])
    params = LayerParams(zoom=8, species=("amur-tiger",))
    written = layers.layer_collection("protected-areas", params)
    assert written == python_written(params)
    assert [f["properties"]["id"] for f in json.loads(written)["features"]] == [awkward_areas[1].pk]


def test_each_view_gets_its_own_box_from_the_query_compiled_once(russia):
    west = ProtectedAreaFactory(country=russia, name="West", boundary=square(126, 41, 0.3))
    east = ProtectedAreaFactory(country=russia, name="East", boundary=square(138, 53, 0.3))

    def ids_in(bbox):
        params = LayerParams(zoom=8, bbox=bbox)
        collection = json.loads(layers.layer_collection("protected-areas", params))
        return [feature["properties"]["id"] for feature in collection["features"]]

    # The same shape of request each time: the second and third reuse the first's query.
    assert ids_in((125, 40, 127, 42)) == [west.pk]
    assert ids_in((137, 52, 139, 54)) == [east.pk]
    assert ids_in((125, 40, 139, 54)) == [west.pk, east.pk]
    assert ids_in(BOX_PLACEHOLDER) == []


def test_binding_a_box_refuses_a_query_compiled_without_the_placeholder():
    with pytest.raises(ValueError, match="BOX_PLACEHOLDER"):
        bind_box(["published", 8], (125, 40, 127, 42), connection)
