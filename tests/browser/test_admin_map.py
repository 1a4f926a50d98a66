import pytest
from playwright.sync_api import expect

from tests.browser.test_public_pages import serious_accessibility_violations
from tests.factories import CountryFactory, ProtectedAreaFactory, SpeciesPresenceFactory, square


def test_protected_area_change_page_draws_its_boundary_on_the_map(
    staff_page, live_server, screenshot, external_requests
):
    country = CountryFactory(iso_a3="RUS", name="Russian Federation", boundary=square(130, 42, 3))
    area = ProtectedAreaFactory(
        name="Land of the Leopard National Park", country=country, boundary=square(131, 43, 0.5)
    )
    page = staff_page
    page.goto(f"{live_server.url}/admin/protected_areas/protectedarea/{area.pk}/change/")

    boundary_path = page.locator("#id_boundary-map path.leaflet-interactive")
    boundary_path.first.wait_for()
    box = boundary_path.first.bounding_box()
    assert box["width"] > 50 and box["height"] > 50, "the boundary should fill the map view"
    assert page.locator("#id_location-map").is_visible()
    # The country outline is drawn underneath as a reference, without tiles.
    outline = page.locator("#id_boundary-map .leaflet-reference-outlines-pane path")
    outline.first.wait_for()
    assert outline.count() >= 1
    screenshot("admin-protected-area-change", target=page.locator("#id_boundary-map"))
    assert external_requests == []


@pytest.mark.bypass_csp  # axe-core is injected as an inline script
@pytest.mark.parametrize("width", [1280, 360])
def test_protected_area_change_page_fits_the_screen_and_passes_an_axe_scan(
    staff_page, live_server, width
):
    country = CountryFactory(iso_a3="RUS", name="Russian Federation", boundary=square(130, 42, 3))
    area = ProtectedAreaFactory(
        name="Land of the Leopard National Park", country=country, boundary=square(131, 43, 0.5)
    )
    SpeciesPresenceFactory(protected_area=area, notes="129 adults and at least 14 cubs.")
    page = staff_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/admin/protected_areas/protectedarea/{area.pk}/change/")
    page.locator("#modeltranslation-main-switch").wait_for()
    # The species-presence rows once made the page twice as wide as a 1280 px screen.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the change page is wider than a {width} px screen"
    notes = page.locator("#id_species_presences-0-notes")
    expect(notes).to_have_value("129 adults and at least 14 cubs.")
    expect(page.locator("label[for=id_species_presences-0-notes]")).to_be_visible()
    assert serious_accessibility_violations(page) == []
