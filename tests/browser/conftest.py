"""Browser tests: Playwright drives Debian's chromium (never a downloaded browser).

Every request that leaves the live test server is refused, so a page that tries to load
anything from a CDN or a tile server shows it (see `external_requests`)."""

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import sync_playwright

# The Tumen leopards and two Secretariat editors (tests/monitoring), for test_individuals.py.
from tests.monitoring.conftest import (  # noqa: F401 - fixtures, found by name
    alice,
    boris,
    roles,
    tumen,
)

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# fixtures in that thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def external_requests():
    """URLs the page tried to load from outside the test server (all refused)."""
    return []


@pytest.fixture
def csp_violations():
    """Console reports of anything the Content-Security-Policy blocked on the page."""
    return []


@pytest.fixture
def page(request, browser, live_server, external_requests, csp_violations):
    # Tests that inject their own tooling (axe-core) as an inline script mark themselves
    # `bypass_csp`; every other page must run under the portal's policy without a violation.
    bypass_csp = request.node.get_closest_marker("bypass_csp") is not None
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="en-GB", bypass_csp=bypass_csp
    )
    server_host = urlparse(live_server.url).netloc

    def only_local(route):
        url = urlparse(route.request.url)
        if url.scheme in ("data", "blob") or url.netloc == server_host:
            route.continue_()
        else:
            external_requests.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and csp_violations.append(message.text)
        ),
    )
    yield page
    context.close()
    assert csp_violations == [], "the page broke the Content-Security-Policy"


def sign_in(page, live_server, django_user_model) -> None:
    """Create a Secretariat superuser and give its password on the admin's login page."""
    django_user_model.objects.create_superuser("secretariat", "s@example.org", "browser-pw")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "secretariat")
    page.fill("#id_password", "browser-pw")
    page.click("input[type=submit]")


@pytest.fixture
def staff_page(page, live_server, django_user_model):
    """A page logged in to the admin as a Secretariat superuser."""
    sign_in(page, live_server, django_user_model)
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


@pytest.fixture
def screenshot(page):
    """Save a screenshot under test-artifacts/ (to look at, as a person would)."""

    def take(name: str, target=None, full_page: bool = False) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        if target is None:
            page.screenshot(path=str(path), full_page=full_page)
        else:
            target.screenshot(path=str(path))
        return path

    return take
