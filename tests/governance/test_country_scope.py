"""A Mongolian focal point sees and edits Mongolian records only — on every path."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from governance.selectors import records_editable_by
from governance.services import publication_publish, publication_submit
from meetings.models import Decision
from projects.models import Output, Project
from protected_areas.models import ProtectedArea
from species.models import Occurrence, PopulationEstimate
from tests.admin.test_admin_pages import protected_area_form

pytestmark = pytest.mark.django_db

SCOPED = {
    "area": ProtectedArea,
    "estimate": PopulationEstimate,
    "occurrence": Occurrence,
    "loose_occurrence": Occurrence,
    "project": Project,
    "output": Output,
    "decision": Decision,
}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("kind", SCOPED)
def test_the_focal_point_lists_and_opens_only_its_countrys_records(focal_client, records, kind):
    model = SCOPED[kind]
    mongolian, russian = records["mn"][kind], records["ru"][kind]
    listing = focal_client.get(admin_url(model, "changelist"))
    assert listing.status_code == 200
    pks = {obj.pk for obj in listing.context["cl"].result_list}
    assert mongolian.pk in pks
    assert russian.pk not in pks
    assert focal_client.get(admin_url(model, "change", mongolian.pk)).status_code == 200
    for view in ("change", "history", "delete"):
        response = focal_client.get(admin_url(model, view, russian.pk))
        assert response.status_code in (302, 403, 404), view
        assert response.status_code != 200


@pytest.mark.parametrize("kind", SCOPED)
def test_scope_selector_agrees_for_every_kind(mongolia_focal_point, records, kind):
    model = SCOPED[kind]
    editable = set(records_editable_by(mongolia_focal_point, model.objects.all()))
    assert records["mn"][kind] in editable
    assert records["ru"][kind] not in editable


def test_the_focal_point_can_edit_a_mongolian_protected_area(focal_client, records):
    area = records["mn"]["area"]
    response = focal_client.post(
        admin_url(ProtectedArea, "change", area.pk),
        protected_area_form(area, description="Steppe and lakes."),
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.description == "Steppe and lakes."


def test_posting_to_a_russian_record_changes_nothing(focal_client, records):
    area = records["ru"]["area"]
    response = focal_client.post(
        admin_url(ProtectedArea, "change", area.pk),
        protected_area_form(area, description="Vandalised."),
    )
    assert response.status_code != 200
    area.refresh_from_db()
    assert area.description == ""


def test_a_mongolian_record_cannot_be_moved_to_russia(focal_client, records, russia):
    area = records["mn"]["area"]
    response = focal_client.post(
        admin_url(ProtectedArea, "change", area.pk),
        protected_area_form(area, country=russia.pk),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    area.refresh_from_db()
    assert area.country.iso_a3 == "MNG"


def test_country_choices_offer_only_the_focal_points_countries(focal_client, records):
    form = focal_client.get(admin_url(ProtectedArea, "add")).context["adminform"].form
    assert {c.iso_a3 for c in form.fields["country"].queryset} == {"MNG"}
    occurrence_form = focal_client.get(admin_url(Occurrence, "add")).context["adminform"].form
    assert list(occurrence_form.fields["protected_area"].queryset) == [records["mn"]["area"]]


def test_autocomplete_offers_only_the_focal_points_protected_areas(focal_client, records):
    response = focal_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "species", "model_name": "occurrence", "field_name": "protected_area"},
    )
    names = {item["text"] for item in response.json()["results"]}
    assert names == {str(records["mn"]["area"])}


def test_editing_a_joint_project_keeps_the_other_countrys_part(
    focal_client, records, mongolia, russia
):
    project = records["mn"]["project"]
    project.countries.set([mongolia, russia])
    page = focal_client.get(admin_url(Project, "change", project.pk))
    form = page.context["adminform"].form
    assert "Also: Russian Federation — kept as they are" in page.content.decode()
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("sites", "hero_image", "species")
    }
    data.update(
        countries=[mongolia.pk],
        protected_areas=[],
        species=[],
        summary_en="Edited by Mongolia.",
        sites=project.sites.geojson,
        **{"outputs-TOTAL_FORMS": 0, "outputs-INITIAL_FORMS": 0},
    )
    data.pop("publication_state", None)
    response = focal_client.post(admin_url(Project, "change", project.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    project.refresh_from_db()
    assert project.summary == "Edited by Mongolia."
    assert set(project.countries.values_list("iso_a3", flat=True)) == {"MNG", "RUS"}


def test_the_focal_point_cannot_publish_but_can_submit(focal_client, mongolia_focal_point, records):
    mongolian, russian = records["mn"]["area"], records["ru"]["area"]
    url = admin_url(ProtectedArea, "changelist")
    actions = dict(focal_client.get(url).context["action_form"].fields["action"].choices)
    assert "publish" not in actions and "submit_for_review" in actions
    focal_client.post(url, {"action": "publish", "_selected_action": [mongolian.pk]})
    mongolian.refresh_from_db()
    assert mongolian.publication_state == "draft"
    with pytest.raises(PermissionDenied):
        publication_publish(
            user=mongolia_focal_point, queryset=ProtectedArea.objects.filter(pk=mongolian.pk)
        )
    with pytest.raises(PermissionDenied):
        publication_submit(
            user=mongolia_focal_point, queryset=ProtectedArea.objects.filter(pk=russian.pk)
        )
    focal_client.post(url, {"action": "submit_for_review", "_selected_action": [mongolian.pk]})
    mongolian.refresh_from_db()
    assert mongolian.publication_state == "in_review"
    russian.refresh_from_db()
    assert russian.publication_state == "draft"


def test_the_focal_point_edits_no_species_or_meeting(focal_client, records):
    species = records["mn"]["estimate"].species
    page = focal_client.get(
        reverse("admin:species_species_change", args=[species.pk])
    ).content.decode()
    assert 'name="_save"' not in page  # read-only view
    assert focal_client.get(reverse("admin:meetings_meeting_add")).status_code == 403


def _add_protected_area(directory, key, country, lon, lat):
    path = directory / "protected_areas.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    row = dict(data["protected_areas"][0])
    row.update(key=key, name=key.title(), country=country, location=[lon, lat], wdpa_id=None)
    data["protected_areas"].append(row)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.usefixtures("neaspec_dataset")
def test_the_focal_point_cannot_import_a_russian_record(dataset_copy, roles, django_user_model):
    from governance.services import focal_point_assign  # noqa: PLC0415
    from protected_areas.models import Country  # noqa: PLC0415

    user = django_user_model.objects.create_user("mn-importer")
    focal_point_assign(user=user, countries=[Country.objects.get(iso_a3="MNG")])

    _add_protected_area(dataset_copy, "new-russian-reserve", "RUS", 131.5, 43.5)
    with pytest.raises(CommandError, match="may not add"):
        call_command("load_neaspec", "--directory", str(dataset_copy), "--as-user", user.username)
    assert not ProtectedArea.objects.filter(dataset_key="new-russian-reserve").exists()


@pytest.mark.usefixtures("neaspec_dataset")
def test_the_focal_point_imports_a_mongolian_record_as_a_draft(
    dataset_copy, roles, django_user_model
):
    from governance.services import focal_point_assign  # noqa: PLC0415
    from protected_areas.models import Country  # noqa: PLC0415

    user = django_user_model.objects.create_user("mn-importer")
    focal_point_assign(user=user, countries=[Country.objects.get(iso_a3="MNG")])

    _add_protected_area(dataset_copy, "new-mongolian-reserve", "MNG", 106.9, 47.9)
    call_command(
        "load_neaspec", "--directory", str(dataset_copy), "--as-user", user.username, stdout=None
    )
    area = ProtectedArea.objects.get(dataset_key="new-mongolian-reserve")
    assert area.publication_state == "draft"


def _occurrence_form(species, lon, lat):
    return {
        "species": species.pk,
        "event_date": "2024-05-01",
        "date_precision": "day",
        "location": json.dumps({"type": "Point", "coordinates": [lon, lat]}),
        "count": 1,
        "basis_of_record": "camera_trap",
        "dataset": "New traps",
    }


def test_a_new_record_outside_the_focal_points_countries_is_refused_and_rolled_back(
    focal_client, records
):
    species = records["mn"]["estimate"].species
    inside = focal_client.post(admin_url(Occurrence, "add"), _occurrence_form(species, 106, 46))
    assert inside.status_code == 302
    assert Occurrence.objects.filter(dataset="New traps").count() == 1
    outside = focal_client.post(admin_url(Occurrence, "add"), _occurrence_form(species, 131, 43))
    assert outside.status_code == 403
    assert Occurrence.objects.filter(dataset="New traps").count() == 1
