import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from common.models import PublicationState
from tests.factories import (
    CountryFactory,
    MeetingFactory,
    OutputFactory,
    ProjectFactory,
    ProtectedAreaFactory,
    SpeciesFactory,
)

pytestmark = pytest.mark.django_db


def _slugs(response):
    return sorted(project.slug for project in response.context["object_list"])


def test_unpublished_projects_are_not_listed_and_their_pages_404(client):
    ProjectFactory(slug="shown")
    hidden = ProjectFactory(slug="hidden", publication_state=PublicationState.DRAFT)
    assert _slugs(client.get("/projects/")) == ["shown"]
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_projects_filter_by_species_country_status_and_year(client):
    tiger = SpeciesFactory(slug="amur-tiger")
    china = CountryFactory(iso_a3="CHN", name="China")
    russia = CountryFactory(iso_a3="RUS", name="Russian Federation")
    a = ProjectFactory(slug="a", status="ongoing", start_year=2020, end_year=None)
    a.species.add(tiger)
    a.countries.add(china, russia)
    b = ProjectFactory(slug="b", status="completed", start_year=2014, end_year=2016)
    b.countries.add(russia)
    ProjectFactory(slug="c", status="completed", start_year=2016, end_year=2016)

    assert _slugs(client.get("/projects/", {"species": "amur-tiger"})) == ["a"]
    assert _slugs(client.get("/projects/", {"country": "RUS"})) == ["a", "b"]
    assert _slugs(client.get("/projects/", {"status": "completed"})) == ["b", "c"]
    assert _slugs(client.get("/projects/", {"year": 2015})) == ["b"]
    assert _slugs(client.get("/projects/", {"year": 2024})) == ["a"]
    assert _slugs(client.get("/projects/", {"country": "RUS", "status": "ongoing"})) == ["a"]


def test_an_unknown_filter_value_shows_everything_rather_than_an_error(client):
    ProjectFactory(slug="a")
    response = client.get("/projects/", {"status": "nonsense"})
    assert response.status_code == 200
    assert _slugs(response) == ["a"]


def test_project_page_links_its_species_areas_meeting_outputs_and_related_projects(client):
    tiger = SpeciesFactory(common_name="Amur tiger")
    hidden_species = SpeciesFactory(publication_state=PublicationState.DRAFT)
    area = ProtectedAreaFactory(name="Land of the Leopard")
    meeting = MeetingFactory(title="SOM-20 meeting")
    project = ProjectFactory(approved_at=meeting, partners="WWF Russia\nFeline Research Center")
    project.species.add(tiger, hidden_species)
    project.protected_areas.add(area)
    OutputFactory(project=project, title="Final report")
    OutputFactory(project=project, title="Draft notes", publication_state=PublicationState.DRAFT)
    related = ProjectFactory(title="Another tiger project")
    related.species.add(tiger)

    html = client.get(project.get_absolute_url()).text
    assert f'<a href="{tiger.get_absolute_url()}">Amur tiger</a>' in html
    assert hidden_species.common_name not in html
    assert f'<a href="{area.get_absolute_url()}">Land of the Leopard</a>' in html
    assert f'<a href="{meeting.get_absolute_url()}">SOM-20 meeting</a>' in html
    assert "Final report" in html
    assert "Draft notes" not in html
    assert "<li>Feline Research Center</li>" in html
    assert "Another tiger project" in html
    assert 'data-minimap="project-map"' in html


def test_image_outputs_get_a_pillow_thumbnail(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), "green").save(buffer, format="PNG")
    output = OutputFactory(
        title="Camera-trap photo", url="", file=SimpleUploadedFile("trap.png", buffer.getvalue())
    )
    html = client.get(output.project.get_absolute_url()).text
    thumbs = list((tmp_path / "thumbnails").rglob("*.jpg"))
    assert len(thumbs) == 1
    with Image.open(thumbs[0]) as thumb:
        assert thumb.width <= 480 and thumb.height <= 320
    assert f'src="/media/thumbnails/{thumbs[0].relative_to(tmp_path / "thumbnails")}"' in html


def test_a_broken_image_output_does_not_break_the_page(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    output = OutputFactory(url="", file=SimpleUploadedFile("broken.jpg", b"not an image at all"))
    response = client.get(output.project.get_absolute_url())
    assert response.status_code == 200
    assert "outputs__thumb" not in response.text


def test_project_content_is_translated_with_english_fallback(client):
    project = ProjectFactory(title="Tiger corridors", title_ru="Коридоры для тигров")
    url = project.get_absolute_url()
    assert "Коридоры для тигров" in client.get(f"/ru{url}").text
    assert "Tiger corridors" in client.get(f"/ja{url}").text


def test_project_pages_use_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(12):
        project = ProjectFactory()
        project.species.add(SpeciesFactory())
        project.countries.add(CountryFactory())
        project.protected_areas.add(ProtectedAreaFactory())
        OutputFactory(project=project)
    with django_assert_max_num_queries(12):
        client.get("/projects/")
    with django_assert_max_num_queries(14):
        client.get(project.get_absolute_url())
