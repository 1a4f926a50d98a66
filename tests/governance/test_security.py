"""Production settings, Content-Security-Policy, login throttling."""

import os
import secrets

import pytest
from axes.utils import reset as axes_reset
from django.test import override_settings
from django.urls import reverse

from neaspec_portal.security import tile_origins
from tests.conftest import manage_in_subprocess

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "neaspec_portal.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "portal.neaspec.org",
    "CSRF_TRUSTED_ORIGINS": "https://portal.neaspec.org",
    "DATABASE_URL": "postgis://neaspec:neaspec@127.0.0.1:5432/neaspec",
    "MAP_TILES_URL": "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
    "DEBUG": "false",
}


def manage(*args, **env):
    # A clean environment, as on a server: nothing from the test run leaks in (the browser
    # tests set DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly rejects).
    environment = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    return manage_in_subprocess(*args, env=environment, timeout=120)


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "change-me"}, "SECRET_KEY must be a long random value"),
        ({"DEBUG": "true"}, "DEBUG must be off"),
    ],
)
def test_production_refuses_to_start_insecurely(change, message):
    env = {**PRODUCTION_ENV, **change}
    env = {k: v for k, v in env.items() if v is not None}
    result = manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_tile_origins():
    assert tile_origins("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == [
        "https://tile.openstreetmap.org"
    ]
    assert tile_origins("https://{s}.tiles.example.org/{z}/{x}/{y}.png") == [
        "https://*.tiles.example.org"
    ]
    assert tile_origins("") == []
    with pytest.raises(ValueError, match="MAP_TILES_URL"):
        tile_origins("tiles/{z}/{x}/{y}.png")


@pytest.mark.django_db
def test_admin_map_pages_send_a_csp_whose_nonce_the_leaflet_widget_carries(staff_client):
    response = staff_client.get(reverse("admin:protected_areas_protectedarea_add"))
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in policy
    nonce = response.wsgi_request.csp_nonce
    assert f"'nonce-{nonce}'" in directives["script-src"]
    assert f'<script nonce="{nonce}">' in response.content.decode()
    assert "https://tile.openstreetmap.org" in directives["img-src"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.fixture
def throttled(db):
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3):
        axes_reset()
        yield
        axes_reset()


def test_repeated_failed_logins_lock_the_account_out(client, django_user_model, throttled):
    django_user_model.objects.create_superuser("secretariat", "s@example.org", "right-pw")
    url = reverse("admin:login")
    for _attempt in range(3):
        client.post(url, {"username": "secretariat", "password": "wrong"})
    locked = client.post(url, {"username": "secretariat", "password": "right-pw"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
