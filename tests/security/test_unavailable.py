"""With the database down pages answer 503 with Retry-After and a readable page; `/healthz`
names the part that fails. The outages are real: a connection to a port nobody listens on."""

import os
import socket
import threading

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client, override_settings

from portal import views as portal_views
from tests.governance.test_security import PRODUCTION_ENV, manage

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A port that was free a moment ago and that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unreachable_database(settings_dict: dict) -> dict:
    if settings_dict["ENGINE"].endswith(("postgis", "postgresql")):
        return {**settings_dict, "HOST": "127.0.0.1", "PORT": closed_port()}
    return {**settings_dict, "NAME": "/nonexistent/directory/neaspec.sqlite3"}


def get_with_database_down(path: str, **headers):
    """GET `path` from a thread whose own connection points at a closed port (the test's
    connection, holding its transaction, is untouched)."""
    answers = {}

    def run():
        connection = connections[DEFAULT_DB_ALIAS]
        connection.settings_dict = unreachable_database(connection.settings_dict)
        try:
            client = Client(raise_request_exception=False)
            for name, value in headers.pop("cookies", {}).items():
                client.cookies[name] = value
            answers["response"] = client.get(path, **headers)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    return answers["response"]


def assert_readable_503(response, *, language="en"):
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.SERVICE_UNAVAILABLE_RETRY_AFTER)
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    if language == "en":
        assert "Temporarily unavailable" in body
        assert "cannot reach its database" in body
    else:
        # In the reader's language: no English left on the page's message.
        assert "Temporarily unavailable" not in body
        assert f"{settings.SERVICE_UNAVAILABLE_RETRY_AFTER} " in body


@pytest.mark.parametrize("path", ["/", "/species/", "/ja/projects/", "/api/map/countries.geojson"])
def test_pages_answer_503_with_retry_after_when_the_database_is_down(path):
    language = "ja" if path.startswith("/ja/") else "en"
    assert_readable_503(get_with_database_down(path), language=language)


def test_a_signed_in_users_session_cannot_be_read_either():
    """The session is loaded in a middleware, before any view: still a 503, not a 500."""
    response = get_with_database_down("/admin/", cookies={settings.SESSION_COOKIE_NAME: "a" * 32})
    assert_readable_503(response)


def test_other_errors_stay_500s(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(portal_views, "portal_figures", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_healthz_is_ok_when_everything_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    payload = response.json()
    assert payload["status"] == "ok"
    assert payload["failing"] == []
    assert set(payload["checks"]) == {"database", "cache", "broker"}
    assert all(check["ok"] for check in payload["checks"].values())
    assert "no-cache" in response["Cache-Control"]


def test_healthz_names_a_broker_that_is_down(client):
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port()}/0"):
        response = client.get("/healthz")
    assert response.status_code == 503
    payload = response.json()
    assert payload["failing"] == ["broker"]
    assert payload["checks"]["broker"] == {
        "ok": False,
        "error": "OperationalError",
        "ms": payload["checks"]["broker"]["ms"],
    }
    assert payload["checks"]["database"]["ok"]


def test_healthz_names_a_database_that_is_down():
    response = get_with_database_down("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]


def test_healthz_reaches_a_real_broker(client):
    """The Redis `make test` starts (as tests/dashboards/test_worker.py uses it)."""
    redis_url = os.environ.get("DASHBOARDS_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")
    with override_settings(CELERY_BROKER_URL=redis_url):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"]["detail"] == "reachable"


def test_production_does_not_redirect_the_health_check():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECURE_REDIRECT_EXEMPT)",
        **PRODUCTION_ENV,
    )
    assert "healthz" in result.stdout, result.stderr
