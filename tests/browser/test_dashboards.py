import io

from django.core.management import call_command

from tests.factories import (
    CountryFactory,
    DecisionFactory,
    PopulationEstimateFactory,
    ProjectFactory,
    ProtectedAreaFactory,
    TransboundaryLinkFactory,
    square,
)


def _records():
    west = CountryFactory(iso_a3="CHN", name="China", boundary=square(128, 42, 2))
    east = CountryFactory(iso_a3="RUS", name="Russian Federation", boundary=square(130, 42, 2))
    linked = ProtectedAreaFactory(name="Hunchun", country=west, boundary=square(129.7, 43, 0.3))
    partner = ProtectedAreaFactory(
        name="Land of the Leopard", country=east, boundary=square(130, 43, 0.4)
    )
    ProtectedAreaFactory(name="Candidate", country=west, boundary=square(129.8, 42.4, 0.15))
    ProtectedAreaFactory(name="Kedrovaya Pad", country=east, boundary=square(130.02, 42.4, 0.2))
    TransboundaryLinkFactory(name="Tiger complex").protected_areas.set([linked, partner])
    PopulationEstimateFactory(year=2015, count=80)
    PopulationEstimateFactory(year=2024, count=120)
    ProjectFactory(status="ongoing")
    DecisionFactory(follow_up_status="done")
    DecisionFactory(follow_up_status="pending")
    call_command("rebuild_dashboards", stdout=io.StringIO())


def test_overview_shows_every_dashboard_with_its_figures(
    page, live_server, screenshot, external_requests
):
    _records()
    page.goto(f"{live_server.url}/dashboards/")
    cards = page.locator(".dash-card")
    assert cards.count() == 6
    assert page.locator(".dash-card", has_text="Not computed yet").count() == 0
    pairs = page.locator(".dash-card", has_text="Transboundary protected-area pairs")
    assert "of them not yet in any transboundary link" in pairs.inner_text()
    screenshot("dashboards-overview", full_page=True)
    assert external_requests == []


def test_pairs_page_draws_chart_and_map(page, live_server, screenshot, external_requests):
    _records()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/dashboards/transboundary-pairs/")
    page.locator("#dash-map path.leaflet-interactive").first.wait_for()
    # Chart.js sized the canvas and drew into it.
    assert page.evaluate("Chart.getChart('chart-0') !== undefined")
    assert page.locator("#dash-map path.leaflet-interactive").count() >= 3
    assert page.get_by_text("none: candidate").count() >= 1
    screenshot("dashboards-transboundary-pairs", full_page=True)
    assert errors == []
    assert external_requests == []
