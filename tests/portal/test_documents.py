"""The document library /documents/: meeting documents and project outputs, published only."""

import pytest

from common.models import PublicationState
from tests.factories import MeetingDocumentFactory, MeetingFactory, OutputFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    som = MeetingFactory(number="SOM-24", title="Twenty-fourth Senior Officials Meeting", year=2021)
    cranes = ProjectFactory(title="Crane flyway", acronym="CRANE")
    return {
        "som_report": MeetingDocumentFactory(meeting=som, title="Report of SOM-24", language="en"),
        "som_russian": MeetingDocumentFactory(
            meeting=som, title="Доклад СДЛ-24", language="ru", url="https://example.org/ru.pdf"
        ),
        "crane_report": OutputFactory(
            project=cranes, kind="report", title="Crane survey 2019", year=2019, language="en"
        ),
        "crane_dataset": OutputFactory(
            project=cranes, kind="dataset", title="Crane counts", year=2023, language=""
        ),
        "draft_output": OutputFactory(
            project=cranes, title="Unfinished", publication_state=PublicationState.DRAFT
        ),
        "draft_meeting_document": MeetingDocumentFactory(
            meeting=MeetingFactory(publication_state=PublicationState.DRAFT), title="Agenda draft"
        ),
        "draft_project_output": OutputFactory(
            project=ProjectFactory(publication_state=PublicationState.IN_REVIEW),
            title="Output of a project in review",
        ),
    }


def titles(response) -> list[str]:
    return [document.title for document in response.context["object_list"]]


def test_the_library_lists_published_documents_newest_first(client, library):
    response = client.get("/documents/")
    assert response.status_code == 200
    assert titles(response) == [
        "Crane counts",
        "Report of SOM-24",
        "Доклад СДЛ-24",
        "Crane survey 2019",
    ]
    html = response.text
    assert 'href="https://example.org/ru.pdf" hreflang="ru"' in html
    assert "Twenty-fourth Senior Officials Meeting" in html  # where it comes from
    assert "Russian" in html  # the language by name
    assert 'aria-current="page">Documents</a>' in html


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": "meeting-document"}, ["Report of SOM-24", "Доклад СДЛ-24"]),
        ({"kind": "dataset"}, ["Crane counts"]),
        ({"year": "2019"}, ["Crane survey 2019"]),
        ({"language": "ru"}, ["Доклад СДЛ-24"]),
        ({"q": "survey"}, ["Crane survey 2019"]),
        ({"q": "crane flyway"}, ["Crane counts", "Crane survey 2019"]),  # the project's title
        ({"q": "SOM-24", "language": "en"}, ["Report of SOM-24"]),
        ({"year": "1999"}, []),  # not a year on offer: ignored, as old links are
    ],
)
def test_the_library_filters_by_type_year_language_and_words(client, library, filters, expected):
    response = client.get("/documents/", filters)
    if filters == {"year": "1999"}:
        assert len(titles(response)) == 4
    else:
        assert titles(response) == expected


def test_the_filters_offer_what_the_library_holds(client, library):
    form = client.get("/documents/").context["filter_form"]
    assert [value for value, _label in form.fields["year"].choices] == ["", "2023", "2021", "2019"]
    assert dict(form.fields["language"].choices) == {
        "": "Any language",
        "en": "English",
        "ru": "Russian",
    }
    assert "meeting-document" in dict(form.fields["kind"].choices)


def test_the_library_speaks_the_readers_language(client, library):
    response = client.get("/ru/documents/", {"language": "ru"})
    assert response.status_code == 200
    assert '<html lang="ru">' in response.text
    assert "Русский" in response.text or "русский" in response.text.lower()


def test_the_library_is_paginated(client, library):
    project = ProjectFactory()
    for number in range(30):
        OutputFactory(project=project, title=f"Note {number:02d}", year=2000)
    first = client.get("/documents/")
    assert len(first.context["object_list"]) == 25
    assert first.context["paginator"].count == 34
    second = client.get("/documents/", {"page": 2})
    assert len(second.context["object_list"]) == 9


def test_the_library_costs_the_same_queries_whatever_its_size(
    client, library, django_assert_max_num_queries
):
    project = ProjectFactory()
    for number in range(20):
        OutputFactory(project=project, title=f"Note {number}")
        MeetingDocumentFactory(meeting=MeetingFactory(), title=f"Paper {number}")
    with django_assert_max_num_queries(10):
        assert client.get("/documents/").status_code == 200


@pytest.mark.parametrize("language", ["zh-hans", "ja", "ko", "mn", "ru"])
def test_the_library_page_is_translated(client, library, language):
    html = client.get(f"/{language}/documents/").text
    assert f'<html lang="{language}">' in html
    for english in ("Meeting documents and project outputs", "Any type", "Words in the title"):
        assert english not in html, english
