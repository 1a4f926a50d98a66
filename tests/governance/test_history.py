"""Every change is kept with who, when and what; the admin shows it and reverts it."""

import pytest
from django.urls import reverse

from common.models import PublicationState
from governance.services import publication_publish
from protected_areas.models import ProtectedArea
from species.models import Species
from tests import factories
from tests.admin.test_admin_pages import protected_area_form

pytestmark = pytest.mark.django_db


def history_url(record, version=None):
    name = f"admin:{record._meta.app_label}_{record._meta.model_name}"
    if version is None:
        return reverse(f"{name}_history", args=[record.pk])
    return reverse(f"{name}_simple_history", args=[record.pk, version.history_id])


def edit(client, area, **changes):
    response = client.post(
        reverse("admin:protected_areas_protectedarea_change", args=[area.pk]),
        protected_area_form(area, **changes),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    area.refresh_from_db()


def test_an_admin_edit_is_kept_with_who_and_which_fields_including_a_translation(
    focal_client, mongolia_focal_point, records
):
    area = records["mn"]["area"]
    new_boundary = factories.square(106, 46, 0.5)
    edit(focal_client, area, name_ja="ダウルスキー", boundary=new_boundary.geojson)

    latest, before = area.history.all()[:2]
    assert latest.history_user == mongolia_focal_point
    assert latest.name_ja == "ダウルスキー"
    assert latest.boundary.equals(new_boundary)
    assert not before.boundary.equals(new_boundary)
    changed = set(latest.diff_against(before).changed_fields)
    assert {"name_ja", "boundary"} <= changed


def test_the_history_page_shows_each_versions_changes(editor_client, records):
    area = records["mn"]["area"]
    edit(editor_client, area, name_ja="ダウルスキー", status_year="1997")
    page = editor_client.get(history_url(area))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Name [ja]" in html and "ダウルスキー" in html
    assert "<del>—</del>" in html and "<ins>1997</ins>" in html
    assert "editor" in html
    assert "style=" not in html.split("<body")[1]  # the Content-Security-Policy forbids them


def test_a_revert_restores_the_earlier_values_and_is_itself_recorded(
    editor_client, secretariat_editor, records
):
    area = records["mn"]["area"]
    publication_publish(user=secretariat_editor, queryset=ProtectedArea.objects.filter(pk=area.pk))
    original_boundary = area.boundary
    version = area.history.latest()
    edit(
        editor_client,
        area,
        name_ja="間違い",
        boundary=factories.square(106, 46, 0.5).geojson,
    )
    assert area.name_ja == "間違い"

    form = editor_client.get(history_url(area, version)).context["adminform"].form
    assert not form.initial["name_ja"]
    assert form.initial["boundary"].equals(original_boundary)

    response = editor_client.post(history_url(area, version), protected_area_form(version.instance))
    assert response.status_code == 302
    area.refresh_from_db()
    assert not area.name_ja
    assert area.boundary.equals(original_boundary)
    # Only the form's fields go back: the record stays published.
    assert area.publication_state == PublicationState.PUBLISHED
    revert = area.history.latest()
    assert revert.history_user == secretariat_editor
    assert revert.history_change_reason.startswith("Reverted to the version of")


def test_a_focal_point_cannot_see_or_revert_another_countrys_history(focal_client, records):
    area = records["ru"]["area"]
    version = area.history.latest()
    assert focal_client.get(history_url(area)).status_code == 403
    assert focal_client.get(history_url(area, version)).status_code == 403
    response = focal_client.post(
        history_url(area, version), protected_area_form(area, description="Vandalised.")
    )
    assert response.status_code == 403
    area.refresh_from_db()
    assert area.description == ""


def test_a_focal_point_may_view_but_not_revert_a_shared_record(focal_client, records):
    species = Species.objects.first()
    version = species.history.latest()
    page = focal_client.get(history_url(species, version))
    assert page.status_code == 200
    assert 'value="Revert"' not in page.content.decode()
    assert focal_client.post(history_url(species, version), {}).status_code == 403


def test_a_revert_goes_through_the_country_scope_of_the_form(focal_client, records, mongolia):
    # The area was Russian; the Secretariat moved it to Mongolia. Its Mongolian focal point
    # may edit it now, but not revert it to the version that puts it back in Russia.
    area = records["ru"]["area"]
    russian_version = area.history.latest()
    area.country = mongolia
    area.save()
    response = focal_client.post(
        history_url(area, russian_version), protected_area_form(russian_version.instance)
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.country == mongolia
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("cannot be restored as it is" in m for m in messages)


def test_publication_steps_are_in_the_history_with_their_user(secretariat_editor, records):
    area = records["mn"]["area"]
    publication_publish(user=secretariat_editor, queryset=ProtectedArea.objects.filter(pk=area.pk))
    latest = area.history.latest()
    assert latest.publication_state == PublicationState.PUBLISHED
    assert latest.history_user == secretariat_editor
    assert latest.history_change_reason == "Published"


def test_many_to_many_changes_are_kept(editor_client, records, russia):
    project = records["mn"]["project"]
    project.countries.add(russia)
    latest = project.history.latest()
    assert {row.country_id for row in latest.countries.all()} == {
        records["mn"]["area"].country_id,
        russia.pk,
    }
