"""Anonymous pages from the cache, keyed by the data version: never stale, never served to
or stored from a signed-in user (issue 16)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from common.dataversion import data_version
from common.models import PublicationState
from common.responsecache import recent_copies
from protected_areas.models import ProtectedArea
from tests.factories import CountryFactory, ProjectFactory, ProtectedAreaFactory

pytestmark = pytest.mark.django_db

LIST = "/protected-areas/"


@pytest.fixture(autouse=True)
def response_cache_on(settings):
    settings.RESPONSE_CACHE_ENABLED = True


def queries_of(client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries.captured_queries]


def test_every_kind_of_write_changes_the_data_version():
    versions = [data_version()]
    area = ProtectedAreaFactory()
    versions.append(data_version())
    ProtectedArea.objects.filter(pk=area.pk).update(name="Renamed in bulk")
    versions.append(data_version())
    ProjectFactory().protected_areas.add(area)
    versions.append(data_version())
    ProtectedArea.objects.bulk_create([ProtectedAreaFactory.build(country=area.country)])
    versions.append(data_version())
    area.delete()
    versions.append(data_version())
    assert len(set(versions)) == len(versions)


def test_a_repeated_anonymous_page_reads_only_the_data_version(client):
    ProtectedAreaFactory(name="Khanka")
    first, _ = queries_of(client, LIST)
    again, sql = queries_of(client, LIST)
    assert again.content == first.content
    assert len(sql) == 1 and "common_dataversion" in sql[0]
    assert "Cookie" not in again.get("Vary", "")


def test_an_edit_a_publication_and_a_deletion_show_on_the_next_request(client):
    area = ProtectedAreaFactory(name="Khanka")
    draft = ProtectedAreaFactory(name="Daurski", publication_state=PublicationState.DRAFT)
    assert "Khanka" in client.get(LIST).text

    area.name = "Lake Khanka"
    area.save()
    assert "Lake Khanka" in client.get(LIST).text

    draft.publication_state = PublicationState.PUBLISHED
    draft.save()
    assert "Daurski" in client.get(LIST).text

    draft.delete()
    assert "Daurski" not in client.get(LIST).text

    country = area.country
    country.name = "Renamed country"
    country.save()
    assert "Renamed country" in client.get(area.get_absolute_url()).text


def test_staff_are_never_served_the_anonymous_copy(client, staff_client_second):
    ProtectedAreaFactory(name="Khanka")
    anonymous = client.get(LIST).text
    assert "Admin</a>" not in anonymous
    staff_page, sql = queries_of(staff_client_second, LIST)
    assert "Admin</a>" in staff_page.text
    assert len(sql) > 1
    # Nor is a staff page stored for the anonymous.
    assert "Admin</a>" not in client.get(LIST).text


@pytest.fixture
def staff_client_second(django_user_model):
    user = django_user_model.objects.create_superuser("secretariat", "s@example.org", "pw")
    staff = Client()
    staff.force_login(user)
    return staff


def test_a_cached_page_gets_a_fresh_csp_nonce_each_time(client):
    country = CountryFactory(iso_a3="MNG")
    ProtectedAreaFactory(country=country)
    url = "/dashboards/"
    pages = [client.get(url) for _ in range(3)]
    nonces = set()
    for page in pages:
        header = page["Content-Security-Policy"]
        found = re.search(r"'nonce-([^']+)'", header)
        if found is None:
            continue
        nonces.add(found.group(1))
        assert found.group(1) in page.text
        assert "\x00" not in page.text
    assert len(nonces) in (0, len(pages))


def test_the_admin_and_downloads_are_never_cached(client):
    client.get("/admin/login/")
    _, sql = queries_of(client, "/admin/login/")
    assert not any("common_dataversion" in query for query in sql)


def test_a_hit_reads_neither_the_session_nor_the_user_and_keeps_the_pages_headers(client):
    ProtectedAreaFactory(name="Khanka")
    first = client.get(LIST)
    again, sql = queries_of(client, LIST)
    assert sql == [sql[0]] and "common_dataversion" in sql[0]
    assert not hasattr(again.wsgi_request, "session")
    assert not hasattr(again.wsgi_request, "user")
    for header in ("Content-Type", "Content-Language", "X-Frame-Options"):
        assert again[header] == first[header]
    assert int(again["Content-Length"]) == len(again.content)
    policy = again["Content-Security-Policy"]
    assert re.sub(r"'nonce-[^']+'", "", policy) == re.sub(
        r"'nonce-[^']+'", "", first["Content-Security-Policy"]
    )
    assert "\x00" not in policy


def test_each_language_has_its_own_copy(client):
    ProtectedAreaFactory(name="Khanka")
    for _visit in range(2):
        english = client.get(LIST)
        japanese = client.get("/ja" + LIST)
        assert english["Content-Language"] == "en"
        assert japanese["Content-Language"] == "ja"
        assert english.content != japanese.content
    # The browser's language does not choose the language of an address without a prefix,
    # cached or not (as LocaleMiddleware decides).
    assert client.get(LIST, headers={"accept-language": "ja"}).content == english.content


def test_a_signed_in_editor_is_never_served_a_copy_even_of_a_page_cached_before(
    client, staff_client_second
):
    ProtectedAreaFactory(name="Khanka")
    client.get(LIST)
    _, sql = queries_of(client, LIST)
    assert len(sql) == 1
    for _visit in range(2):
        staff_page, sql = queries_of(staff_client_second, LIST)
        assert "Admin</a>" in staff_page.text
        assert any("django_session" in query for query in sql)


def test_a_cached_page_still_counts_against_the_rate_limit(client, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMIT_RULES = [
        (name, pattern, "2/60") for name, pattern, _rate in settings.RATELIMIT_RULES
    ]
    url = "/search/?q=Khanka"
    ProtectedAreaFactory(name="Khanka")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    limited = client.get(url)
    assert limited.status_code == 429
    assert limited["Cache-Control"] == "no-store"


@pytest.mark.django_db(transaction=True)
def test_the_version_read_checks_a_kept_connection_and_reopens_a_dropped_one():
    version = data_version()
    dropped = connection.connection.get_backend_pid()
    killer = connection.get_new_connection(connection.get_connection_params())
    killer.autocommit = True
    with killer.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [dropped])
    killer.close()
    # As in production (CONN_HEALTH_CHECKS) at the start of each request
    # (close_old_connections): the check is due.
    connection.health_check_enabled = True
    connection.health_check_done = False
    with CaptureQueriesContext(connection) as queries:
        assert data_version() == version
    assert connection.connection.get_backend_pid() != dropped
    # The failed read and the read again: no other query.
    assert {query["sql"] for query in queries.captured_queries} == {
        "SELECT version FROM common_dataversion WHERE id = 1"
    }


@pytest.fixture
def copies_kept_in_the_process(settings):
    settings.RESPONSE_CACHE_LOCAL_BYTES = 4 * 1024 * 1024
    recent_copies.clear()
    yield
    recent_copies.clear()


def test_a_process_serves_its_recent_copies_but_never_after_an_edit(
    client, copies_kept_in_the_process
):
    area = ProtectedAreaFactory(name="Khanka")
    first = client.get(LIST)
    cache.clear()  # the shared cache is gone: the process's own copy answers
    again, sql = queries_of(client, LIST)
    assert again.content == first.content
    assert len(sql) == 1 and "common_dataversion" in sql[0]
    area.name = "Lake Khanka"
    area.save()
    assert "Lake Khanka" in client.get(LIST).text


def test_the_process_keeps_copies_up_to_its_limit(settings, copies_kept_in_the_process):
    settings.RESPONSE_CACHE_LOCAL_BYTES = 1000
    for number in range(10):
        recent_copies.put(f"key{number}", (b"x" * 200, {}), 200)
    assert recent_copies.get("key9") is not None
    assert recent_copies.get("key0") is None
    assert sum(recent_copies.get(f"key{n}") is not None for n in range(10)) == 5
    recent_copies.put("big", (b"x" * 300, {}), 300)  # over a quarter of the limit
    assert recent_copies.get("big") is None
