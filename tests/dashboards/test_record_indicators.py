"""Population trends, project portfolio and meeting follow-up on small hand-made records."""

from decimal import Decimal

import pytest

from common.models import PublicationState
from dashboards.indicators import meeting_follow_up, population_trends, project_portfolio
from tests.factories import (
    CountryFactory,
    DecisionFactory,
    MeetingFactory,
    PopulationEstimateFactory,
    ProjectFactory,
    SpeciesFactory,
)

pytestmark = pytest.mark.django_db
DRAFT = PublicationState.DRAFT


def test_population_trends_series_latest_and_change():
    crane = SpeciesFactory(common_name="Crane", slug="crane")
    country = CountryFactory(iso_a3="AAA", name="Aland")
    PopulationEstimateFactory(species=crane, year=2015, count=500, source_citation="Census 2015")
    PopulationEstimateFactory(species=crane, year=2020, count=600, source_citation="Census 2020")
    PopulationEstimateFactory(
        species=crane,
        scope="country",
        country=country,
        year=2019,
        count=None,
        count_min=40,
        count_max=60,
    )
    PopulationEstimateFactory(species=crane, scope="country", country=country, year=2021, count=70)
    lonely = SpeciesFactory(common_name="Lonely", slug="lonely")
    PopulationEstimateFactory(
        species=lonely, year=2018, count=None, count_min=12, source_citation="At least"
    )
    hidden = SpeciesFactory(common_name="Hidden", slug="hidden", publication_state=DRAFT)
    PopulationEstimateFactory(species=hidden, year=2020, count=1)

    rows = {row["species"]: row for row in population_trends()["species"]}
    assert set(rows) == {"crane", "lonely"}
    crane_row = rows["crane"]
    global_series, country_series = crane_row["series"]
    assert (global_series["scope"], global_series["country"]) == ("global", None)
    assert [p["year"] for p in global_series["points"]] == [2015, 2020]
    assert global_series["points"][1]["source"] == "Census 2020"
    assert global_series["change"] == {
        "from_year": 2015,
        "to_year": 2020,
        "absolute": 100,
        "percent": 20.0,
        "approximate": False,
    }
    assert country_series["country"] == "AAA"  # a code: named in the reader's language
    assert country_series["points"][0]["value"] == 50  # the middle of 40–60
    assert country_series["change"]["absolute"] == 20
    assert country_series["change"]["approximate"] is True
    assert country_series["change"]["percent"] is None  # no percentage of a midpoint
    # The headline is the widest series' latest figure (global, 2020), not the most recent
    # estimate anywhere (Aland, 2021): a part of the range never stands for the whole.
    assert crane_row["latest"]["year"] == 2020
    assert crane_row["latest"]["country"] is None
    assert crane_row["latest"]["value"] == 600
    assert crane_row["change"]["absolute"] == 100

    assert rows["lonely"]["latest"]["figure"] == "≥ 12 individuals"
    assert rows["lonely"]["change"] is None


def test_without_a_global_series_the_headline_is_the_most_recent_country_not_a_site():
    tiger = SpeciesFactory(common_name="Amur tiger", slug="amur-tiger")
    china = CountryFactory(iso_a3="CHN", name="China")
    russia = CountryFactory(iso_a3="RUS", name="Russian Federation")
    PopulationEstimateFactory(species=tiger, scope="country", country=china, year=2015, count=27)
    PopulationEstimateFactory(species=tiger, scope="country", country=russia, year=2015, count=510)
    PopulationEstimateFactory(species=tiger, scope="country", country=russia, year=2023, count=750)
    PopulationEstimateFactory(
        species=tiger, scope="site", site_name="A national park", year=2024, count=70
    )

    (row,) = population_trends()["species"]
    assert [(s["country"], s["area"]) for s in row["series"]] == [
        ("CHN", ""),
        ("RUS", ""),
        (None, "A national park"),
    ]
    assert row["latest"]["country"] == "RUS"
    assert row["latest"]["value"] == 750
    assert row["change"]["from_year"] == 2015


def test_project_portfolio_counts_budgets_and_timeline():
    tiger = SpeciesFactory(common_name="Tiger", slug="tiger")
    crane = SpeciesFactory(common_name="Crane", slug="crane")
    secret = SpeciesFactory(common_name="Secret", slug="secret", publication_state=DRAFT)
    aland = CountryFactory(iso_a3="AAA", name="Aland")
    ongoing = ProjectFactory(
        status="ongoing",
        start_year=2019,
        end_year=None,
        budget=Decimal("1000"),
        budget_currency="USD",
    )
    ongoing.species.set([tiger, crane, secret])
    ongoing.countries.set([aland])
    done = ProjectFactory(
        status="completed",
        start_year=2018,
        end_year=2019,
        budget=Decimal("500"),
        budget_currency="USD",
    )
    done.species.set([tiger])
    proposed = ProjectFactory(
        status="proposed",
        start_year=None,
        end_year=None,
        budget=Decimal("200"),
        budget_currency="EUR",
    )
    proposed.species.set([tiger])
    ProjectFactory(status="ongoing", publication_state=DRAFT).species.set([crane])

    data = project_portfolio(current_year=2021)
    assert data["project_count"] == 3
    assert {s["status"]: s["count"] for s in data["by_status"]} == {
        "proposed": 1,
        "approved": 0,
        "ongoing": 1,
        "completed": 1,
    }
    assert [(s["species"], s["count"]) for s in data["by_species"]] == [
        ("tiger", 3),
        ("crane", 1),
    ]
    assert [(c["country"], c["count"]) for c in data["by_country"]] == [("AAA", 1)]
    assert data["by_year"] == [
        {"year": 2018, "started": 1, "active": 1},
        {"year": 2019, "started": 1, "active": 2},
        {"year": 2020, "started": 0, "active": 1},
        {"year": 2021, "started": 0, "active": 1},
    ]
    # Never added across currencies; a multi-species project counts in full for each.
    assert [
        (b["species"], b["currency"], b["budget"], b["projects"]) for b in data["budget_by_species"]
    ] == [
        ("crane", "USD", 1000.0, 1),
        ("tiger", "EUR", 200.0, 1),
        ("tiger", "USD", 1500.0, 2),
    ]
    assert len(data["timeline"]) == 3
    by_status = {p["status"]: p for p in data["timeline"]}
    assert by_status["ongoing"]["open_ended"] is True
    assert by_status["ongoing"]["shown_until"] == 2021  # ongoing: until this year
    assert by_status["completed"]["shown_until"] == 2019


def test_meeting_follow_up_counts_decisions_by_status():
    som = MeetingFactory(number="SOM-20", year=2019)
    DecisionFactory(meeting=som, follow_up_status="pending")
    DecisionFactory(meeting=som, follow_up_status="pending")
    DecisionFactory(meeting=som, follow_up_status="done")
    MeetingFactory(number="SOM-21", year=2020)  # no decisions: not listed
    draft = MeetingFactory(number="SOM-22", year=2021, publication_state=DRAFT)
    DecisionFactory(meeting=draft, follow_up_status="done")

    data = meeting_follow_up()
    [row] = data["meetings"]
    assert row["meeting"] == "som-20"
    assert (row["pending"], row["in_progress"], row["done"], row["total"]) == (2, 0, 1, 3)
    assert data["totals"] == {"pending": 2, "in_progress": 0, "done": 1, "total": 3}


def test_no_change_is_derived_from_an_at_least_figure():
    # Russia's tigers: 480–540 (2015), then "at least 750, including cubs" (2023). The
    # sources give no amount of change, so the dashboard claims none.
    tiger = SpeciesFactory(common_name="Amur tiger", slug="amur-tiger")
    russia = CountryFactory(iso_a3="RUS", name="Russian Federation")
    PopulationEstimateFactory(
        species=tiger,
        scope="country",
        country=russia,
        year=2015,
        count=None,
        count_min=480,
        count_max=540,
    )
    PopulationEstimateFactory(
        species=tiger, scope="country", country=russia, year=2023, count=None, count_min=750
    )
    [row] = population_trends()["species"]
    [series] = row["series"]
    assert series["latest"]["figure"] == "≥ 750 individuals"
    assert series["change"] is None
    assert row["change"] is None
