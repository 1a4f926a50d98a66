"""The admin's second factor (TOTP) and the end of staff sessions."""

import re
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from governance.staff_sessions import SEEN_KEY, STARTED_KEY
from tests import factories
from tests.governance.test_security import PRODUCTION_ENV, manage

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
SETUP = "/admin/two-factor/setup/"
VERIFY = "/admin/two-factor/verify/"


@pytest.fixture
def required(settings):
    settings.ADMIN_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def current_code(device) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def confirmed_device(user):
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def test_an_editor_without_a_device_is_sent_to_set_one_up(editor_client, required):
    for path in (ADMIN, "/admin/projects/project/", "/admin/governance/accesslogentry/"):
        response = editor_client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"{SETUP}?next={path.replace('/', '%2F')}"
    page = editor_client.get(SETUP)
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "style=" not in re.search(r"<svg.*?</svg>", page.text, re.S)[0]


def test_setting_up_a_device_opens_the_admin(editor_client, secretariat_editor, required):
    editor_client.get(SETUP)
    device = TOTPDevice.objects.get(user=secretariat_editor, confirmed=False)
    wrong = editor_client.post(SETUP, {"token": "000000", "next": ADMIN})
    assert wrong.status_code == 200
    assert "not the current one" in wrong.text
    response = editor_client.post(SETUP, {"token": current_code(device), "next": ADMIN})
    assert response.status_code == 302
    assert response["Location"] == ADMIN
    device.refresh_from_db()
    assert device.confirmed
    assert editor_client.get(ADMIN).status_code == 200


def test_with_a_device_the_current_code_is_asked(editor_client, secretariat_editor, required):
    device = confirmed_device(secretariat_editor)
    response = editor_client.get(ADMIN)
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    wrong = editor_client.post(VERIFY, {"token": "000000", "next": ADMIN})
    assert "not right or has expired" in wrong.text
    assert editor_client.get(ADMIN).status_code == 302
    right = editor_client.post(VERIFY, {"token": current_code(device), "next": ADMIN})
    assert right["Location"] == ADMIN
    assert editor_client.get(ADMIN).status_code == 200


def test_wrong_codes_slow_the_next_attempt_down(editor_client, secretariat_editor, settings):
    settings.ADMIN_REQUIRE_2FA = True
    device = confirmed_device(secretariat_editor)
    editor_client.post(VERIFY, {"token": "000000"})
    refused = editor_client.post(VERIFY, {"token": current_code(device)})
    assert "Too many wrong codes" in refused.text
    assert editor_client.get(ADMIN).status_code == 302


def test_a_password_alone_cannot_replace_the_device(editor_client, secretariat_editor, required):
    confirmed_device(secretariat_editor)
    response = editor_client.get(SETUP)
    assert response["Location"].startswith(VERIFY)
    assert not TOTPDevice.objects.filter(confirmed=False).exists()


def test_the_pages_need_a_password_first(client, required):
    for page in (SETUP, VERIFY):
        assert client.get(page)["Location"].startswith("/admin/login/")


def test_after_the_code_no_redirect_leaves_the_site(editor_client, secretariat_editor, required):
    device = confirmed_device(secretariat_editor)
    response = editor_client.post(
        VERIFY, {"token": current_code(device), "next": "https://evil.example.org/"}
    )
    assert response["Location"] == ADMIN


def test_until_verified_the_session_is_a_visitors_elsewhere(
    editor_client, secretariat_editor, required
):
    species = factories.SpeciesFactory(is_sensitive=True)
    factories.OccurrenceFactory(species=species)  # at 131.3, 43.2
    unverified = editor_client.get("/api/map/occurrences.geojson?zoom=12").text
    assert "131.3," not in unverified
    assert "public" in editor_client.get("/api/map/occurrences.geojson?zoom=12")["Cache-Control"]
    device = confirmed_device(secretariat_editor)
    editor_client.post(VERIFY, {"token": current_code(device)})
    assert "131.3," in editor_client.get("/api/map/occurrences.geojson?zoom=12").text


def test_a_focal_point_needs_no_device(focal_client, required):
    assert focal_client.get(ADMIN).status_code == 200


def test_not_required_when_switched_off(editor_client):
    assert editor_client.get(ADMIN).status_code == 200


def test_a_lost_device_is_removed_by_command(editor_client, secretariat_editor, required):
    confirmed_device(secretariat_editor)
    call_command("two_factor_reset", secretariat_editor.username)
    assert not TOTPDevice.objects.exists()
    assert editor_client.get(ADMIN)["Location"].startswith(SETUP)


def test_production_requires_it_by_default():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.ADMIN_REQUIRE_2FA)",
        **PRODUCTION_ENV,
    )
    assert result.stdout.strip().endswith("True"), result.stderr


# -- Staff sessions end after a working day and on idle -------------------------------------
def age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_an_idle_staff_session_is_logged_out(editor_client, settings):
    assert editor_client.get(ADMIN).status_code == 200
    age_session(editor_client, **{SEEN_KEY: settings.STAFF_SESSION_IDLE_SECONDS + 1})
    response = editor_client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "_auth_user_id" not in editor_client.session


def test_a_staff_session_ends_after_a_working_day(editor_client, settings):
    editor_client.get(ADMIN)
    age_session(editor_client, **{STARTED_KEY: settings.STAFF_SESSION_MAX_SECONDS + 1})
    assert editor_client.get(ADMIN).status_code == 302
    assert "_auth_user_id" not in editor_client.session


def test_an_active_staff_session_goes_on_and_expires_soon_by_itself(editor_client, settings):
    editor_client.get(ADMIN)
    age_session(editor_client, **{SEEN_KEY: settings.STAFF_SESSION_IDLE_SECONDS - 60})
    assert editor_client.get(ADMIN).status_code == 200
    session = editor_client.session
    assert int(time.time()) - session[SEEN_KEY] < 5
    assert session.get_expiry_age() <= settings.STAFF_SESSION_IDLE_SECONDS


def test_the_last_hour_of_the_day_is_not_extended_by_activity(editor_client, settings):
    editor_client.get(ADMIN)
    age_session(
        editor_client,
        **{STARTED_KEY: settings.STAFF_SESSION_MAX_SECONDS - 100, SEEN_KEY: 120},
    )
    editor_client.get(ADMIN)
    assert editor_client.session.get_expiry_age() <= 100


def test_sessions_of_readers_are_left_alone(client, django_user_model):
    reader = django_user_model.objects.create_user("reader")
    client.force_login(reader)
    age_session(client, **{SEEN_KEY: 10 * 3600})
    client.get("/")
    assert "_auth_user_id" in client.session
