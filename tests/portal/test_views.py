import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import reverse
from django.utils import translation

import protected_areas.selectors
from common.models import PublicationState
from meetings.models import Meeting
from projects.models import Project
from protected_areas.models import ProtectedArea
from species.models import Species
from tests.factories import (
    MeetingFactory,
    ProjectFactory,
    ProtectedAreaFactory,
    SpeciesFactory,
)

pytestmark = pytest.mark.django_db

PUBLIC_LISTS = ["/", "/projects/", "/species/", "/protected-areas/", "/meetings/", "/search/"]


@pytest.mark.usefixtures("neaspec_dataset")
def test_every_public_page_renders_for_an_anonymous_reader_with_the_dataset(client):
    detail_urls = [
        model.objects.published().first().get_absolute_url()
        for model in (Project, Species, ProtectedArea, Meeting)
    ]
    for url in PUBLIC_LISTS + detail_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'<main id="main"' in response.content


@pytest.mark.usefixtures("neaspec_dataset")
def test_every_page_renders_in_every_language(client, settings):
    url = Species.objects.published().get(slug="amur-tiger").get_absolute_url()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            localized = Species.objects.get(slug="amur-tiger").get_absolute_url()
        assert localized == (url if code == "en" else f"/{code}{url}")
        response = client.get(localized)
        assert response.status_code == 200
        assert f'<html lang="{code}">' in response.text


@pytest.mark.usefixtures("neaspec_dataset")
def test_home_page_shows_headline_figures_latest_meeting_and_a_map(client):
    ProtectedAreaFactory(publication_state=PublicationState.DRAFT)  # not counted
    response = client.get("/")
    figures = response.context["figures"]
    assert figures["species"] == Species.objects.published().count() == 6
    shipped = settings.BASE_DIR / "data" / "neaspec" / "protected_areas.json"
    assert figures["protected_areas"] == len(
        json.loads(shipped.read_text(encoding="utf-8"))["protected_areas"]
    )
    assert figures["transboundary_links"] == 7
    latest = response.context["latest_meeting"]
    assert latest.year == max(Meeting.objects.values_list("year", flat=True))
    assert 'data-minimap="home-map"' in response.text
    assert 'href="/map/"' in response.text
    assert 'href="/dashboards/"' in response.text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "跨越东北亚国界的自然保护"),
        ("ja", "国境を越える北東アジアの自然保護"),
        ("ko", "국경을 넘는 동북아시아 자연보전"),
        ("mn", "Зүүн хойд Азийн хил дамнасан байгаль хамгаалал"),
        ("ru", "Охрана природы через границы Северо-Восточной Азии"),
        ("en", "Nature conservation across North-East Asia"),
    ],
)
def test_each_language_serves_translated_interface_strings(client, language, expected):
    prefix = "" if language == "en" else f"/{language}"
    response = client.get(f"{prefix}/")
    assert expected in response.text
    # The skip link, like every interface string, is in the reader's language.
    english_skip_link = "Skip to main content" in response.text
    assert english_skip_link == (language == "en")


def test_russian_plurals_follow_russian_grammar(client):
    ProjectFactory.create_batch(3)
    assert "3 проекта" in client.get("/ru/projects/").text
    ProjectFactory.create_batch(2)
    assert "5 проектов" in client.get("/ru/projects/").text


def test_unprefixed_urls_stay_english_whatever_the_browser_asks_for(client):
    response = client.get("/projects/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    assert '<html lang="en">' in response.text


def test_language_switcher_keeps_the_page_and_its_filters(client):
    project = ProjectFactory()
    response = client.get(f"{project.get_absolute_url()}")
    assert f'href="/ja/projects/{project.slug}/"' in response.text
    response = client.get("/projects/?status=ongoing")
    assert 'href="/ko/projects/?status=ongoing"' in response.text


def test_head_has_canonical_hreflang_and_opengraph(client):
    project = ProjectFactory(title="Tiger corridors", summary="Linking forests.")
    response = client.get(f"/ja{project.get_absolute_url()}")
    html = response.text
    assert f'<link rel="canonical" href="http://testserver/ja/projects/{project.slug}/">' in html
    for code in ["en", "zh-hans", "ja", "ko", "mn", "ru"]:
        assert f'hreflang="{code}"' in html
    assert (
        f'<link rel="alternate" hreflang="x-default" href="http://testserver/projects/{project.slug}/">'
        in html
    )
    assert '<meta property="og:title" content="Tiger corridors">' in html
    assert '<meta property="og:description" content="Linking forests.">' in html
    assert '<meta property="og:locale" content="ja_JP">' in html
    assert '<meta property="og:type" content="article">' in html


def test_pages_have_landmarks_and_a_skip_link(client):
    html = client.get("/").text
    assert '<a class="skip-link" href="#main">' in html
    assert re.search(r"<header[^>]*>", html)
    assert '<nav class="main-nav" aria-label="Main">' in html
    assert '<footer class="site-footer">' in html


def test_staff_see_edit_in_admin_links_and_readers_do_not(staff_client):
    project = ProjectFactory()
    assert "Edit in admin" not in Client().get(project.get_absolute_url()).text
    html = staff_client.get(project.get_absolute_url()).text
    edit_url = reverse("admin:projects_project_change", args=[project.pk])
    assert f'<a href="{edit_url}">Edit in admin</a>' in html


def test_search_finds_published_records_of_every_kind(client):
    ProjectFactory(title="Amur tiger corridors")
    ProjectFactory(title="Secret tiger plan", publication_state=PublicationState.DRAFT)
    SpeciesFactory(common_name="Amur tiger", scientific_name="Panthera tigris altaica")
    ProtectedAreaFactory(name="Tiger valley reserve")
    MeetingFactory(title="Workshop on tiger conservation")
    results = client.get("/search/", {"q": "tiger"}).context["results"]
    assert [p.title for p in results.projects] == ["Amur tiger corridors"]
    assert [s.common_name for s in results.species] == ["Amur tiger"]
    assert [a.name for a in results.protected_areas] == ["Tiger valley reserve"]
    assert [m.title for m in results.meetings] == ["Workshop on tiger conservation"]
    assert results.total == 4


def test_search_matches_any_language_and_shows_the_reader_s_translation(client):
    SpeciesFactory(common_name="Amur tiger", common_name_ja="アムールトラ")
    response = client.get("/ja/search/", {"q": "Amur"})
    assert "アムールトラ" in response.text
    response = client.get("/search/", {"q": "アムール"})
    assert [s.common_name for s in response.context["results"].species] == ["Amur tiger"]


def test_search_without_results_says_so_and_offers_ways_on(client):
    response = client.get("/search/", {"q": "narwhal"})
    assert response.context["results"].total == 0
    assert "0 results for “narwhal”" in response.text
    assert "Nothing matched" in response.text
    assert 'href="/species/"' in response.text


def test_404_page_helps_the_reader_on_in_their_language(client):
    response = client.get("/ja/projects/no-such-project/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.text
    assert 'action="/ja/search/"' in response.text


def test_sitemap_lists_published_pages_in_every_language(client):
    published = ProjectFactory(slug="published-project")
    ProjectFactory(slug="draft-project", publication_state=PublicationState.DRAFT)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = [el.text for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"http://testserver{published.get_absolute_url()}" in locations
    assert f"http://testserver/ru{published.get_absolute_url()}" in locations
    assert not any("draft-project" in loc for loc in locations)
    assert 'hreflang="x-default"' in response.text


def test_admin_and_sitemap_stay_outside_the_language_prefix(client):
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/ja/admin/login/").status_code == 404
    assert client.get("/ja/sitemap.xml").status_code == 404


def test_home_and_search_use_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(15):
        ProjectFactory(title="Tiger project")
        SpeciesFactory(common_name="Tiger")
        ProtectedAreaFactory(name="Tiger reserve")
        MeetingFactory(title="Tiger meeting")
    # One of them asks whether a country changed, so that the map's outlines are never stale.
    # Three are the Secretariat's figures beside the portal's (issue 10): the facts, and the
    # portal's two counts compared with them.
    with django_assert_max_num_queries(12):
        client.get("/")
    with django_assert_max_num_queries(5):
        client.get("/search/", {"q": "tiger"})


def test_the_language_switcher_works_on_the_404_page_too(client):
    html = client.get("/ja/projects/no-such-project/").text
    assert 'href="/projects/no-such-project/" hreflang="en"' in html
    assert 'href="/ru/projects/no-such-project/" hreflang="ru"' in html


def test_home_map_draws_cells_with_counts_once_areas_are_too_many_for_points(client, monkeypatch):
    country = ProtectedAreaFactory().country
    # Three areas within one 2° cell, one far away; a draft never counts.
    for lon, lat in [(130.1, 42.1), (130.5, 42.4), (130.9, 42.8), (100.2, 48.1)]:
        ProtectedAreaFactory(country=country, boundary=None, location=Point(lon, lat, srid=4326))
    ProtectedAreaFactory(
        country=country,
        boundary=None,
        location=Point(130.2, 42.2, srid=4326),
        publication_state=PublicationState.DRAFT,
    )
    page_map = re.compile(r'<script id="home-map" type="application/json">(.*?)</script>', re.S)

    def areas_drawn():
        data = json.loads(page_map.search(client.get("/").text).group(1))
        return [f["properties"] for f in data["features"] if f["properties"]["kind"] == "area"]

    assert len(areas_drawn()) == ProtectedArea.objects.published().count()
    monkeypatch.setattr(protected_areas.selectors, "HOME_MAP_MAX_POINTS", 3)
    cells = areas_drawn()
    assert len(cells) < ProtectedArea.objects.published().count()
    names = sorted(cell["name"] for cell in cells)
    assert "3 protected areas" in names
    # The count travels with the cell, so the map can size it.
    assert {cell["areas"] for cell in cells if cell["name"] == "3 protected areas"} == {3}
    assert all(cell["url"].startswith("/map/?lat=") for cell in cells)
