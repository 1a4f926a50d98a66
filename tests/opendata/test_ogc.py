"""OGC API – Features at /ogc/: the resources, their formats, the parameters, and what the
public may see (published records; sensitive occurrences generalised)."""

import re

import pytest

from tests.opendata.conftest import COLLECTION_IDS, LEOPARD_POINT

pytestmark = pytest.mark.django_db


def items(client, collection, **query):
    response = client.get(f"/ogc/collections/{collection}/items", query)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return response.json()


def test_landing_page_links_the_api_conformance_and_collections(client):
    landing = client.get("/ogc/").json()
    rels = {link["rel"] for link in landing["links"]}
    assert {"self", "alternate", "service-desc", "conformance", "data"} <= rels


def test_conformance_classes(client):
    conforms = client.get("/ogc/conformance").json()["conformsTo"]
    assert {uri.rsplit("/", 1)[1] for uri in conforms} == {"core", "geojson", "html", "oas30"}


def test_collections_are_listed(client):
    found = client.get("/ogc/collections").json()["collections"]
    assert [c["id"] for c in found] == COLLECTION_IDS
    assert client.get("/ogc/collections/occurrences").json()["id"] == "occurrences"


def test_openapi_document(client):
    response = client.get("/ogc/api")
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    document = response.json()
    assert document["openapi"].startswith("3.0")
    assert "/collections/{collectionId}/items" in document["paths"]


@pytest.mark.parametrize("path", ["/ogc/", "/ogc/conformance", "/ogc/collections", "/ogc/api"])
def test_html_by_parameter_and_by_accept(client, path):
    assert client.get(path, {"f": "html"})["Content-Type"].startswith("text/html")
    browser = client.get(path, headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser["Content-Type"].startswith("text/html")
    assert b"<h1>" in browser.content


def test_occurrences_are_published_and_generalised(world, client):
    found = items(client, "occurrences")
    by_id = {feature["id"]: feature for feature in found["features"]}
    assert found["numberMatched"] == found["numberReturned"] == 4
    assert "timeStamp" in found
    leopard = by_id[world.leopard_record.pk]
    assert leopard["properties"]["generalised"] is True
    lon, lat = leopard["geometry"]["coordinates"]
    assert (round(lon, 2), round(lat, 2)) != (
        round(LEOPARD_POINT[0], 2),
        round(LEOPARD_POINT[1], 2),
    )
    for record in world.hidden_records.values():
        assert record.pk not in by_id


def test_even_a_superuser_gets_the_public_generalised_point(world, staff_client, client):
    # Exact points are read in the admin and the map, by permission and country, where each
    # read is logged; a GIS client's copy is the public one, whoever signs in.
    path = f"/ogc/collections/occurrences/items/{world.leopard_record.pk}"
    leopard = staff_client.get(path).json()
    assert leopard["geometry"]["coordinates"] != list(LEOPARD_POINT)
    assert leopard["geometry"] == client.get(path).json()["geometry"]


def test_one_item_and_paging(world, client):
    first = items(client, "occurrences", limit=3)
    assert first["numberReturned"] == 3
    next_link = next(link for link in first["links"] if link["rel"] == "next")
    second = client.get(next_link["href"]).json()
    assert second["numberReturned"] == 1
    assert any(link["rel"] == "prev" for link in second["links"])
    assert not any(link["rel"] == "next" for link in second["links"])
    ids = [f["id"] for f in first["features"] + second["features"]]
    assert ids == sorted(ids)
    one = client.get(f"/ogc/collections/occurrences/items/{ids[0]}").json()
    assert one["id"] == ids[0]


def test_filters(world, client):
    khanka = items(client, "occurrences", bbox="132,44.5,132.6,45")
    assert [f["id"] for f in khanka["features"]] == [world.crane_survey.pk]
    old = items(client, "occurrences", datetime="../2010-12-31")
    assert [f["id"] for f in old["features"]] == [world.crane_literature.pk]
    leopards = items(client, "occurrences", species="amur-leopard")
    assert [f["id"] for f in leopards["features"]] == [world.leopard_record.pk]
    areas = items(client, "protected-areas", country="RUS")
    names = {f["properties"]["name"] for f in areas["features"]}
    assert names == {"Land of the Leopard National Park", "Khanka Nature Reserve"}
    countries = items(client, "countries", country="CHN")
    assert [f["properties"]["country"] for f in countries["features"]] == ["CHN"]


def test_a_sensitive_record_is_not_found_by_a_box_around_its_true_point(world, client):
    lon, lat = LEOPARD_POINT
    found = items(
        client, "occurrences", bbox=f"{lon - 0.001},{lat - 0.001},{lon + 0.001},{lat + 0.001}"
    )
    assert found["numberMatched"] == 0


@pytest.mark.parametrize(
    "query",
    [
        {"bbox": "1,2,3"},
        {"bbox": "10,10,0,0"},
        {"limit": "0"},
        {"limit": "ten"},
        {"offset": "-1"},
        {"datetime": "yesterday"},
        {"datetime": "2020-01-01/2019-01-01"},
        {"country": "mongolia"},
        {"bbox-crs": "EPSG:3857"},
        {"f": "xml"},
    ],
)
def test_bad_parameters_are_ogc_exceptions(world, client, query):
    response = client.get("/ogc/collections/occurrences/items", query)
    assert response.status_code == 400
    assert response.json()["code"] == "InvalidParameterValue"


def test_a_filter_the_collection_lacks_is_refused(client):
    response = client.get("/ogc/collections/countries/items", {"datetime": "2020-01-01"})
    assert response.status_code == 400


def test_a_large_limit_gets_the_maximum(world, client):
    assert items(client, "occurrences", limit="50000")["numberReturned"] == 4


def test_unknown_resources_are_404_exceptions(world, client):
    assert client.get("/ogc/collections/nothing").json()["code"] == "NotFound"
    assert client.get("/ogc/collections/occurrences/items/abc").status_code == 404
    draft = world.hidden_records
    for record in draft.values():
        response = client.get(f"/ogc/collections/occurrences/items/{record.pk}")
        assert response.status_code == 404


@pytest.mark.parametrize("collection", COLLECTION_IDS)
def test_every_collection_serves_json_and_html(world, client, collection):
    assert items(client, collection)["type"] == "FeatureCollection"
    page = client.get(f"/ogc/collections/{collection}/items", {"f": "html"})
    assert page.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/ogc/?f=html",
        "/ogc/collections?f=html",
        "/ogc/collections/occurrences?f=html",
        "/ogc/collections/occurrences/items?f=html&limit=1&offset=1",
    ],
)
def test_html_pages_list_their_formats_without_a_stray_separator(world, client, path):
    page = client.get(path).content.decode()
    formats = re.search(r'<p class="ogc-formats">(.*?)</p>', page, re.S).group(1)
    # JSON and HTML, one separator between them, none after (a page that also has next and
    # previous links used to end with one).
    assert re.fullmatch(r"<a [^>]+>[^<]+</a> · <a [^>]+>[^<]+</a>", formats.strip()), formats
