"""Reads of exact sensitive points, unpublished records and change history are logged, one
row per request, and the Secretariat reads the log in the admin."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import AccessKind, AccessLogEntry
from tests import factories
from tests.governance.test_history import history_url

pytestmark = pytest.mark.django_db


def change_url(record):
    return reverse(
        f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk]
    )


def the_entry():
    entry = AccessLogEntry.objects.get()
    return entry.kind, entry.content_type.model_class() if entry.content_type else None, entry


def test_opening_an_unpublished_record_in_the_admin_is_logged(editor_client, secretariat_editor):
    project = factories.ProjectFactory(publication_state="in_review", title="Quiet corridor")
    assert editor_client.get(change_url(project)).status_code == 200
    kind, model, entry = the_entry()
    assert (kind, model, entry.object_id) == (AccessKind.DRAFT, type(project), project.pk)
    assert (entry.user, entry.username) == (secretariat_editor, "editor")
    assert entry.object_repr == "Quiet corridor"
    assert entry.path == change_url(project)


def test_opening_a_published_record_is_not_logged(editor_client):
    project = factories.ProjectFactory()
    editor_client.get(change_url(project))
    editor_client.get(reverse("admin:projects_project_changelist"))
    assert not AccessLogEntry.objects.exists()


def test_history_pages_are_logged(editor_client):
    area = factories.ProtectedAreaFactory()
    area.name = "Renamed"
    area.save()
    version = area.history.first()
    editor_client.get(history_url(area))
    editor_client.get(history_url(area, version))
    entries = AccessLogEntry.objects.order_by("pk")
    assert [entry.kind for entry in entries] == [AccessKind.HISTORY, AccessKind.HISTORY]
    assert {entry.object_id for entry in entries} == {area.pk}
    assert [entry.path for entry in entries] == [history_url(area), history_url(area, version)]


def test_a_sensitive_occurrence_in_the_admin_is_a_read_of_its_exact_point(editor_client):
    tiger = factories.SpeciesFactory(is_sensitive=True)
    crane = factories.SpeciesFactory(is_sensitive=False)
    sensitive = factories.OccurrenceFactory(species=tiger)
    ordinary = factories.OccurrenceFactory(species=crane)
    editor_client.get(change_url(ordinary))
    assert not AccessLogEntry.objects.exists()
    editor_client.get(change_url(sensitive))
    # Its history shows the point too: the more telling kind wins within one request.
    editor_client.get(history_url(sensitive))
    assert [(entry.kind, entry.object_id) for entry in AccessLogEntry.objects.order_by("pk")] == [
        (AccessKind.EXACT_LOCATIONS, sensitive.pk),
        (AccessKind.EXACT_LOCATIONS, sensitive.pk),
    ]


def test_the_map_layer_with_exact_points_is_logged_for_staff_only(client, editor_client):
    factories.OccurrenceFactory(species=factories.SpeciesFactory(is_sensitive=True))
    Client().get("/api/map/occurrences.geojson?zoom=12")
    editor_client.get("/api/map/protected-areas.geojson")
    assert not AccessLogEntry.objects.exists()
    editor_client.get("/api/map/occurrences.geojson?zoom=12&bbox=130,42,132,44")
    kind, model, entry = the_entry()
    assert (kind, model) == (AccessKind.EXACT_LOCATIONS, None)
    assert entry.object_repr == "Map layer: occurrences"
    assert entry.path == "/api/map/occurrences.geojson?zoom=12&bbox=130,42,132,44"


def test_a_refused_request_writes_nothing(focal_client, russia):
    other = factories.ProtectedAreaFactory(country=russia, publication_state="draft")
    assert focal_client.get(change_url(other)).status_code in (302, 403, 404)
    assert not AccessLogEntry.objects.exists()


def test_a_request_writes_one_row_in_one_insert(editor_client):
    """The history page of a sensitive record of an unpublished species notes three things."""
    tiger = factories.SpeciesFactory(is_sensitive=True, publication_state="draft")
    occurrence = factories.OccurrenceFactory(species=tiger)
    with CaptureQueriesContext(connection) as queries:
        editor_client.get(history_url(occurrence))
    inserts = [q["sql"] for q in queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert "accesslogentry" in inserts[0]
    assert AccessLogEntry.objects.get().kind == AccessKind.EXACT_LOCATIONS


def test_the_secretariat_reads_the_log_and_nobody_changes_it(
    editor_client, secretariat_editor, mongolia_focal_point, reviewer
):
    entry = AccessLogEntry.objects.create(
        user=secretariat_editor, username="editor", kind=AccessKind.HISTORY, path="/x/"
    )
    changelist = reverse("admin:governance_accesslogentry_changelist")
    assert editor_client.get(changelist).status_code == 200
    page = editor_client.get(reverse("admin:governance_accesslogentry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert editor_client.get(reverse("admin:governance_accesslogentry_add")).status_code == 403
    delete = reverse("admin:governance_accesslogentry_delete", args=[entry.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    for user in (mongolia_focal_point, reviewer):
        other = Client()
        other.force_login(user)
        assert other.get(changelist).status_code == 403
