"""The API's interactive docs (Swagger UI from the portal's own static files) in Debian's
chromium: under the portal's Content-Security-Policy without a violation, loading nothing
from outside, and able to call the API."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_docs_page_loads_and_calls_the_api(
    page, live_server, screenshot, external_requests, csp_violations
):
    factories.SpeciesFactory(common_name="Amur tiger", slug="amur-tiger")
    response = page.goto(f"{live_server.url}/api/v1/docs/")
    assert response.status == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe" not in policy
    species_list = page.locator("#operations-species-species_list")
    species_list.wait_for()
    assert page.locator(".opblock").count() >= 18
    screenshot("api-docs", full_page=True)

    species_list.locator(".opblock-summary").click()
    species_list.get_by_role("button", name="Try it out").click()
    species_list.get_by_role("button", name="Execute").click()
    species_list.locator(".live-responses-table tr.response .response-col_status").first.wait_for()
    status = species_list.locator(".live-responses-table tr.response .response-col_status").first
    assert "200" in status.inner_text()
    assert "amur-tiger" in species_list.locator(".live-responses-table").inner_text()

    assert external_requests == []
    assert csp_violations == []
