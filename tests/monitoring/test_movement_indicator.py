"""The transborder movement indicator on the Tumen leopards (tests/monitoring/conftest.py),
its figures worked out by hand; its page, CSV and JSON, which carry counts and grid cells
and never a station, a sample or an exact point."""

import csv
import io
import json

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point

from common.geometry import snap_to_equal_area_grid
from dashboards.indicators import transborder_movement
from dashboards.services import dashboard_snapshot_rebuild
from monitoring.services import identity_match_confirm

from .conftest import EXACT_POINTS, propose_l2_is_g1, rendered_exact_points

pytestmark = pytest.mark.django_db
SLUG = "transborder-movement"


@pytest.fixture
def matched(tumen, alice, boris):
    """L2 (China's camera) and G1 (Russia's scat) confirmed as one leopard."""
    identity_match_confirm(user=boris, match=propose_l2_is_g1(tumen, alice))
    return tumen


def test_the_figures_by_hand(matched):
    data = transborder_movement(grid_m=10_000)
    # Publicly: L1, the identity L2 = G1, L3 (its Russian record is a draft), and nothing
    # of the draft dataset's D1.
    assert data["animals_identified"] == 3
    assert data["animals_crossing"] == 2
    assert data["pairs"] == [
        {
            "species": "amur-leopard",
            "a": "CHN",
            "b": "RUS",
            "animals": 2,
            "first": "2015-03-01",  # L1 in China
            "last": "2015-07-15",  # G1's scat in Russia
            "detections_a": 3,  # L1 twice, L2 once
            "detections_b": 2,  # L1 once, G1 once
        }
    ]
    l1, identity = data["animals"]
    assert [c["code"] for c in l1["codes"]] == ["L1"]
    assert l1["countries"] == [
        {"country": "CHN", "first": "2015-03-01", "last": "2015-03-20", "detections": 2},
        {"country": "RUS", "first": "2015-04-05", "last": "2015-04-05", "detections": 1},
    ]
    assert identity["kind"] == "identity"
    assert [(c["code"], c["dataset"]) for c in identity["codes"]] == [
        ("L2", "tumen-cameras"),
        ("G1", "tumen-scats"),
    ]
    assert (identity["first"], identity["last"], identity["detections"]) == (
        "2015-06-01",
        "2015-07-15",
        2,
    )


def test_the_map_has_grid_cells_with_counts_only(matched):
    data = transborder_movement(grid_m=10_000)
    expected: dict[tuple, int] = {}
    # L1: CN-01 ×2, RU-01 ×1; L2: CN-01; G1: the Russian sample.
    for point, n in ((EXACT_POINTS[0], 3), (EXACT_POINTS[1], 1), (EXACT_POINTS[2], 1)):
        node = snap_to_equal_area_grid(Point(*point, srid=4326), 10_000)
        key = (round(node.x, 4), round(node.y, 4))
        expected[key] = expected.get(key, 0) + n
    assert {(c["lon"], c["lat"]): c["detections"] for c in data["cells"]} == expected
    assert sum(c["detections"] for c in data["cells"]) == 5


def test_a_draft_dataset_and_draft_occurrences_never_count(tumen):
    data = transborder_movement(grid_m=10_000)
    assert data["animals_crossing"] == 1  # L1 only: not D1 (draft dataset), not L3
    assert "D1" not in json.dumps(data) and "draft-cameras" not in json.dumps(data)


def test_page_csv_and_json(matched, client):
    dashboard_snapshot_rebuild(indicator=SLUG)
    page = client.get(f"/dashboards/{SLUG}/").content.decode()
    assert "Transborder movement of individual animals" in page
    assert (
        "animals known to use more than one country" in client.get("/dashboards/").content.decode()
    )
    assert "L2 (Tumen camera network) = G1 (Tumen scat genotypes)" in page
    assert "Unreleased draft camera network" not in page

    rows = list(csv.reader(io.StringIO(client.get(f"/dashboards/{SLUG}.csv").content.decode())))
    assert rows == [
        [
            "Species",
            "Country A",
            "Country B",
            "Animals detected in both",
            "First detection",
            "Last detection",
            "Detections in A",
            "Detections in B",
        ],
        ["Amur leopard", "China", "Russian Federation", "2", "2015-03-01", "2015-07-15", "3", "2"],
    ]
    document = client.get(f"/dashboards/{SLUG}.json").json()
    assert document["parameters"] == {"grid_m": settings.SENSITIVE_GRID_M}
    assert document["data"]["pairs"][0]["a"] == "CHN"  # codes stored, names rendered
    for response in (page, json.dumps(document)):
        assert rendered_exact_points(response) == []
        assert "CN-01" not in response and "RU-01" not in response  # no station ids


def test_country_names_follow_the_readers_language(matched, client):
    from protected_areas.models import Country  # noqa: PLC0415

    Country.objects.filter(iso_a3="RUS").update(name_ru="Российская Федерация")
    dashboard_snapshot_rebuild(indicator=SLUG)
    page = client.get(f"/ru/dashboards/{SLUG}/").content.decode()
    assert "Российская Федерация" in page


def test_a_confirmed_match_rebuilds_the_indicator(
    tumen, alice, boris, django_capture_on_commit_callbacks
):
    from dashboards.models import DashboardSnapshot  # noqa: PLC0415

    dashboard_snapshot_rebuild(indicator=SLUG)
    match = propose_l2_is_g1(tumen, alice)
    with django_capture_on_commit_callbacks(execute=True):
        identity_match_confirm(user=boris, match=match)
    # The edit queued the indicator's Celery task (run eagerly without a broker).
    latest = DashboardSnapshot.objects.latest_for(SLUG, {"grid_m": settings.SENSITIVE_GRID_M})
    assert latest.data["animals_crossing"] == 2
