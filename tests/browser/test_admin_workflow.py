"""The Secretariat's change page in a browser: the workflow buttons, and a rejected boundary
explained in words with its faulty spot marked on the map."""

import json

from common.models import PublicationState
from governance.models import PublicationEvent
from tests.factories import CountryFactory, ProtectedAreaFactory, square

BOWTIE = {
    "type": "MultiPolygon",
    "coordinates": [[[[131, 43], [132, 44], [132, 43], [131, 44], [131, 43]]]],
}


def a_draft_area():
    country = CountryFactory(iso_a3="RUS", name="Russian Federation", boundary=square(130, 42, 3))
    return ProtectedAreaFactory(
        name="Land of the Leopard National Park",
        country=country,
        boundary=square(131, 43, 0.5),
        publication_state=PublicationState.DRAFT,
    )


def test_the_secretariat_publishes_from_the_change_page(staff_page, live_server, screenshot):
    area = a_draft_area()
    page = staff_page
    change_url = f"{live_server.url}/admin/protected_areas/protectedarea/{area.pk}/change/"
    page.goto(change_url)

    bar = page.locator(".publication-bar")
    assert bar.locator(".publication-state").inner_text() == "Draft"
    assert bar.get_by_role("button").all_inner_texts() == ["Submit for review", "Publish"]
    screenshot("admin-change-publication-buttons", full_page=False)

    bar.get_by_role("button", name="Publish").click()
    page.wait_for_url(change_url)
    assert "1 record is now published." in page.locator(".messagelist").inner_text()
    assert page.locator(".publication-bar .publication-state").inner_text() == "Published"
    assert page.locator(".publication-bar").get_by_role("button").all_inner_texts() == [
        "Return to draft",
        "Archive",
    ]
    area.refresh_from_db()
    assert area.publication_state == PublicationState.PUBLISHED
    assert PublicationEvent.objects.filter(object_id=area.pk, action="published").exists()


def test_a_self_crossing_boundary_is_named_in_words_and_marked(staff_page, live_server, screenshot):
    area = a_draft_area()
    page = staff_page
    page.goto(f"{live_server.url}/admin/protected_areas/protectedarea/{area.pk}/change/")
    page.locator("#id_boundary-map path.leaflet-interactive").first.wait_for()
    # What drawing a bow tie on the map leaves in the form.
    page.evaluate(
        "geojson => { document.getElementById('id_boundary').value = geojson; }",
        json.dumps(BOWTIE),
    )
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()

    error = page.locator(".field-boundary .errorlist").inner_text()
    assert error.startswith("The boundary crosses itself near 131.5° E, 43.5° N.")
    assert "Self-intersection" not in page.content()
    marker = page.locator("#id_boundary-map path.geometry-fault")
    marker.wait_for()
    # Read once the map has settled: while it still fits its view (or the page above it
    # grows), the marker and the map's box can be read from two different frames.
    for _attempt in range(50):
        map_box = page.locator("#id_boundary-map").bounding_box()
        spot = marker.bounding_box()
        if (
            map_box["x"] < spot["x"] < map_box["x"] + map_box["width"]
            and map_box["y"] < spot["y"] < map_box["y"] + map_box["height"]
        ):
            break
        page.wait_for_timeout(100)
    assert map_box["x"] < spot["x"] < map_box["x"] + map_box["width"]
    assert map_box["y"] < spot["y"] < map_box["y"] + map_box["height"]
    assert page.locator(".geometry-fault-tooltip").inner_text() == "The shape is faulty here"
    page.locator(".field-boundary").scroll_into_view_if_needed()
    screenshot("admin-change-geometry-error", target=page.locator(".field-boundary"))
    area.refresh_from_db()
    assert area.boundary.valid  # nothing was saved
