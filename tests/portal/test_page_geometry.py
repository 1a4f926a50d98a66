"""Pages read no geometry they do not show (issue 16): a country's Natural Earth boundary
runs to hundreds of thousands of vertices, and parsing it cost more than the rest of a list
page. The maps on detail pages draw outlines from the outline cache, warmed by a first
request; the second request is the one inspected."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting
from projects.models import Project
from protected_areas.models import ProtectedArea
from species.models import Species
from tests.factories import MeetingFactory, ProjectFactory, ProtectedAreaFactory, SpeciesFactory

# A geometry column read as such (a boundary inside a function that reduces it, as the
# outline selector's simplification, would be named within the function's parentheses).
COUNTRY_BOUNDARY = re.compile(r'"protected_areas_country"\."boundary"')
AREA_BOUNDARY = re.compile(r'"protected_areas_protectedarea"\."boundary"')
LIST_PAGES = [
    "/",
    "/protected-areas/",
    "/protected-areas/?country=MNG",
    "/projects/",
    "/projects/?country=CHN",
    "/species/",
    "/meetings/",
    "/search/?q=lake",
    "/sitemap/",
    "/documents/",
]


def sql_of(client, url: str) -> list[str]:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_read_no_boundary(client, neaspec_dataset, url):
    for sql in sql_of(client, url):
        assert not COUNTRY_BOUNDARY.search(sql), sql
        assert not AREA_BOUNDARY.search(sql), sql


def detail_urls():
    return [
        ProtectedArea.objects.published().first().get_absolute_url(),
        Species.objects.published().first().get_absolute_url(),
        Project.objects.published().first().get_absolute_url(),
        Meeting.objects.published().first().get_absolute_url(),
    ]


def test_detail_pages_read_no_country_boundary(client, neaspec_dataset):
    for url in detail_urls():
        for sql in sql_of(client, url):
            assert not COUNTRY_BOUNDARY.search(sql), (url, sql)


def query_count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_records(count: int) -> None:
    for _ in range(count):
        area = ProtectedAreaFactory()
        project = ProjectFactory()
        project.protected_areas.add(area)
        project.countries.add(area.country)
        MeetingFactory(host_country=area.country)
        SpeciesFactory()


@pytest.mark.django_db
def test_list_page_queries_do_not_grow_with_the_data(client):
    urls = ["/", "/protected-areas/", "/projects/", "/species/", "/meetings/", "/sitemap/"]
    add_records(2)
    few = {url: query_count(client, url) for url in urls}
    add_records(10)
    assert {url: query_count(client, url) for url in urls} == few
