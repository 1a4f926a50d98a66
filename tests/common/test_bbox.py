"""One reading of `bbox` for every API that takes one: the map's layers, OGC API – Features
and /api/v1/ accept the same boxes and refuse the others with the same words."""

import pytest
from rest_framework.test import APIClient

from common.bbox import BoundingBoxError, parse_bbox

REFUSED = {
    "1,2,3": "four numbers",
    "a,b,c,d": "four numbers",
    "١,٢,٣,٤": "four numbers",  # other scripts' digits: one URL, one meaning
    "nan,40,120,50": "finite",
    "100,40,200,50": "longitudes",
    "100,-95,120,50": "latitudes",
    "130,40,120,50": "south-west corner first",
}


def test_a_box_is_read_as_four_degrees():
    assert parse_bbox("127.5,41.5,134.5,45") == (127.5, 41.5, 134.5, 45.0)
    assert parse_bbox("-180,-90,180,90") == (-180.0, -90.0, 180.0, 90.0)


@pytest.mark.parametrize(("text", "fix"), REFUSED.items())
def test_an_unusable_box_is_refused_naming_the_fix(text, fix):
    with pytest.raises(BoundingBoxError, match=fix):
        parse_bbox(text)


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "fix"), REFUSED.items())
def test_the_map_ogc_and_the_api_refuse_a_box_alike(client, text, fix):
    with pytest.raises(BoundingBoxError) as refused:
        parse_bbox(text)
    message = str(refused.value)
    layer = client.get("/api/map/protected-areas.geojson", {"bbox": text})
    assert (layer.status_code, layer.json()["error"]) == (400, message)
    ogc = client.get("/ogc/collections/protected-areas/items", {"bbox": text, "f": "json"})
    assert ogc.status_code == 400
    assert message in ogc.json()["description"]
    api = APIClient().get("/api/v1/occurrences/", {"bbox": text})
    assert (api.status_code, api.json()) == (400, {"bbox": [message]})
