"""One regression test for each numbered case of the attack review (issue 15) fixed here,
each named after its case, plus the page-size shortfall of the protected-area page."""

import json
import math

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from django.urls import reverse

from projects.models import Project
from protected_areas.models import ProtectedArea
from species.models import Occurrence
from tests import factories
from tests.admin.test_admin_pages import protected_area_form

pytestmark = pytest.mark.django_db


# -- 3. a published project and its unpublished approving meeting -------------------------
@pytest.mark.parametrize("state", ["draft", "in_review", "archived", "deleted"])
def test_case_3_project_never_shows_an_unpublished_approving_meeting(client, state):
    meeting = factories.MeetingFactory(
        title="Secret approval meeting", slug="secret-som", publication_state=state
    )
    project = factories.ProjectFactory(title="Tiger corridor", approved_at=meeting)
    public_answers = [
        client.get(project.get_absolute_url()),
        client.get(f"/ja{project.get_absolute_url()}"),
        client.get(reverse("maps_api:feature", args=["projects", project.pk])),
        client.get("/sitemap.xml"),
        client.get(reverse("search"), {"q": "tiger"}),
        client.get(reverse("search"), {"q": "secret"}),
        client.get(reverse("maps_api:search"), {"q": "secret"}),
    ]
    for response in public_answers:
        assert response.status_code == 200, response.request
        body = response.content.decode()
        assert "Secret approval meeting" not in body, response.request
        assert "secret-som" not in body, response.request
    # The project page itself is still there, only without the meeting.
    assert "Tiger corridor" in public_answers[0].content.decode()


def test_case_3_published_approving_meeting_is_still_shown(client):
    meeting = factories.MeetingFactory(title="Public approval meeting", slug="public-som")
    project = factories.ProjectFactory(approved_at=meeting)
    body = client.get(project.get_absolute_url()).content.decode()
    assert "Public approval meeting" in body
    assert meeting.get_absolute_url() in body


# -- 5. the admin's "view on site" shortcut -----------------------------------------------
def shortcut_url(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


def test_case_5_shortcut_does_not_tell_a_focal_point_another_countrys_draft(
    focal_client, russia, mongolia
):
    russian_draft = factories.ProjectFactory(slug="secret-russian-plan", publication_state="draft")
    russian_draft.countries.set([russia])
    response = focal_client.get(shortcut_url(russian_draft))
    assert response.status_code == 404
    assert "secret-russian-plan" not in response.get("Location", "")
    assert b"secret-russian-plan" not in response.content
    # Its own country's draft, which its admin shows, it may still open.
    own_draft = factories.ProjectFactory(slug="own-plan", publication_state="draft")
    own_draft.countries.set([mongolia])
    response = focal_client.get(shortcut_url(own_draft))
    assert response.status_code == 302
    assert response["Location"].endswith("/projects/own-plan/")


def test_case_5_shortcut_reveals_nothing_to_anonymous_visitors(client, russia):
    draft = factories.ProjectFactory(slug="secret-russian-plan", publication_state="draft")
    response = client.get(shortcut_url(draft))
    assert response.status_code in (302, 404)
    assert "secret-russian-plan" not in response.get("Location", "")
    assert b"secret-russian-plan" not in response.content


def test_case_5_shortcut_refuses_a_deleted_record_to_who_may_not_restore_it(focal_client, mongolia):
    deleted = factories.ProjectFactory(slug="gone-plan", publication_state="deleted")
    deleted.countries.set([mongolia])
    response = focal_client.get(shortcut_url(deleted))
    assert response.status_code == 404
    assert "gone-plan" not in response.get("Location", "")


# -- 6. integers in query parameters: ASCII digits only ----------------------------------
@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("zoom=%C2%B2", "zoom"),  # superscript two: str.isdigit() is true, int() fails
        ("zoom=%D9%A3", "zoom"),  # Arabic-Indic three: int() would take it as 3
        ("zoom=%EF%BC%95", "zoom"),  # fullwidth five
        ("year=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%90", "year"),  # fullwidth 2020
        ("year=%D9%A2%D9%A0%D9%A2%D9%A0-2021", "year"),
        ("bbox=%D9%A1,40,131,44", "bbox"),
    ],
)
def test_case_6_non_ascii_digits_get_a_400_naming_the_parameter(client, query, parameter):
    response = client.get(f"/api/map/protected-areas.geojson?{query}")
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert response.json()["error"]


def test_case_6_plain_digits_still_work(client):
    response = client.get("/api/map/protected-areas.geojson?zoom=5&year=2015-2020")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/projects/", "/protected-areas/", "/species/", "/meetings/"])
def test_case_6_list_pages_take_no_odd_digits(client, path):
    for query in ("page=%C2%B2", "year=%C2%B2", "year=%D9%A2%D9%A0%D9%A2%D9%A0"):
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 404), query


# -- 7. NUL and other control characters in free-text queries ------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "/api/map/search.json?q=%00%00",
        "/api/map/search.json?q=%00abc",
        "/api/map/search.json?q=ab%01%1F%7F",
        "/search/?q=%00abc",
        "/search/?q=%00",
        "/ja/search/?q=a%00b",
        "/projects/?species=%00&country=%00&status=%00&year=%00",
        "/protected-areas/?country=%00&iucn_category=%00&species=%00",
        "/species/?q=%00",
        "/meetings/?q=%00",
    ],
)
def test_case_7_a_nul_in_a_query_is_never_a_500(client, url):
    factories.ProtectedAreaFactory(name="Abc park")
    response = client.get(url)
    assert response.status_code in (200, 400), url
    assert b"\x00" not in response.content


def test_case_7_control_characters_are_dropped_from_the_site_search(client):
    factories.ProtectedAreaFactory(name="Abc park")
    response = client.get("/search/?q=%00abc")
    assert "Abc park" in response.content.decode()


def test_case_7_map_search_of_only_control_characters_is_a_400(client):
    response = client.get("/api/map/search.json?q=%00%00")
    assert response.status_code == 400
    assert response.json()["parameter"] == "q"


def test_case_7_admin_search_with_a_nul_is_not_a_500(staff_client):
    factories.ProtectedAreaFactory(name="Abc park")
    for model in (ProtectedArea, Project, Occurrence):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert staff_client.get(url, {"q": "\x00abc"}).status_code == 200
    autocomplete = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "\x00abc",
            "app_label": "species",
            "model_name": "occurrence",
            "field_name": "protected_area",
        },
    )
    assert autocomplete.status_code == 200


# -- 8 and 9. geometry in another or an unknown SRID in the admin --------------------------
def occurrence_form(**changes) -> dict:
    species = factories.SpeciesFactory()
    return {
        "species": species.pk,
        "event_date": "2023-04-01",
        "date_precision": "day",
        "location": "POINT(106.9 47.9)",
        "coordinate_uncertainty_m": "",
        "count": "1",
        "basis_of_record": "camera_trap",
        "dataset": "Test camera traps",
        "protected_area": "",
        "source_citation": "",
        "source_url": "",
        "notes": "",
        "dataset_key": "",
        **changes,
    }


OCCURRENCE_ADD = "admin:species_occurrence_add"


def test_case_8_unknown_srid_in_an_admin_geometry_is_refused_not_a_500(staff_client):
    response = staff_client.post(
        reverse(OCCURRENCE_ADD), occurrence_form(location="SRID=999999;POINT(106.9 47.9)")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "SRID 999999" in body
    assert not Occurrence.objects.exists()


MERCATOR_POINT = "SRID=3857;POINT(11904000 6091000)"
NAD83_POINT = "SRID=4269;POINT(106.9 47.9)"
GEOJSON_WITH_CRS = json.dumps(
    {
        "type": "Point",
        "coordinates": [11904000, 6091000],
        "crs": {"type": "name", "properties": {"name": "EPSG:3857"}},
    }
)


@pytest.mark.parametrize(
    ("value", "srid"),
    [(MERCATOR_POINT, 3857), (NAD83_POINT, 4269), (GEOJSON_WITH_CRS, 3857)],
)
def test_case_9_geometry_in_another_srid_is_refused_before_any_transform(staff_client, value, srid):
    response = staff_client.post(reverse(OCCURRENCE_ADD), occurrence_form(location=value))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["location"]
    (message,) = errors
    assert message.startswith("Location")
    assert f"SRID {srid}" in message
    assert "draw it on the map or give WGS 84 longitude/latitude, SRID 4326" in message
    assert not Occurrence.objects.exists()


def test_case_9_a_rejected_change_leaves_the_saved_geometry(staff_client):
    occurrence = factories.OccurrenceFactory(location=Point(106.9, 47.9, srid=4326))
    form = occurrence_form(location=MERCATOR_POINT, species=occurrence.species_id)
    response = staff_client.post(
        reverse("admin:species_occurrence_change", args=[occurrence.pk]), form
    )
    assert response.status_code == 200
    assert "SRID 3857" in response.content.decode()
    assert list(Occurrence.objects.values_list("location", flat=True)) == [
        Point(106.9, 47.9, srid=4326)
    ]


def test_case_9_boundary_in_another_srid_names_its_field(staff_client):
    area = factories.ProtectedAreaFactory()
    saved = area.boundary.wkt
    mercator = area.boundary.transform(3857, clone=True)
    response = staff_client.post(
        reverse("admin:protected_areas_protectedarea_change", args=[area.pk]),
        protected_area_form(area, boundary=mercator.ewkt, repair_geometry="on"),
    )
    assert response.status_code == 200
    (message,) = response.context["adminform"].form.errors["boundary"]
    assert message.startswith("Boundary") and "SRID 3857" in message
    area.refresh_from_db()
    assert area.boundary.wkt == saved


def test_case_9_plain_wgs84_geometry_is_still_saved(staff_client):
    response = staff_client.post(
        reverse(OCCURRENCE_ADD), occurrence_form(location="SRID=4326;POINT(106.9 47.9)")
    )
    assert response.status_code == 302
    assert Occurrence.objects.get().location.coords == (106.9, 47.9)


# -- fall short: the protected-area page inlines a simplified boundary ---------------------
def detailed_ring(lon: float, lat: float, radius: float, vertices: int) -> Polygon:
    """A round boundary of `vertices` points with a 20 m wiggle, like a surveyed one."""
    ring = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = radius + 0.0002 * math.sin(i * 7.3)
        ring.append((lon + r * math.cos(angle), lat + r * math.sin(angle)))
    return Polygon([*ring, ring[0]], srid=4326)


def test_protected_area_page_stays_small_with_a_50000_vertex_boundary(client, russia):
    boundary = MultiPolygon(detailed_ring(131.5, 43.5, 0.4, 50_000), srid=4326)
    assert boundary.num_coords > 50_000
    area = factories.ProtectedAreaFactory(
        country=russia, boundary=boundary, location=Point(131.5, 43.5, srid=4326)
    )
    response = client.get(area.get_absolute_url())
    assert response.status_code == 200
    assert len(response.content) < 100_000
    (drawn,) = [
        f
        for f in json.loads(response.context["map_data"])["features"]
        if f["properties"]["kind"] == "boundary"
    ]
    shown = GEOSGeometry(json.dumps(drawn["geometry"]), srid=4326)
    assert shown.geom_type in ("Polygon", "MultiPolygon")
    assert 16 <= shown.num_coords < 2_000
    # Still the same place: the simplified shape covers nearly all of the true one.
    assert shown.intersection(boundary).area / boundary.area > 0.99
