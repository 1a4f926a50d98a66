import math
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.gis.geos import GeometryCollection, Point
from playwright.sync_api import expect

from tests.factories import (
    CountryFactory,
    OccurrenceFactory,
    ProjectFactory,
    ProtectedAreaFactory,
    SpeciesFactory,
    SpeciesRangeFactory,
    TransboundaryLinkFactory,
    square,
)


@pytest.fixture
def border_region(db):
    russia = CountryFactory(iso_a3="RUS", name="Russian Federation", boundary=square(128, 42, 8))
    china = CountryFactory(iso_a3="CHN", name="China", boundary=square(120, 40, 8))
    leopard_park = ProtectedAreaFactory(
        name="Land of the Leopard National Park",
        name_local="Национальный парк «Земля леопарда»",
        country=russia,
        boundary=square(131, 43, 0.5),
    )
    tiger_park = ProtectedAreaFactory(
        name="Northeast China Tiger and Leopard National Park",
        country=china,
        boundary=square(127.5, 43, 0.5),
    )
    TransboundaryLinkFactory(
        name="Land of the Leopard – Tiger and Leopard NP", cooperation_status="informal"
    ).protected_areas.set([leopard_park, tiger_park])
    leopard = SpeciesFactory(slug="amur-leopard", common_name="Amur leopard")
    OccurrenceFactory(species=leopard, location=Point(131.2, 43.2, srid=4326))
    return leopard_park


def view_of(url):
    return {key: values[0] for key, values in parse_qs(urlparse(url).query).items()}


# Closer than the continental zooms, where protected areas are drawn from vector tiles.
CLOSE = "?lat=43.25&lng=129.5&z=7"


def open_map(page, live_server, query=""):
    page.goto(f"{live_server.url}/map/{query}")
    page.locator("#map[data-loaded-protected-areas], #map[data-tiles-protected-areas]").wait_for(
        state="attached"
    )


def pixel_of(page, lon, lat):
    """Where a point is drawn in the page, from the view in the permalink (Web Mercator)."""
    view = view_of(page.url)
    size = 256 * 2 ** int(view["z"])

    def world(lon, lat):
        y = math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat)))
        return (lon + 180) / 360 * size, (1 - y / math.pi) / 2 * size

    box = page.locator("#map").bounding_box()
    centre = world(float(view["lng"]), float(view["lat"]))
    point = world(lon, lat)
    return (
        box["x"] + box["width"] / 2 + point[0] - centre[0],
        box["y"] + box["height"] / 2 + point[1] - centre[1],
    )


def test_map_loads_with_protected_areas_drawn_and_nothing_external(
    page, live_server, border_region, screenshot, external_requests
):
    open_map(page, live_server)
    # The region's view: areas from vector tiles, listed as text all the same.
    page.locator("#map[data-tiles-protected-areas='2']").wait_for(state="attached")
    # The list follows the tiles drawn: a later layer's load may redraw it while tiles reload.
    expect(page.locator("#features-in-view")).to_contain_text("Land of the Leopard National Park")
    screenshot("map-region")
    # Closer: the GeoJSON layers.
    open_map(page, live_server, CLOSE)
    areas = page.locator("path.pa-feature")
    areas.first.wait_for()
    expect(areas).to_have_count(2)
    expect(page.locator("path.country-feature")).to_have_count(2)
    assert "do not imply official endorsement" in page.locator(".map-disclaimer").inner_text()
    assert "Natural Earth" in page.locator(".leaflet-control-attribution").inner_text()
    assert external_requests == []


def test_a_continental_view_draws_areas_from_tiles_and_a_click_opens_the_details(
    page, live_server, border_region, screenshot
):
    open_map(page, live_server, "?lat=43.25&lng=129.75&z=6")
    page.locator("#map[data-tiles-protected-areas='2']").wait_for(state="attached")
    expect(page.locator("path.pa-feature")).to_have_count(0)
    # Inside the park, away from the complex's line that ends at the park's point.
    x, y = pixel_of(page, 131.45, 43.45)
    # On a loaded machine the canvas under the pointer may be drawn after the first move:
    # move onto the spot again until the tooltip shows (it must, within a few tries).
    for _ in range(5):
        page.mouse.move(x + 8, y + 8)
        page.mouse.move(x, y)
        if page.locator(".leaflet-tooltip").count():
            break
        page.wait_for_timeout(500)
    expect(page.locator(".leaflet-tooltip")).to_contain_text("Land of the Leopard National Park")
    page.mouse.click(x, y)
    expect(page.locator("#details h3")).to_have_text("Land of the Leopard National Park")
    screenshot("map-tiles-details")
    # Where the line ends at the park, both are offered (once the line is drawn).
    page.locator("#map[data-loaded-transboundary='1']").wait_for(state="attached")
    x, y = pixel_of(page, *border_region.location.coords)
    page.mouse.click(x, y)
    chooser = page.locator(".feature-chooser")
    chooser.wait_for()
    expect(chooser).to_contain_text("Land of the Leopard National Park")
    expect(chooser).to_contain_text("Land of the Leopard – Tiger and Leopard NP")


def test_toggling_a_layer_hides_and_shows_it(page, live_server, border_region):
    open_map(page, live_server, CLOSE)
    page.locator("path.pa-feature").first.wait_for()

    page.get_by_label("Protected areas", exact=True).uncheck()
    expect(page.locator("path.pa-feature")).to_have_count(0)
    assert "layers=" in page.url and "protected-areas" not in view_of(page.url)["layers"]

    page.get_by_label("Protected areas", exact=True).check()
    page.locator("path.pa-feature").first.wait_for()
    expect(page.locator("path.pa-feature")).to_have_count(2)


def test_search_zooms_to_the_area_and_the_details_link_to_its_page(
    page, live_server, border_region, screenshot
):
    open_map(page, live_server)
    page.get_by_label("Protected area or species, in any language").fill("Land of the Leopard")
    page.keyboard.press("Enter")

    page_link = page.locator("#details a.detail-page-link")
    page_link.wait_for()
    assert page_link.get_attribute("href") == border_region.get_absolute_url()
    assert page.locator("#details h3").inner_text() == "Land of the Leopard National Park"
    page.wait_for_function("Number(new URLSearchParams(location.search).get('z')) >= 9")
    view = view_of(page.url)
    assert float(view["lat"]) == pytest.approx(43.25, abs=0.05)
    assert float(view["lng"]) == pytest.approx(131.25, abs=0.05)
    # The layer is reloaded for the new view: wait until the redrawn park fills much of it.
    page.wait_for_function(
        "() => [...document.querySelectorAll('path.pa-feature')]"
        ".some((path) => path.getBoundingClientRect().width > 200)"
    )
    screenshot("map-search-land-of-the-leopard")

    page_link.click()
    page.wait_for_url(f"{live_server.url}{border_region.get_absolute_url()}")


def test_staff_see_an_admin_link_in_the_details(staff_page, live_server, border_region):
    page = staff_page
    open_map(page, live_server)
    page.get_by_label("Protected area or species, in any language").fill("Земля леопарда")
    page.keyboard.press("Enter")
    admin_link = page.locator("#details a.detail-admin-link")
    admin_link.wait_for()
    assert admin_link.get_attribute("href") == (
        f"/admin/protected_areas/protectedarea/{border_region.pk}/change/"
    )


def test_the_permalink_restores_the_same_view(browser, page, live_server, border_region):
    open_map(page, live_server)
    page.get_by_label("Protected area or species, in any language").fill("Land of the Leopard")
    page.keyboard.press("Enter")
    page.locator("#details a.detail-page-link").wait_for()
    page.get_by_label("Transboundary complexes").uncheck()
    page.get_by_label("Country", exact=True).select_option("RUS")
    page.wait_for_function("new URLSearchParams(location.search).get('country') === 'RUS'")
    sent = page.url

    colleague = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    colleague.goto(sent)
    colleague.locator("#map[data-loaded-protected-areas]").wait_for(state="attached")
    colleague.locator("#details a.detail-page-link").wait_for()

    received = view_of(colleague.url)
    assert received == view_of(sent)
    assert colleague.get_by_label("Transboundary complexes").is_checked() is False
    assert colleague.get_by_label("Country", exact=True).input_value() == "RUS"
    expect(colleague.locator("path.pa-feature")).to_have_count(1)
    assert colleague.locator("#details h3").inner_text() == "Land of the Leopard National Park"
    colleague.context.close()


def test_controls_work_from_the_keyboard(page, live_server, border_region):
    open_map(page, live_server, CLOSE)
    page.locator("path.pa-feature").first.wait_for()
    in_view = page.locator("#features-in-view button", has_text="Land of the Leopard National")
    in_view.focus()
    page.keyboard.press("Enter")
    page.locator("#details a.detail-page-link").wait_for()
    assert page.evaluate("document.activeElement.id") == "details-heading"

    layer_box = page.get_by_label("Protected areas", exact=True)
    layer_box.focus()
    page.keyboard.press("Space")
    expect(page.locator("path.pa-feature")).to_have_count(0)


@pytest.mark.parametrize(
    ("query", "found"), [("Дауры", "Daursky Nature Reserve"), ("두루미", "Hooded crane")]
)
def test_search_finds_the_placeholder_examples(page, live_server, border_region, query, found):
    daursky = ProtectedAreaFactory(
        name="Daursky Nature Reserve",
        country=border_region.country,
        boundary=square(115.5, 50, 0.5),
    )
    daursky.name_ru = "Даурский заповедник"
    daursky.save()
    crane = SpeciesFactory(slug="hooded-crane", common_name="Hooded crane")
    crane.common_name_ko = "흑두루미"
    crane.save()
    OccurrenceFactory(species=crane, location=Point(127.0, 37.5, srid=4326))

    open_map(page, live_server)
    page.get_by_label("Protected area or species, in any language").fill(query)
    page.keyboard.press("Enter")
    expect(page.locator("#details h3")).to_have_text(found)


def test_without_range_maps_the_range_layer_is_off_and_says_so(page, live_server, border_region):
    open_map(page, live_server, CLOSE)
    ranges_box = page.get_by_label("Species ranges", exact=True)
    expect(ranges_box).to_be_disabled()
    expect(ranges_box).not_to_be_checked()
    expect(page.locator("#ranges-none")).to_be_visible()
    expect(page.locator("#ranges-none")).to_contain_text("No range map is recorded")
    expect(page.locator("#legend-seasons")).to_be_hidden()
    expect(page.locator("input[data-range-species]")).to_have_count(0)
    # Projects are drawn at their own sites only: none here, and the layer says so.
    projects_box = page.get_by_label("Project sites", exact=True)
    expect(projects_box).to_be_disabled()
    expect(page.locator("#projects-none")).to_be_visible()
    page.locator("path.pa-feature").first.wait_for()
    assert "species-ranges" not in view_of(page.url)["layers"]
    assert "projects" not in view_of(page.url)["layers"]


def test_species_with_a_range_get_a_toggle_and_the_legend(page, live_server, border_region):
    leopard = SpeciesFactory._meta.model.objects.get(slug="amur-leopard")
    SpeciesRangeFactory(species=leopard, geometry=square(130, 42, 2))
    SpeciesFactory(slug="snow-leopard", common_name="Snow leopard")  # no range
    open_map(page, live_server)
    expect(page.get_by_label("Species ranges", exact=True)).to_be_checked()
    expect(page.locator("#ranges-none")).to_be_hidden()
    expect(page.locator("input[data-range-species]")).to_have_count(1)
    expect(page.locator("input[data-range-species='amur-leopard']")).to_be_checked()
    expect(page.locator("path.range-feature").first).to_be_attached()


def test_a_project_at_a_park_is_chosen_from_a_list_not_opened_by_the_park(
    page, live_server, border_region
):
    site = border_region.boundary.point_on_surface
    ProjectFactory(title="Birds project", acronym="BIRDS", sites=None).protected_areas.set(
        [border_region]
    )
    ProjectFactory(
        title="Leopard camera traps",
        acronym="CAM",
        sites=GeometryCollection(Point(site.x, site.y), srid=4326),
    )
    open_map(page, live_server, "?lat=43.25&lng=131.25&z=9")
    page.locator("path.project-feature").first.wait_for()
    # Only the project with its own site is drawn; the park's point is not a project's.
    expect(page.locator("path.project-feature")).to_have_count(1)

    # Where the click lands, not which element is on top, decides: click the spot.
    marker = page.locator("path.project-feature").first.bounding_box()
    page.mouse.click(marker["x"] + marker["width"] / 2, marker["y"] + marker["height"] / 2)
    chooser = page.locator(".feature-chooser")
    chooser.wait_for()
    # The park, the project at it, and the complex's line ending at the park's point.
    expect(chooser.locator("li button")).to_have_count(3)
    expect(chooser).to_contain_text("Leopard camera traps")
    expect(chooser).to_contain_text("Land of the Leopard National Park")
    chooser.locator("button", has_text="Land of the Leopard National Park").click()
    expect(page.locator("#details h3")).to_have_text("Land of the Leopard National Park")


def test_bubbles_count_records_and_tooltips_name_individuals_as_individuals(
    page, live_server, border_region
):
    leopard = SpeciesFactory._meta.model.objects.get(slug="amur-leopard")
    OccurrenceFactory(species=leopard, location=Point(131.21, 43.21, srid=4326), count=125)
    OccurrenceFactory(species=leopard, location=Point(131.22, 43.2, srid=4326), count=129)
    # Close up: single records, clustered by the browser into one bubble of three records.
    open_map(page, live_server, "?lat=43.2&lng=131.2&z=10&layers=protected-areas,occurrences")
    bubble = page.locator(".occurrence-cluster span")
    bubble.first.wait_for()
    expect(bubble).to_have_text("3")
    # Zoomed out: the grid's cell counts the same three records.
    open_map(page, live_server, "?lat=43.2&lng=131.2&z=7&layers=protected-areas,occurrences")
    page.locator(".occurrence-marker span, .occurrence-cluster span").first.wait_for()
    shown = page.locator(".occurrence-marker span, .occurrence-cluster span").all_inner_texts()
    assert shown == ["3"]

    open_map(page, live_server, "?lat=43.205&lng=131.21&z=15&layers=protected-areas,occurrences")
    marker = page.locator(".occurrence-marker").first
    marker.wait_for()
    texts = []
    for each in page.locator(".occurrence-marker").all():
        each.hover()
        texts.append(page.locator(".leaflet-tooltip").last.inner_text())
    joined = " | ".join(texts)
    assert "129 individuals" in joined and "125 individuals" in joined
    assert "129 records" not in joined and "125 records" not in joined


def test_on_a_phone_the_header_menu_and_languages_stay_reachable(
    browser, live_server, border_region, screenshot
):
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = phone.new_page()
    open_map(page, live_server, "?lat=43.2&lng=131.2&z=7")
    header = page.locator(".map-header")
    box = header.bounding_box()
    assert box["y"] >= 0 and box["height"] >= 30
    expect(page.locator("#permalink")).to_be_in_viewport()
    map_box = page.locator("#map").bounding_box()
    disclaimer = page.locator(".map-disclaimer").bounding_box()
    attribution = page.locator(".leaflet-control-attribution").bounding_box()
    covered = (
        disclaimer["width"] * disclaimer["height"] + attribution["width"] * attribution["height"]
    )
    assert covered < 0.15 * map_box["width"] * map_box["height"]

    page.locator(".map-menu summary").click()
    expect(page.locator(".map-menu nav a", has_text="Species")).to_be_visible()
    screenshot("map-phone-menu")
    page.locator(".map-languages a[hreflang=ko]").click()
    page.wait_for_url("**/ko/map/**")
    assert view_of(page.url)["z"] == "7"
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    phone.close()
