"""The dashboards in every language of the portal; their downloads stay in English."""

import csv
import io
import json
import re

import pytest
from django.core.management import call_command

from dashboards.registry import INDICATORS
from tests.factories import CountryFactory, PopulationEstimateFactory, SpeciesFactory

pytestmark = pytest.mark.django_db

# One sample per language: the title of the population-trends dashboard, and a string of
# every computed dashboard page.
TITLES = {
    "zh-hans": ("种群趋势", "数据来源："),
    "ja": ("個体数の推移", "データの出典："),
    "ko": ("개체군 동향", "데이터 출처:"),
    "mn": ("Тооны өөрчлөлтийн хандлага", "Өгөгдлийн эх сурвалж:"),
    "ru": ("Динамика численности", "Источники данных:"),
}


@pytest.fixture
def computed(world):
    tiger = SpeciesFactory(common_name="Amur tiger", slug="amur-tiger")
    PopulationEstimateFactory(species=tiger, year=2010, count=400)
    PopulationEstimateFactory(species=tiger, year=2020, count=500)
    call_command("rebuild_dashboards", stdout=io.StringIO())


@pytest.mark.parametrize("language", TITLES)
def test_every_dashboard_page_is_in_the_language_of_its_prefix(client, computed, language):
    title, sources = TITLES[language]
    overview = client.get(f"/{language}/dashboards/").text
    assert f'<html lang="{language}">' in overview
    assert title in overview
    assert "Not computed yet" not in overview and "Computed" not in overview
    for slug in INDICATORS:
        page = client.get(f"/{language}/dashboards/{slug}/").text
        assert sources in page, slug
        assert "Data sources:" not in page and "Table behind this chart" not in page, slug


def test_headline_labels_follow_russian_plurals(client, computed):
    # 1 species with population estimates, 1 of them rising; 4 pairs, 3 of them unlinked.
    overview = client.get("/ru/dashboards/").text
    assert "вид с оценками численности" in overview
    assert "пар охраняемых территорий" not in overview  # 4 takes the second form
    assert "пары охраняемых территорий по разные стороны границы в пределах 10 км" in overview
    assert "из них ещё не входят ни в одну трансграничную связь" in overview


def test_labels_stored_in_english_in_a_snapshot_are_shown_translated(client, computed):
    page = client.get("/ja/dashboards/population-trends/").text
    assert "世界全体" in page  # the area "Global"
    assert "500 個体" in page  # the unit
    assert "2010年から +100 (+25.0 %)" in page  # the change since the previous estimate


def test_downloads_stay_in_english_whatever_the_page_language(client, computed):
    response = client.get("/ja/dashboards/border-protection.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Member state", "Land neighbours", "Zone (km²)"]
    data = client.get("/ru/dashboards/population-trends.json").json()
    assert data["title"] == "Population trends"
    assert data["sources"].startswith("Population estimates of published species")


@pytest.fixture
def tiger_page_data(db):
    """The Amur tiger's estimates as the dataset has them: no global figure, two countries,
    and one national park whose count is the most recent of all."""
    tiger = SpeciesFactory(
        common_name="Amur tiger", common_name_ko="아무르호랑이", slug="amur-tiger"
    )
    china = CountryFactory(iso_a3="CHN", name="China", name_ko="중국")
    russia = CountryFactory(iso_a3="RUS", name="Russian Federation", name_ko="러시아 연방")
    PopulationEstimateFactory(species=tiger, scope="country", country=china, year=2015, count=27)
    PopulationEstimateFactory(species=tiger, scope="country", country=russia, year=2015, count=510)
    PopulationEstimateFactory(species=tiger, scope="country", country=russia, year=2023, count=750)
    PopulationEstimateFactory(
        species=tiger,
        scope="site",
        site_name="Northeast China Tiger and Leopard NP",
        year=2024,
        count=70,
    )
    call_command("rebuild_dashboards", indicator=["population-trends"], stdout=io.StringIO())
    return tiger


def test_species_page_lists_the_latest_estimate_of_each_area_widest_first(client, tiger_page_data):
    html = client.get("/species/amur-tiger/").text
    section = html[html.index('id="dash-species-heading"') :]
    section = section[: section.index("</section>")]
    assert "Latest estimate of each area" in section
    china, russia, park = (
        section.index("China"),
        section.index("Russian Federation"),
        section.index("Northeast China Tiger and Leopard NP"),
    )
    assert china < russia < park
    assert "<strong>750 individuals</strong> (2023); up 47.1 % from the 2015 estimate" in section
    assert "<strong>70 individuals</strong> (2024)" in section


def test_species_page_dashboard_section_is_translated(client, tiger_page_data):
    html = client.get("/ko/species/amur-tiger/").text
    section = html[html.index('id="dash-species-heading"') :]
    section = section[: section.index("</section>")]
    assert "대시보드에서" in section
    assert "지역별 최신 추정치" in section
    assert "750 개체" in section
    assert "2015년 추정치보다 47.1 % 증가" in section
    assert 'href="/ko/dashboards/population-trends/"' in section
    assert "From the dashboards" not in section and "Latest estimate" not in section


def _between(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


@pytest.fixture
def named_countries(world):
    """The hand-made countries of tests/dashboards/conftest.py, named in Russian and Japanese."""
    for country, ru, ja in ((world.a, "Аландия", "アランド"), (world.b, "Беландия", "ベランド")):
        country.name_ru, country.name_ja = ru, ja
        country.save()
    call_command("rebuild_dashboards", "--indicator", "border-protection", stdout=io.StringIO())


def test_a_russian_page_names_countries_in_russian_with_decimal_commas(client, named_countries):
    page = client.get("/ru/dashboards/border-protection/").text
    tables = _between(page, 'id="data-heading"', "</section>")
    assert "Аландия" in tables and "Беландия" in tables
    assert "Aland" not in tables and "AAA" not in tables  # names, not codes or English
    assert "Аландия – Беландия" in tables  # the border, named
    # Every number on the page in one form: "0,55" and never "0.55".
    assert re.search(r"\d,\d", tables)
    assert not re.search(r"\d\.\d", tables)
    legend = _between(page, 'class="dash-legend"', "</p>")
    assert "50 км" in legend or "50 km" in legend
    map_labels = [
        f["properties"]["label"]
        for f in json.loads(_between(page, 'id="dash-map-data"', "</script>").split(">", 1)[1])[
            "features"
        ]
    ]
    assert any(
        label.startswith("Аландия: ") and re.search(r"\d,\d+ %", label) for label in map_labels
    )
    assert not any(re.search(r"\d\.\d", label) for label in map_labels)
    overview = _between(
        client.get("/ru/dashboards/").text, 'id="card-border-protection"', "</section>"
    )
    assert re.search(r"<dt>\d+,\d %</dt>", overview)


def test_a_japanese_page_names_countries_in_japanese(client, named_countries):
    page = client.get("/ja/dashboards/border-protection/").text
    tables = _between(page, 'id="data-heading"', "</section>")
    assert "アランド" in tables and "ベランド" in tables
    assert "Aland" not in tables


def test_downloads_stay_in_english_and_carry_codes(client, named_countries):
    rows = list(csv.reader(io.StringIO(client.get("/ru/dashboards/border-protection.csv").text)))
    assert rows[0][0] == "Member state"
    assert {row[0] for row in rows[1:]} == {"Aland", "Beland"}
    data = client.get("/ru/dashboards/border-protection.json").json()["data"]
    assert {row["country"] for row in data["countries"]} == {"AAA", "BBB"}


def test_a_russian_date_ends_the_computed_sentence_with_one_full_stop(client, tiger_page_data):
    # Russian dates end in "г." ("29 ноября 2026 г."): no second full stop after it.
    section = _between(
        client.get("/ru/species/amur-tiger/").text, 'id="dash-species-heading"', "</section>"
    )
    assert "рассчитано" in section
    assert "г.." not in section
