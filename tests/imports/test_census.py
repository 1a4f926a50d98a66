"""Census counts from the CSV template → count series, charted on site and species pages."""

import pytest
from django.core.management import call_command

from imports.models import ImportStatus
from species.models import CountSeries, SiteCount
from tests import factories

from .files import write_csv
from .runs import apply, dry_run

pytestmark = pytest.mark.django_db

HEADER = [
    "site", "country", "species", "date", "season", "count", "count_type", "method",
    "organisation", "source", "source_url", "notes",
]  # fmt: skip


@pytest.fixture
def spoonbill(countries):
    return factories.SpeciesFactory(
        scientific_name="Platalea minor", common_name="Black-faced spoonbill", taxon_group="bird"
    )


@pytest.fixture
def izumi(countries):
    return factories.ProtectedAreaFactory(
        name="Izumi crane grounds", country=countries["CHN"], dataset_key="izumi"
    )


def line(site, species, period, count, count_type="exact", *, country="", **extra) -> list:
    """One row of the template; a period with a "/" is a season, else a date."""
    season = "/" in period
    values = {
        "site": site,
        "country": country,
        "species": species,
        "date": "" if season else period,
        "season": period if season else "",
        "count": count,
        "count_type": count_type,
        "source": "S",
        **extra,
    }
    return [values.get(column, "") for column in HEADER]


def census_rows():
    return [
        line(
            "Izumi crane grounds",
            "Platalea minor",
            "2022/23",
            "1,500",
            method="Ground count",
            organisation="Izumi City",
            source="Izumi census 2023",
            source_url="https://example.org/izumi",
        ),
        line(
            "izumi",
            "Black-faced spoonbill",
            "2023/24",
            "1620",
            "minimum",
            source="Izumi census 2024",
        ),
        line("Deep Bay", "Platalea minor", "2024-01-20", "400", "estimate", country="CHN"),
    ]


def test_dry_run_apply_and_idempotent_reimport(tmp_path, spoonbill, izumi):
    path = write_csv(tmp_path / "census.csv", HEADER, census_rows())

    run = dry_run(path, format="census")
    assert run.status == ImportStatus.CHECKED, run.report
    assert run.counts["created"] == 3
    assert not CountSeries.objects.exists()

    apply(run)
    series = CountSeries.objects.get(protected_area=izumi)
    assert [(c.period, c.count, c.count_type) for c in series.counts.order_by("period_start")] == [
        ("2022/23", 1500, "exact"),
        ("2023/24", 1620, "minimum"),
    ]
    deep_bay = CountSeries.objects.get(site_name="Deep Bay")
    assert deep_bay.country.iso_a3 == "CHN"
    assert SiteCount.history.filter(history_change_reason="Imported from census.csv").count() == 3

    history = SiteCount.history.count()
    again = apply(dry_run(path, format="census"))
    assert again.counts["unchanged"] == 3
    assert SiteCount.history.count() == history

    corrected = census_rows()
    corrected[2][5] = "420"
    run = apply(dry_run(write_csv(tmp_path / "fixed.csv", HEADER, corrected), format="census"))
    assert run.counts["updated"] == 1
    assert SiteCount.objects.get(series=deep_bay).count == 420


def test_bad_rows_are_named_and_nothing_is_written(tmp_path, spoonbill, izumi):
    izumi_site = "Izumi crane grounds"
    rows = [
        line(izumi_site, "Grus unknownus", "2022/23", "10"),
        line("Nowhere", "Platalea minor", "2022/23", "10"),
        line(izumi_site, "Platalea minor", "winter/", "10"),
        line(izumi_site, "Platalea minor", "2021/22", "-3", "about"),
        line(izumi_site, "Platalea minor", "2020/21", "5"),
        line(izumi_site, "Platalea minor", "2020/21", "6"),
    ]

    run = dry_run(write_csv(tmp_path / "bad.csv", HEADER, rows), format="census")

    assert run.status == ImportStatus.REFUSED
    found = {
        (row["row"], issue["rule"]) for row in run.report["rows"] for issue in row.get("issues", [])
    }
    assert found == {
        (2, "species"),
        (3, "site"),
        (4, "period"),
        (5, "count"),
        (5, "count_type"),
        (7, "unique"),
    }
    assert not CountSeries.objects.exists()
    assert not SiteCount.objects.exists()


def test_wrong_columns_non_utf8_and_empty_files_are_refused(tmp_path, spoonbill):
    run = dry_run(
        write_csv(tmp_path / "a.csv", ["place", "bird", "n"], [["x", "y", "1"]]), format="census"
    )
    assert run.status == ImportStatus.REFUSED
    assert (
        "lacks the column(s) site, species, count, count_type, source, date or season"
        in run.report["refusal"]
    )

    latin = write_csv(
        tmp_path / "b.csv",
        HEADER,
        [["Séoul", "KOR", "Platalea minor", "2024", "", "1", "exact", "", "", "S", "", ""]],
        encoding="latin-1",
    )
    run = dry_run(latin, format="census")
    assert run.status == ImportStatus.REFUSED
    assert "Line 2 is not UTF-8 text" in run.report["refusal"]

    empty = tmp_path / "c.csv"
    empty.write_bytes(b"")
    assert "is empty" in dry_run(empty, format="census").report["refusal"]
    assert not SiteCount.objects.exists()


def test_the_charts_on_the_site_and_species_pages(tmp_path, client, spoonbill, izumi):
    apply(dry_run(write_csv(tmp_path / "census.csv", HEADER, census_rows()), format="census"))

    site_page = client.get(izumi.get_absolute_url()).content.decode()
    species_page = client.get(spoonbill.get_absolute_url()).content.decode()

    assert 'class="count-chart__svg"' in site_page
    assert "<polyline" in site_page
    assert "count-chart__point--minimum" in site_page
    assert "Izumi census 2024" in site_page
    assert species_page.count('class="count-chart"') == 2
    assert "Deep Bay" in species_page


def test_the_command(tmp_path, spoonbill, izumi, capsys):
    call_command("import_census", str(write_csv(tmp_path / "census.csv", HEADER, census_rows())))

    assert SiteCount.objects.count() == 3
    assert "applied" in capsys.readouterr().out


def test_a_focal_point_cannot_import_counts_of_another_country(
    tmp_path, spoonbill, izumi, mongolia_focal_point
):
    rows = [
        line("Khar Us", "Platalea minor", "2024", "12", country="MNG"),
        line("Izumi crane grounds", "Platalea minor", "2024", "30"),
    ]

    run = dry_run(
        write_csv(tmp_path / "c.csv", HEADER, rows), format="census", user=mongolia_focal_point
    )

    assert run.status == ImportStatus.REFUSED
    refused = [row["row"] for row in run.report["rows"] if row["outcome"] == "error"]
    assert refused == [3]
    assert not SiteCount.objects.exists()
    assert not CountSeries.objects.exists()
