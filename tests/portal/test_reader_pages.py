"""What readers expect of a site: a sitemap page, a favicon, "last updated" and "how to
cite" on records, the portal's 404 page (in development too), a print stylesheet."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from common.models import PublicationState
from tests.factories import (
    MeetingFactory,
    ProjectFactory,
    ProtectedAreaFactory,
    SpeciesFactory,
)

pytestmark = pytest.mark.django_db

RECORD_FACTORIES = {
    "project": (ProjectFactory, "title"),
    "species": (SpeciesFactory, "common_name"),
    "protected area": (ProtectedAreaFactory, "name"),
    "meeting": (MeetingFactory, "title"),
}


@pytest.mark.parametrize("kind", RECORD_FACTORIES)
def test_record_pages_say_when_they_changed_and_how_to_cite_them(client, kind):
    make, title_field = RECORD_FACTORIES[kind]
    record = make()
    type(record).objects.filter(pk=record.pk).update(
        updated=timezone.make_aware(timezone.datetime(2025, 3, 14, 12))
    )
    response = client.get(record.get_absolute_url())
    html = response.text
    assert 'Last updated: <time datetime="2025-03-14">March 14, 2025</time>' in html
    today = date_format(timezone.localdate(), "DATE_FORMAT")
    title = getattr(record, title_field)
    url = f"http://testserver{record.get_absolute_url()}"
    assert f"NEASPEC Conservation Portal. “{title}”. {url} (accessed {today})." in html, (
        "the citation names the portal, the record, its address and the day it was read"
    )


def test_the_citation_follows_the_readers_language(client):
    url = f"/ja{ProjectFactory(title='Tigers').get_absolute_url()}"
    html = client.get(url).text
    assert f"NEASPEC 自然保護ポータル「Tigers」http://testserver{url}（" in html
    assert "最終更新：" in html


def test_the_sitemap_page_lists_every_page_and_published_record(client):
    project = ProjectFactory(title="Crane flyway")
    ProjectFactory(title="Secret draft", publication_state=PublicationState.DRAFT)
    area = ProtectedAreaFactory(name="Daursky")
    species = SpeciesFactory(common_name="Hooded crane")
    meeting = MeetingFactory(title="SOM-24 meeting")
    urls = {record: record.get_absolute_url() for record in (project, area, species, meeting)}
    response = client.get("/sitemap/")
    assert response.status_code == 200
    html = response.text
    for url in urls.values():
        assert f'href="{url}"' in html
    assert "Secret draft" not in html
    for path in ("/documents/", "/map/", "/dashboards/", "/dashboards/project-portfolio/"):
        assert f'href="{path}"' in html
    assert f"<h3>{area.country.name}</h3>" in html
    # In the reader's language, linking to pages in that language.
    japanese = client.get("/ja/sitemap/").text
    assert f'href="/ja{urls[project]}"' in japanese


def test_the_footer_links_the_sitemap_page_and_xml_stays_for_robots(client):
    html = client.get("/").text
    footer = html.split('<footer class="site-footer">')[1]
    assert 'href="/sitemap/"' in footer and "sitemap.xml" not in footer
    assert client.get("/sitemap.xml")["Content-Type"].startswith("application/xml")
    assert "http://testserver/sitemap/" in client.get("/sitemap.xml").text


def test_every_page_has_a_favicon(client):
    html = client.get("/").text
    icons = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', html)
    assert icons == [
        "/static/img/favicon.svg",
        "/static/img/favicon-32.png",
        "/static/img/apple-touch-icon.png",
    ]
    static_root = Path(settings.BASE_DIR) / "static"
    for icon in [*icons, "/static/img/favicon.ico"]:
        assert (static_root / icon.removeprefix("/static/")).stat().st_size > 100, icon
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/img/favicon.ico"


def test_an_unknown_address_gets_the_portals_404_page_in_development(settings):
    settings.DEBUG = True
    client = Client(raise_request_exception=False)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'action="/search/"' in response.text  # the portal's page, not Django's
    assert "Django tried these URL patterns" not in response.text
    japanese = client.get("/ja/no-such-page/")
    assert japanese.status_code == 404 and '<html lang="ja">' in japanese.text
    # A missing trailing slash is still redirected, not reported missing.
    assert client.get("/projects").status_code == 301


def test_a_404_raised_by_a_view_still_shows_the_debug_page_in_development(settings):
    settings.DEBUG = True
    draft = ProjectFactory(publication_state=PublicationState.DRAFT)
    response = Client().get(draft.get_absolute_url())
    assert response.status_code == 404
    assert "Raised by:" in response.text  # Django's technical page: the developer's clue


def test_without_debug_the_404_page_is_the_portals(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and 'action="/search/"' in response.text


def test_the_print_stylesheet_hides_navigation_and_prints_link_addresses():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text()
    print_rules = css[css.index("@media print") :]
    for hidden in (".main-nav", ".language-switcher", ".site-search", ".leaflet-control-container"):
        assert hidden in print_rules.split("display: none")[0]
    link_rule = print_rules[print_rules.index('.record a[href^="http"]::after') :]
    assert 'content: " (" attr(href) ")"' in link_rule.split("}")[0]
