"""Rate limits on the map API, search, downloads and the API (429 with Retry-After, per
client, in the cache), and login throttling per address whatever the username."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from common import ratelimit
from dashboards.services import dashboard_snapshot_rebuild
from tests import factories
from tests.governance.test_security import PRODUCTION_ENV, manage

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture
def low_limits(settings):
    """The project's own rules (patterns as configured), each at LIMIT per minute."""
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMIT_RULES = [
        (name, pattern, f"{LIMIT}/60") for name, pattern, _rate in django_settings.RATELIMIT_RULES
    ]


def assert_limited(response):
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    assert response["Cache-Control"] == "no-store"
    return wait


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=tiger",
        "/ja/search/?q=tiger",
        "/api/map/search.json?q=tiger",
        "/api/map/protected-areas.geojson",
        "/api/map/occurrences.geojson?zoom=5",
        "/tiles/protected-areas/4/13/5.pbf",
    ],
)
def test_past_the_limit_the_answer_is_429_with_retry_after(client, low_limits, path):
    for _request in range(LIMIT):
        assert client.get(path).status_code == 200
    assert_limited(client.get(path))


def test_the_map_api_says_so_in_json(client, low_limits):
    for _request in range(LIMIT):
        client.get("/api/map/countries.geojson")
    response = client.get("/api/map/countries.geojson")
    wait = assert_limited(response)
    assert response.json() == {
        "error": f"Too many requests. Try again in {wait} seconds.",
        "retry_after": wait,
    }


def test_downloads_are_limited(client, low_limits):
    factories.DecisionFactory()
    dashboard_snapshot_rebuild(indicator="meeting-follow-up")
    for suffix in ("csv", "json", "csv"):
        assert client.get(f"/dashboards/meeting-follow-up.{suffix}").status_code == 200
    assert_limited(client.get("/dashboards/meeting-follow-up.csv"))
    # The dashboard's page is browsing, not a download.
    assert client.get("/dashboards/meeting-follow-up/").status_code == 200


def test_any_api_path_is_limited(client, low_limits):
    for _request in range(LIMIT):
        client.get("/api/none-yet/")
    assert_limited(client.get("/api/none-yet/"))


def test_browsing_pages_is_never_limited(client, low_limits):
    factories.SpeciesFactory()
    for _request in range(LIMIT * 4):
        for path in ("/", "/species/", "/protected-areas/", "/map/", "/sitemap.xml"):
            assert client.get(path).status_code == 200, path


def test_each_rule_and_each_client_has_its_own_budget(client, low_limits, django_user_model):
    for _request in range(LIMIT):
        client.get("/api/map/countries.geojson", REMOTE_ADDR="192.0.2.1")
    assert_limited(client.get("/api/map/countries.geojson", REMOTE_ADDR="192.0.2.1"))
    # Search has its own budget; another address has its own; a signed-in user its own
    # (staff in an office behind one address do not share its budget).
    assert client.get("/search/?q=x", REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.get("/api/map/countries.geojson", REMOTE_ADDR="192.0.2.2").status_code == 200
    other = Client(REMOTE_ADDR="192.0.2.1")
    other.force_login(django_user_model.objects.create_user("official", is_staff=True))
    for _request in range(LIMIT):
        assert other.get("/api/map/countries.geojson").status_code == 200


def test_staff_under_the_limit_are_unaffected(staff_client, low_limits):
    for _request in range(LIMIT):
        assert staff_client.get("/api/map/occurrences.geojson").status_code == 200
        assert staff_client.get(reverse("admin:index")).status_code == 200


def test_the_window_ends(client, low_limits, monkeypatch):
    clock = [1_000_040.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    for _request in range(LIMIT):
        client.get("/search/?q=x")
    assert assert_limited(client.get("/search/?q=x")) == 40
    clock[0] += 40
    assert client.get("/search/?q=x").status_code == 200


def test_forwarded_addresses_count_only_behind_a_trusted_proxy(client, low_limits, settings):
    # Not behind a proxy: a forged header does not buy a new budget.
    for number in range(LIMIT):
        client.get("/search/?q=x", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    assert_limited(client.get("/search/?q=x", HTTP_X_FORWARDED_FOR="203.0.113.99"))
    # Behind one proxy, the address it appended is the client's.
    settings.TRUSTED_PROXY_COUNT = 1
    for _request in range(LIMIT):
        response = client.get("/search/?q=x", HTTP_X_FORWARDED_FOR="forged, 198.51.100.7")
        assert response.status_code == 200
    assert_limited(client.get("/search/?q=x", HTTP_X_FORWARDED_FOR="other, 198.51.100.7"))


def test_a_failing_cache_lets_requests_through(client, low_limits, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(ratelimit.cache, "incr", broken)
    for _request in range(LIMIT + 2):
        assert client.get("/search/?q=x").status_code == 200


def test_limits_are_off_when_switched_off(client, low_limits, settings):
    settings.RATELIMIT_ENABLED = False
    for _request in range(LIMIT + 2):
        assert client.get("/search/?q=x").status_code == 200


@pytest.mark.parametrize("rate", ["30", "x/60", "0/60", "30/0", "1/2/3"])
def test_a_bad_rate_is_refused_with_its_form(rate):
    with pytest.raises(ValueError, match="requests/seconds"):
        ratelimit.parse_rate(rate)


# -- Login throttling per address (after three failures: the `throttled` fixture) ---------
def test_many_usernames_from_one_address_lock_the_address_out(client, throttled):
    User.objects.create_superuser("secretariat", "s@example.org", "right-pw")
    url = reverse("admin:login")
    for username in ("alice", "bob", "carol"):
        client.post(url, {"username": username, "password": "guess"}, REMOTE_ADDR="192.0.2.9")
    locked = client.post(
        url, {"username": "secretariat", "password": "right-pw"}, REMOTE_ADDR="192.0.2.9"
    )
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not locked out.
    elsewhere = Client(REMOTE_ADDR="192.0.2.10")
    signed_in = elsewhere.post(url, {"username": "secretariat", "password": "right-pw"})
    assert signed_in.status_code == 302
    assert "_auth_user_id" in elsewhere.session


def test_behind_a_proxy_the_lockout_is_of_the_client_not_the_proxy(client, throttled, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    User.objects.create_superuser("secretariat", "s@example.org", "right-pw")
    url = reverse("admin:login")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for username in ("alice", "bob", "carol"):
        client.post(
            url,
            {"username": username, "password": "guess"},
            HTTP_X_FORWARDED_FOR="192.0.2.9",
            **proxy,
        )
    colleague = Client()
    signed_in = colleague.post(
        url,
        {"username": "secretariat", "password": "right-pw"},
        HTTP_X_FORWARDED_FOR="192.0.2.10",
        **proxy,
    )
    assert signed_in.status_code == 302


def test_production_reads_the_client_address_behind_its_one_proxy():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)",
        **PRODUCTION_ENV,
    )
    assert result.stdout.strip().endswith("1"), result.stderr


def test_ogc_api_is_limited(client, low_limits):
    for _request in range(LIMIT):
        assert client.get("/ogc/collections").status_code == 200
    assert_limited(client.get("/ogc/collections"))
