"""Uploads go through governance.media: a published record's files to anyone, any other
record's files only to staff who may see that record in the admin; the proxy modes."""

import io
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from PIL import Image

from common.media import upload_fields
from common.models import PublicationState
from governance.media import PUBLIC_FILE_RULES
from governance.models import AccessKind, AccessLogEntry
from tests import factories

pytestmark = pytest.mark.django_db

NOT_PUBLISHED = ["draft", "in_review", "archived", "deleted"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png(colour="green") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue())


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("report.pdf", b"%PDF-1.4\n% a report\n%%EOF\n")


def species_with_photo(state=PublicationState.PUBLISHED):
    return factories.SpeciesFactory(
        publication_state=state, photo=png(), photo_credit="A photographer"
    )


def test_a_published_records_file_is_public_and_cacheable(client):
    species = species_with_photo()
    response = client.get(species.photo.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == species.photo.read()
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_photo_a_public_page_shows_is_served(client):
    species = species_with_photo()
    page = client.get(species.get_absolute_url()).text
    src = re.search(r'<img src="(/media/species/[^"]+)"', page)[1]
    assert client.get(src).status_code == 200


@pytest.mark.parametrize("state", NOT_PUBLISHED)
def test_a_non_published_records_file_does_not_exist_for_the_public(client, state):
    species = species_with_photo(state)
    assert client.get(species.photo.url).status_code == 404


@pytest.mark.parametrize("state", NOT_PUBLISHED)
def test_files_hanging_on_a_non_published_record_are_not_public(client, state):
    project = factories.ProjectFactory(publication_state=state)
    output = factories.OutputFactory(project=project, url="", file=pdf())
    meeting = factories.MeetingFactory(publication_state=state)
    document = factories.MeetingDocumentFactory(meeting=meeting, url="", file=pdf())
    assert client.get(output.file.url).status_code == 404
    assert client.get(document.file.url).status_code == 404


def test_files_of_published_outputs_and_meeting_documents_are_public(client):
    output = factories.OutputFactory(url="", file=pdf())
    document = factories.MeetingDocumentFactory(url="", file=pdf())
    for url in (output.file.url, document.file.url):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"


def test_an_unpublished_output_of_a_published_project_is_not_public(client):
    output = factories.OutputFactory(url="", file=pdf(), publication_state="draft")
    assert client.get(output.file.url).status_code == 404


def test_a_thumbnail_follows_its_originals_record(client, media_root):
    output = factories.OutputFactory(url="", file=png())
    client.get(output.project.get_absolute_url())
    thumbnail = next((media_root / "thumbnails").rglob("*.jpg")).relative_to(media_root)
    assert client.get(f"/media/{thumbnail}").status_code == 200
    output.project.publication_state = PublicationState.DRAFT
    output.project.save()
    assert client.get(f"/media/{thumbnail}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/species/0123456789abcdef0123456789abcdef.png",  # no record holds it
        "/media/../neaspec_portal/settings/base.py",
        "/media/%2e%2e/manage.py",
        "/media/species/",
        "/media/thumbnails/species/x-1x1.jpg",
    ],
)
def test_names_no_record_holds_do_not_exist(client, path):
    species_with_photo()
    assert client.get(path).status_code == 404


def test_staff_who_may_see_a_draft_get_its_file_privately_and_it_is_logged(
    client, editor_client, secretariat_editor
):
    project = factories.ProjectFactory(publication_state="draft", hero_image=png())
    response = editor_client.get(project.hero_image.url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.kind, entry.object_id) == (
        secretariat_editor,
        AccessKind.DRAFT,
        project.pk,
    )
    assert entry.path == project.hero_image.url


def test_a_focal_point_gets_no_file_of_another_countrys_draft(focal_client, mongolia, russia):
    own = factories.ProjectFactory(publication_state="draft", hero_image=png())
    own.countries.set([mongolia])
    other = factories.ProjectFactory(publication_state="draft", hero_image=png("red"))
    other.countries.set([russia])
    assert focal_client.get(own.hero_image.url).status_code == 200
    assert focal_client.get(other.hero_image.url).status_code == 404


def test_a_deleted_records_file_is_for_those_who_may_restore_it(
    secretariat_editor, mongolia_focal_point, mongolia
):
    project = factories.ProjectFactory(publication_state="deleted", hero_image=png())
    project.countries.set([mongolia])
    editor, focal_point = Client(), Client()
    editor.force_login(secretariat_editor)
    focal_point.force_login(mongolia_focal_point)
    assert editor.get(project.hero_image.url).status_code == 200
    # The admin hides deleted records from focal points; so do their files.
    assert focal_point.get(project.hero_image.url).status_code == 404


@pytest.mark.parametrize(
    ("mode", "header"), [("x-accel-redirect", "X-Accel-Redirect"), ("x-sendfile", "X-Sendfile")]
)
def test_a_proxy_mode_hands_the_sending_to_the_proxy(client, settings, media_root, mode, header):
    settings.MEDIA_SERVE_MODE = mode
    species = species_with_photo()
    response = client.get(species.photo.url)
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Type"] == "image/png"
    expected = (
        f"/protected-media/{species.photo.name}"
        if mode == "x-accel-redirect"
        else str(media_root / species.photo.name)
    )
    assert response[header] == expected
    draft = species_with_photo("draft")
    refused = client.get(draft.photo.url)
    assert refused.status_code == 404
    assert header not in refused


def test_every_upload_field_has_a_publication_rule():
    """A new upload field must say when its files are public (until then none are)."""
    holders = {
        model._meta.label_lower for fields in upload_fields().values() for model, _field in fields
    }
    assert holders == set(PUBLIC_FILE_RULES)
    for label, lookups in PUBLIC_FILE_RULES.items():
        model = apps.get_model(label)
        for lookup in lookups:
            field = model._meta.get_field(lookup.split("__")[0])
            assert isinstance(field, (models.CharField, models.ForeignKey))
