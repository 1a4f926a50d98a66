"""Dashboard pages, JSON and CSV: they read snapshots and never compute."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template import Context, Template

from dashboards.indicators import population_trends
from dashboards.models import (
    DashboardRebuildRequest,
    DashboardSnapshot,
    canonical_json,
    fingerprint,
)
from dashboards.registry import INDICATORS
from tests.factories import PopulationEstimateFactory, SpeciesFactory

pytestmark = pytest.mark.django_db
SLUGS = list(INDICATORS)


def test_pages_before_anything_is_computed(client):
    response = client.get("/dashboards/")
    assert response.status_code == 200
    assert response.content.decode().count("Not computed yet") == len(SLUGS)
    for slug in SLUGS:
        page = client.get(f"/dashboards/{slug}/")
        assert page.status_code == 200
        assert "has not been computed yet" in page.content.decode()
        assert client.get(f"/dashboards/{slug}.json").status_code == 404
        assert client.get(f"/dashboards/{slug}.csv").status_code == 404
    assert client.get("/dashboards/no-such-thing/").status_code == 404


@pytest.fixture
def computed(world):
    call_command("rebuild_dashboards", stdout=io.StringIO())


@pytest.fixture
def no_computing(monkeypatch):
    """Pages must not compute: any indicator computed now fails the test."""

    def refuse(**parameters):
        raise AssertionError("a page computed an indicator")

    for indicator in INDICATORS.values():
        monkeypatch.setattr(indicator, "compute", refuse)


def test_overview_shows_headline_figures(client, computed, no_computing):
    content = client.get("/dashboards/").content.decode()
    assert "Not computed yet" not in content
    assert "protected-area pairs within 10 km across a border" in content
    assert "Computed" in content


@pytest.mark.parametrize("slug", SLUGS)
def test_each_page_has_charts_tables_downloads_and_sources(
    client, computed, no_computing, slug, django_assert_max_num_queries
):
    # Plus one query per kind of record the page names in the reader's language (countries,
    # species, protected areas, links): a constant, whatever the size of the data.
    with django_assert_max_num_queries(4 + 3):
        response = client.get(f"/dashboards/{slug}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert f'href="/dashboards/{slug}.csv"' in content
    assert f'href="/dashboards/{slug}.json"' in content
    assert "Computation time" in content
    assert "Data sources:" in content
    assert "vendor/chart.js/chart.umd.min.js" in content
    spatial_maps = {"transboundary-pairs", "border-protection"}
    assert ("dash-map" in content) == (slug in spatial_maps)


def test_pairs_page_lists_candidates_and_draws_them(client, computed):
    content = client.get("/dashboards/transboundary-pairs/").content.decode()
    assert "none: candidate" in content
    assert '"LineString"' in content  # the map's data


def test_json_download(client, computed, database_label):
    data = client.get("/dashboards/transboundary-pairs.json").json()
    assert data["indicator"] == "transboundary-pairs"
    assert data["parameters"] == {"max_distance_km": 10.0}
    assert data["computed_on"] == database_label
    assert data["data"]["pair_count"] == 4


def test_csv_download(client, computed):
    response = client.get("/dashboards/border-protection.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Member state", "Land neighbours", "Zone (km²)"]
    assert {row[0] for row in rows[1:]} == {"Aland", "Beland"}


def test_command_rebuilds_one_indicator(db):
    out = io.StringIO()
    call_command("rebuild_dashboards", indicator=["meeting-follow-up"], stdout=out)
    assert "meeting-follow-up" in out.getvalue()
    assert list(DashboardSnapshot.objects.values_list("indicator", flat=True)) == [
        "meeting-follow-up"
    ]


def test_command_refuses_an_unknown_indicator(db):
    with pytest.raises(CommandError):
        call_command("rebuild_dashboards", indicator=["nonsense"])


def test_admin_action_rebuilds(staff_client, dashboard_defaults):
    pk = DashboardRebuildRequest.objects.get(indicator="project-portfolio").pk
    response = staff_client.post(
        "/admin/dashboards/dashboardrebuildrequest/",
        {"action": "rebuild", "_selected_action": [pk]},
        follow=True,
    )
    assert "Rebuild queued: project-portfolio" in response.content.decode()
    # Tests run tasks eagerly (no REDIS_URL), so the snapshot is there already.
    assert DashboardSnapshot.objects.filter(indicator="project-portfolio").exists()


def test_admin_lists_snapshots_and_task_results(staff_client, computed, dashboard_defaults):
    assert staff_client.get("/admin/dashboards/dashboardsnapshot/").status_code == 200
    assert staff_client.get("/admin/django_celery_results/taskresult/").status_code == 200
    periodic = staff_client.get("/admin/django_celery_beat/periodictask/")
    assert "Rebuild all dashboards" in periodic.content.decode()


def test_species_figures_come_from_the_snapshots(db, no_computing):
    crane = SpeciesFactory(slug="crane")
    PopulationEstimateFactory(species=crane, year=2010, count=100)
    PopulationEstimateFactory(species=crane, year=2020, count=150)
    rendered = Template("{% load dashboards %}{% species_dashboard species %}")
    assert rendered.render(Context({"species": crane})).strip() == ""  # nothing computed yet
    data = population_trends()  # as a task would have computed it
    DashboardSnapshot.objects.create(
        indicator="population-trends",
        parameters={},
        parameters_key=canonical_json({}),
        duration_seconds=0.1,
        database="PostGIS",
        data=data,
        data_sha256=fingerprint(data),
    )
    html = rendered.render(Context({"species": crane}))
    assert "150 individuals" in html
    assert "up 50.0 % from the 2010 estimate" in html
