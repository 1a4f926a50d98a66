"""Individual animals in a browser: a match confirmed in the admin by another staff member,
the staff movement map, and what the public sees (the indicator's grid cells, the species
page's figures)."""

import pytest

from dashboards.services import dashboard_snapshot_rebuild
from monitoring.models import MatchStatus
from tests.monitoring.conftest import propose_l2_is_g1


def sign_in_as(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


@pytest.mark.usefixtures("boris")
def test_another_staff_member_confirms_a_match(page, live_server, tumen, alice, screenshot):
    match = propose_l2_is_g1(tumen, alice)
    sign_in_as(page, live_server, "boris")
    change_url = f"{live_server.url}/admin/monitoring/identitymatch/{match.pk}/change/"
    page.goto(change_url)
    screenshot("admin-identity-match-change", full_page=True)
    page.get_by_role("link", name="Confirm: they are one animal").click()
    page.fill("#id_note", "Same genotype, same place.")
    screenshot("admin-identity-match-confirm")
    page.get_by_role("button", name="Confirm: they are one animal").click()
    page.wait_for_url(change_url)
    assert "done" in page.locator(".messagelist").inner_text()
    assert "Confirmed" in page.locator(".match-decision").inner_text()
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED and match.decided_by.username == "boris"

    page.goto(f"{live_server.url}/admin/monitoring/individual/{tumen.l1.pk}/change/")
    screenshot("admin-individual-change", full_page=True)
    page.goto(f"{live_server.url}/admin/monitoring/individual/")
    screenshot("admin-individual-list")
    page.goto(f"{live_server.url}/admin/monitoring/individual/movement-map/")
    page.locator("#movement-map path.leaflet-interactive").first.wait_for()
    page.wait_for_timeout(800)  # the end of fitBounds' zoom animation
    screenshot("admin-movement-map")


def test_the_public_sees_grid_cells_and_figures(page, live_server, tumen, screenshot):
    dashboard_snapshot_rebuild(indicator="transborder-movement")
    page.goto(f"{live_server.url}/dashboards/transborder-movement/")
    page.locator("#dash-map path.leaflet-interactive").first.wait_for()
    page.wait_for_timeout(800)  # the end of fitBounds' zoom animation
    screenshot("dashboard-transborder-movement", full_page=True)
    page.goto(f"{live_server.url}/species/amur-leopard/")
    block = page.locator("section.individuals")
    assert "4 individuals identified" in block.inner_text()
    screenshot("species-individuals-block", target=block)
