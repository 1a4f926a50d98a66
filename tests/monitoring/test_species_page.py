"""A species page says how many individuals are identified and how many are known to use
more than one country, with the published datasets behind the figures — never a draft
dataset, never an exact point."""

import pytest

from monitoring.services import identity_match_confirm

from .conftest import propose_l2_is_g1, rendered_exact_points

pytestmark = pytest.mark.django_db


def test_the_species_page_counts_individuals_and_crossings(tumen, alice, boris, client):
    page = client.get("/species/amur-leopard/").content.decode()
    assert "<strong>4</strong> individuals identified" in page  # L1, L2, L3, G1
    assert "<strong>1</strong> known to use more than one country" in page  # L1
    assert "Tumen camera network" in page and "Tumen scat genotypes" in page
    assert "Unreleased draft camera network" not in page
    assert 'href="/dashboards/transborder-movement/"' in page
    assert rendered_exact_points(page) == []

    identity_match_confirm(user=boris, match=propose_l2_is_g1(tumen, alice))
    page = client.get("/species/amur-leopard/").content.decode()
    # L2 and G1 are one animal now, seen on both sides.
    assert "<strong>3</strong> individuals identified" in page
    assert "<strong>2</strong> known to use more than one country" in page


def test_a_species_without_individuals_shows_no_block(tumen, client):
    from tests.factories import SpeciesFactory  # noqa: PLC0415

    SpeciesFactory(slug="snow-leopard", common_name="Snow leopard")
    page = client.get("/species/snow-leopard/").content.decode()
    assert "individuals identified" not in page
