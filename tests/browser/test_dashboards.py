import io

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.management import call_command

from dashboards.registry import INDICATORS
from tests.browser.test_public_pages import serious_accessibility_violations
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
    assert cards.count() == len(INDICATORS)
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


@pytest.mark.bypass_csp  # axe-core is injected as an inline script
@pytest.mark.parametrize("width", [1280, 360])
def test_border_and_range_pages_pass_an_axe_scan_and_fit_the_screen(
    page, live_server, screenshot, width
):
    _records()
    page.set_viewport_size({"width": width, "height": 900})
    for path in (
        "/dashboards/border-protection/",
        "/ru/dashboards/border-protection/",
        "/dashboards/range-protection/",
    ):
        page.goto(f"{live_server.url}{path}")
        # The tables scroll sideways on a phone: each is a named region a keyboard can reach.
        for table in page.locator(".dash-table").all():
            assert table.get_attribute("tabindex") == "0"
            assert table.get_attribute("aria-label")
        if width == 360:
            # On a phone a row is a card: each value under its column's name, no sideways scroll.
            cells = page.locator("section[aria-labelledby=data-heading] tbody td[data-label]")
            header = page.locator("section[aria-labelledby=data-heading] thead th").first
            if cells.count():  # not when the table says it has no records yet
                label = cells.first.evaluate("td => getComputedStyle(td, '::before').content")
                assert label == f'"{header.text_content()}"'
            for table in page.locator(".dash-table").all():
                assert table.evaluate("t => t.scrollWidth <= t.clientWidth"), path
        assert serious_accessibility_violations(page) == [], path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is wider than a {width} px screen"


def test_border_map_is_centred_on_the_borders_it_draws(page, live_server, screenshot):
    # A border running from 20° to 75° N, as long as Russia's with China and Mongolia: the
    # map holds it only at zoom 2, where a 1280 px page is wider than the world.
    for code, west in (("CHN", 120), ("RUS", 130)):
        CountryFactory(
            iso_a3=code,
            boundary=MultiPolygon(Polygon.from_bbox((west, 20, west + 10, 75)), srid=4326),
        )
    call_command("rebuild_dashboards", "--indicator", "border-protection", stdout=io.StringIO())
    page.add_init_script(
        "window.addEventListener('map:init', (e) => { window.dashMap = e.detail.map; })"
    )
    page.goto(f"{live_server.url}/dashboards/border-protection/")
    page.locator("#dash-map path.leaflet-interactive").first.wait_for()
    # Centred on the border at 130° E, not pulled to Greenwich by a one-world bound.
    centre = page.evaluate("window.dashMap.getCenter().lng")
    assert 125 < centre < 135
    screenshot("dashboards-border-protection-map", target=page.locator("#dash-map"))


def test_on_a_phone_the_chart_s_names_fit_beside_the_bars(page, live_server, screenshot):
    CountryFactory(
        iso_a3="PRK", name="Democratic People's Republic of Korea", boundary=square(128, 40, 2)
    )
    _records()
    page.set_viewport_size({"width": 360, "height": 900})
    page.goto(f"{live_server.url}/dashboards/border-protection/")
    page.wait_for_function("Chart.getChart('chart-0') !== undefined")
    # Chart.js cuts a name wider than the room left of the bars at the canvas edge.
    widest, room = page.evaluate(
        """() => {
          const chart = Chart.getChart('chart-0');
          const axis = chart.scales.y;
          chart.ctx.font = Chart.helpers.toFont(axis.options.ticks.font).string;
          const names = chart.data.labels.flat();
          return [Math.max(...names.map((n) => chart.ctx.measureText(n).width)), axis.width];
        }"""
    )
    assert widest <= room
    # And every bar keeps its name (Chart.js may skip names it finds too tall).
    assert page.evaluate(
        "(() => { const c = Chart.getChart('chart-0'); "
        "return c.scales.y.ticks.length === c.data.labels.length; })()"
    )
    screenshot("dashboards-border-protection-chart-phone", target=page.locator(".dash-chart"))
