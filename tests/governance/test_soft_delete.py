"""Deleting a published record hides it everywhere but keeps it for the Secretariat to undo."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from common.models import PublicationState
from dashboards.indicators import project_portfolio
from governance.models import PublicationEvent
from governance.services import record_delete, record_restore
from projects.models import Output, Project
from protected_areas.models import ProtectedArea
from species.models import Occurrence
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:protected_areas_protectedarea_changelist")


@pytest.fixture
def park(russia):
    return factories.ProtectedAreaFactory(name="Land of the Leopard", country=russia)


def delete_in_admin(client, record):
    url = reverse(
        f"admin:{record._meta.app_label}_{record._meta.model_name}_delete", args=[record.pk]
    )
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    return confirmation.content.decode()


def on_the_map(client):
    layer = client.get("/api/map/protected-areas.geojson").json()
    return {feature["properties"]["id"] for feature in layer["features"]}


def listed(client, **params):
    return {obj.pk for obj in client.get(CHANGELIST, params).context["cl"].result_list}


def test_deleting_a_published_record_hides_it_from_every_public_path(
    editor_client, secretariat_editor, park
):
    client = Client()
    page = park.get_absolute_url()
    assert client.get(page).status_code == 200
    assert park.pk in on_the_map(client)
    confirmation = delete_in_admin(editor_client, park)
    assert "the Secretariat can restore it" in confirmation

    park.refresh_from_db()
    assert park.publication_state == PublicationState.DELETED
    assert park.deleted_by == secretariat_editor and park.deleted_at is not None
    assert not ProtectedArea.objects.published().filter(pk=park.pk).exists()
    assert client.get(page).status_code == 404
    assert park.pk not in on_the_map(client)
    assert client.get("/api/map/search.json", {"q": "leopard"}).json()["results"] == []
    # Out of the admin's list, found under "Deleted" by the Secretariat.
    assert park.pk not in listed(editor_client)
    assert park.pk in listed(editor_client, publication_state__exact="deleted")
    assert park.history.latest().history_user == secretariat_editor


def test_the_secretariat_undoes_a_deletion(editor_client, secretariat_editor, park):
    client = Client()
    record_delete(user=secretariat_editor, queryset=ProtectedArea.objects.filter(pk=park.pk))
    response = editor_client.post(
        f"{CHANGELIST}?publication_state__exact=deleted",
        {"action": "restore_deleted", "_selected_action": [park.pk]},
    )
    assert response.status_code == 302
    park.refresh_from_db()
    assert park.publication_state == PublicationState.PUBLISHED
    assert park.deleted_at is None and park.deleted_by is None
    assert client.get(park.get_absolute_url()).status_code == 200
    assert [e.action for e in PublicationEvent.objects.order_by("at", "pk")] == [
        "deleted",
        "restored",
    ]


def test_drafts_are_still_removed(editor_client, mongolia):
    draft = factories.ProtectedAreaFactory(country=mongolia, publication_state="draft")
    delete_in_admin(editor_client, draft)
    assert not ProtectedArea.objects.filter(pk=draft.pk).exists()
    # Its change history keeps the last version.
    assert ProtectedArea.history.filter(id=draft.pk, history_type="-").exists()


def test_a_deleted_projects_outputs_and_counts_leave_the_public_site(secretariat_editor, client):
    project = factories.ProjectFactory(title="Amur tiger corridors")
    factories.OutputFactory(project=project, title="Corridor report")
    kept = factories.ProjectFactory()
    assert project_portfolio(current_year=2021)["project_count"] == 2

    marked, removed = record_delete(
        user=secretariat_editor, queryset=Project.objects.filter(pk=project.pk)
    )
    assert (marked, removed) == (1, 0)
    assert Output.objects.filter(project=project).exists()  # nothing cascades
    assert client.get(project.get_absolute_url()).status_code == 404
    assert "Corridor report" not in client.get(kept.get_absolute_url()).content.decode()
    assert "Amur tiger corridors" not in client.get(reverse("projects:list")).content.decode()
    assert project_portfolio(current_year=2021)["project_count"] == 1
    (feature,) = client.get("/api/map/projects.geojson").json()["features"]
    assert feature["properties"]["url"] == kept.get_absolute_url()


def test_a_deleted_species_takes_its_occurrences_off_the_map(secretariat_editor, client):
    species = factories.SpeciesFactory()
    factories.OccurrenceFactory(species=species)
    assert Occurrence.objects.published().exists()
    record_delete(user=secretariat_editor, queryset=type(species).objects.filter(pk=species.pk))
    assert not Occurrence.objects.published().exists()
    assert client.get("/api/map/occurrences.geojson", {"zoom": 12}).json()["features"] == []


def test_focal_points_neither_delete_published_records_nor_restore_them(
    mongolia_focal_point, secretariat_editor, records, focal_client
):
    area = records["mn"]["area"]
    area.publication_state = PublicationState.PUBLISHED
    area.save()
    one = ProtectedArea.objects.filter(pk=area.pk)
    with pytest.raises(PermissionDenied):
        record_delete(user=mongolia_focal_point, queryset=one)
    record_delete(user=secretariat_editor, queryset=one)
    with pytest.raises(PermissionDenied):
        record_restore(user=mongolia_focal_point, queryset=one)
    # Deleted records are out of its admin altogether.
    assert area.pk not in listed(focal_client, publication_state__exact="deleted")
    url = reverse("admin:protected_areas_protectedarea_change", args=[area.pk])
    assert focal_client.get(url).status_code == 302
