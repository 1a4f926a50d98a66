"""The Secretariat's main tool: every record type can be listed, added and edited."""

import json

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.gis.db.models import GeometryField
from django.test import RequestFactory
from django.urls import reverse

from meetings.models import Decision, Meeting, MeetingDocument
from projects.models import Output, Project
from protected_areas.models import Country, ProtectedArea, TransboundaryLink
from species.models import Occurrence, PopulationEstimate, Species, SpeciesRange
from tests import factories

pytestmark = pytest.mark.django_db

DOMAIN_MODELS = {
    Country: factories.CountryFactory,
    ProtectedArea: factories.ProtectedAreaFactory,
    TransboundaryLink: factories.TransboundaryLinkFactory,
    Species: factories.SpeciesFactory,
    PopulationEstimate: factories.PopulationEstimateFactory,
    SpeciesRange: factories.SpeciesRangeFactory,
    Occurrence: factories.OccurrenceFactory,
    Project: factories.ProjectFactory,
    Output: factories.OutputFactory,
    Meeting: factories.MeetingFactory,
    MeetingDocument: factories.MeetingDocumentFactory,
    Decision: factories.DecisionFactory,
}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_domain_model_is_registered():
    assert set(DOMAIN_MODELS) <= set(admin.site._registry)


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_render(staff_client, model):
    instance = DOMAIN_MODELS[model]()
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", instance.pk),
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url
    assert str(instance) in staff_client.get(admin_url(model, "changelist")).content.decode()


def geometry_fields(model):
    return [f.name for f in model._meta.fields if isinstance(f, GeometryField)]


def _admin_adds(model) -> bool:
    request = RequestFactory().get("/admin/")
    request.user = User(is_active=True, is_staff=True, is_superuser=True)
    return admin.site._registry[model].has_add_permission(request)


# Every model the admin edits that has a geometry, wherever it is registered. Records that
# only an import writes (camera stations, genetic samples) have no add page: their points
# come from the file and are shown, not drawn.
GEOMETRY_MODELS = [
    model for model in admin.site._registry if geometry_fields(model) and _admin_adds(model)
]


@pytest.mark.parametrize("model", GEOMETRY_MODELS, ids=lambda m: m.__name__)
def test_geometry_fields_are_edited_on_a_leaflet_map(staff_client, model):
    html = staff_client.get(admin_url(model, "add")).content.decode()
    assert "leaflet/leaflet.js" in html
    for name in geometry_fields(model):
        assert f'id="id_{name}-map"' in html


def test_changelist_filters_by_country_and_iucn_category(staff_client):
    russia = factories.CountryFactory(iso_a3="RUS", name="Russian Federation")
    factories.ProtectedAreaFactory(name="Land of the Leopard", country=russia, iucn_category="II")
    factories.ProtectedAreaFactory(name="Mongol Daguur", iucn_category="Ib")
    url = admin_url(ProtectedArea, "changelist")
    html = staff_client.get(url, {"country__id__exact": russia.pk}).content.decode()
    assert "Land of the Leopard" in html and "Mongol Daguur" not in html
    html = staff_client.get(url, {"iucn_category__exact": "Ib"}).content.decode()
    assert "Mongol Daguur" in html and "Land of the Leopard" not in html
    html = staff_client.get(url, {"q": "leopard"}).content.decode()
    assert "Land of the Leopard" in html and "Mongol Daguur" not in html


def test_view_on_site_only_for_published_records(staff_client):
    published = factories.ProtectedAreaFactory()
    draft = factories.ProtectedAreaFactory(publication_state="draft")
    assert (
        "View on site"
        in staff_client.get(admin_url(ProtectedArea, "change", published.pk)).content.decode()
    )
    assert (
        "View on site"
        not in staff_client.get(admin_url(ProtectedArea, "change", draft.pk)).content.decode()
    )


BOWTIE = {
    "type": "MultiPolygon",
    "coordinates": [[[[131, 43], [132, 44], [132, 43], [131, 44], [131, 43]]]],
}


def translated(field, english):
    """Form data of a translated field: English given, the other languages empty."""
    return {
        f"{field}_{code.replace('-', '_')}": english if code == "en" else ""
        for code, _name in settings.LANGUAGES
    }


def protected_area_form(area, **changes):
    data = {
        **translated("name", area.name),
        **translated("designation", area.designation),
        **translated("description", ""),
        "name_local": "",
        "country": area.country_id,
        "international_designations": "",
        "iucn_category": area.iucn_category,
        "status_year": "",
        "wdpa_id": "",
        "publication_state": area.publication_state,
        "boundary": area.boundary.geojson,
        "boundary_quality": area.boundary_quality,
        "boundary_source": "",
        "location": area.location.geojson,
        "reported_area_km2": "",
        "management_authority": "",
        "source_title": "",
        "source_url": "",
        "notes": "",
        "dataset_key": "",
        # the inline of species present at the area, left empty
        "species_presences-TOTAL_FORMS": 0,
        "species_presences-INITIAL_FORMS": 0,
    }
    for field in ("name", "designation", "description"):
        if field in changes:  # callers name the field; the form edits its English column
            changes[f"{field}_en"] = changes.pop(field)
    data.update(changes)
    return data


def test_admin_rejects_a_self_intersecting_boundary_and_keeps_the_saved_one(staff_client):
    area = factories.ProtectedAreaFactory()
    saved = area.boundary.wkt
    response = staff_client.post(
        admin_url(ProtectedArea, "change", area.pk),
        protected_area_form(area, boundary=json.dumps(BOWTIE)),
    )
    assert response.status_code == 200
    # In words, beside the map (not GEOS's "Self-intersection[…]" at the top of the form) …
    assert response.context["adminform"].form.errors["boundary"] == [
        "The boundary crosses itself near 131.5° E, 43.5° N. Correct the drawing there, or "
        "tick “Repair invalid geometry” to have it repaired automatically."
    ]
    assert not response.context["adminform"].form.non_field_errors()
    # … and the spot handed to the map, which marks it.
    html = response.content.decode()
    assert 'data-fault-lon="131.500000" data-fault-lat="43.500000"' in html
    assert "Self-intersection" not in html
    area.refresh_from_db()
    assert area.boundary.wkt == saved


def test_admin_repairs_the_boundary_when_the_editor_asks(staff_client):
    area = factories.ProtectedAreaFactory(
        country=factories.CountryFactory(boundary=factories.square(130, 42, 3))
    )
    response = staff_client.post(
        admin_url(ProtectedArea, "change", area.pk),
        protected_area_form(area, boundary=json.dumps(BOWTIE), repair_geometry="on"),
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.boundary.valid
    assert len(area.boundary) == 2  # the bow tie became its two triangles
    assert float(area.computed_area_km2) > 0


def test_transboundary_link_in_one_country_is_refused(staff_client):
    russia = factories.CountryFactory(iso_a3="RUS")
    first, second = factories.ProtectedAreaFactory.create_batch(2, country=russia)
    response = staff_client.post(
        admin_url(TransboundaryLink, "add"),
        {
            **translated("name", "Not transboundary"),
            **translated("notes", ""),
            "slug": "not-transboundary",
            "protected_areas": [first.pk, second.pk],
            "cooperation_status": "none",
            "publication_state": "draft",
        },
    )
    assert response.status_code == 200
    assert "two or more countries" in response.content.decode()
    assert not TransboundaryLink.objects.exists()


def test_publish_action(staff_client):
    drafts = factories.ProjectFactory.create_batch(2, publication_state="draft")
    response = staff_client.post(
        admin_url(Project, "changelist"),
        {"action": "publish", "_selected_action": [p.pk for p in drafts]},
        follow=True,
    )
    assert "2 records are now published." in response.content.decode()
    assert Project.objects.published().count() == 2


def test_a_reported_area_far_from_the_boundarys_is_saved_with_a_warning(staff_client):
    area = factories.ProtectedAreaFactory(
        country=factories.CountryFactory(boundary=factories.square(130, 42, 3)),
        boundary=factories.square(131, 43, 0.5),  # about 2,250 km²
    )
    response = staff_client.post(
        admin_url(ProtectedArea, "change", area.pk),
        protected_area_form(area, reported_area_km2="150"),
        follow=True,
    )
    area.refresh_from_db()
    assert float(area.reported_area_km2) == 150  # saved: a warning, not a refusal
    warnings = [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "The reported area (150 km²) differs by more than half" in warnings[0].message
    assert "(2,2" in warnings[0].message

    response = staff_client.post(
        admin_url(ProtectedArea, "change", area.pk),
        protected_area_form(area, reported_area_km2="2250"),
        follow=True,
    )
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("ru", ["Заявленная площадь (км²)", "Управляющая организация", "Качество границы"]),
        ("mn", ["Мэдээлсэн талбай (км²)", "Хамгаалалтын захиргаа", "Хил хязгаарын чанар"]),
        ("ja", ["報告面積（km²）", "管理機関", "境界の品質"]),
    ],
)
def test_the_change_page_is_in_the_editors_language(staff_client, language, labels):
    """The admin sits outside the language prefix: it follows the editor's chosen language."""
    area = factories.ProtectedAreaFactory()
    url = admin_url(ProtectedArea, "change", area.pk)
    if language == "ru":  # chosen on the site (the language cookie)
        staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = staff_client.get(url).content.decode()
    else:  # the browser's language
        page = staff_client.get(url, HTTP_ACCEPT_LANGUAGE=f"{language},en;q=0.5").content.decode()
    assert f'lang="{language}"' in page
    for label in labels:
        assert label in page, label
    assert "Reported area (km²)" not in page and "Management authority" not in page


def test_the_admin_stays_in_english_without_a_language_choice(staff_client):
    area = factories.ProtectedAreaFactory()
    page = staff_client.get(admin_url(ProtectedArea, "change", area.pk)).content.decode()
    assert 'lang="en"' in page and "Reported area (km²)" in page
