"""Signing in with a second factor, in a browser: the pairing page shows its QR code under
the Content-Security-Policy, and the code the app would show opens the admin."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db


def test_a_secretariat_superuser_pairs_an_app_and_reaches_the_admin(
    page, live_server, django_user_model, settings, screenshot
):
    settings.ADMIN_REQUIRE_2FA = True
    sign_in(page, live_server, django_user_model)
    page.wait_for_url(f"{live_server.url}/admin/two-factor/setup/**")
    qr = page.locator(".two-factor-qr svg")
    assert qr.is_visible()
    box = qr.bounding_box()
    assert box["width"] >= 150 and box["height"] >= 150
    screenshot("two-factor-setup", full_page=True)
    key = b32decode(page.locator("code").inner_text().replace(" ", ""))
    page.fill("#id_token", f"{TOTP(key).token():06d}")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert "Two-factor sign-in is set up" in page.content()
