"""The one GeoJSON writer, and its embedding in pages."""

import json

from django.contrib.gis.geos import Point
from django.template import Context, Template

from common import geojson


def test_features_and_collections_are_compact_json_with_text_kept_as_is():
    feature = geojson.feature('{"type":"Point","coordinates":[1,2]}', {"name": "ヒョウ", "n": 1})
    assert feature == (
        '{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},'
        '"properties":{"name":"ヒョウ","n":1}}'
    )
    collection = geojson.feature_collection([feature], [None, feature])
    assert json.loads(collection) == {
        "type": "FeatureCollection",
        "features": [json.loads(feature), json.loads(feature)],
    }


def test_a_feature_template_writes_what_feature_writes():
    geometry = geojson.point(131.25, 43.5)
    write = geojson.FeatureTemplate("id", "name", "missing", "approximate")
    written = write(
        geometry, str(7), geojson.text('Say "hi" \\ ок'), geojson.text(None), geojson.boolean(1)
    )
    assert written == geojson.feature(
        geometry, {"id": 7, "name": 'Say "hi" \\ ок', "missing": None, "approximate": True}
    )


def test_a_missing_or_empty_geometry_makes_no_feature():
    assert geojson.geometry_feature(None, kind="area") is None
    assert geojson.geometry_feature(Point(srid=4326), kind="area") is None
    feature = json.loads(geojson.geometry_feature(Point(131, 43, srid=4326), kind="area"))
    assert feature["geometry"] == {"type": "Point", "coordinates": [131.0, 43.0]}


def test_a_page_embeds_a_collection_that_no_text_can_break_out_of():
    collection = geojson.feature_collection(
        [geojson.feature('{"type":"Point","coordinates":[1,2]}', {"name": "</script><b>&"})]
    )
    html = Template('{% load geojson %}{{ data|geojson_script:"m" }}').render(
        Context({"data": collection})
    )
    assert html.startswith('<script id="m" type="application/json">')
    assert "</script><b>" not in html
    body = html.removeprefix('<script id="m" type="application/json">').removesuffix("</script>")
    assert json.loads(body) == json.loads(collection)
