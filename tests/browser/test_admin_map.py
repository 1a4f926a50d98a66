from tests.factories import CountryFactory, ProtectedAreaFactory, square


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
