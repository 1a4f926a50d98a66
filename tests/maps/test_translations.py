"""The map page and its API in the reader's language."""

import json
import re

import pytest

from tests.factories import CountryFactory, ProtectedAreaFactory, square

pytestmark = pytest.mark.django_db

SAMPLES = {
    "zh-hans": ("保护地图", "图层与图例", "视图中的要素"),
    "ja": ("自然保護マップ", "レイヤーと凡例", "表示範囲内の対象"),
    "ko": ("보전 지도", "레이어와 범례", "화면 안의 항목"),
    "mn": ("Байгаль хамгааллын газрын зураг", "Давхарга ба тайлбар", "Харагдаж буй объектууд"),
    "ru": ("Карта охраны природы", "Слои и легенда", "Объекты в поле зрения"),
}


@pytest.mark.parametrize("language", SAMPLES)
def test_map_page_is_in_the_language_of_its_prefix(client, language):
    html = client.get(f"/{language}/map/").text
    assert f'<html lang="{language}">' in html
    for sample in SAMPLES[language]:
        assert sample in html
    assert "Layers and legend" not in html and "Features in view" not in html
    # The script's strings and the language it asks the API for.
    assert f'<script src="/{language}/jsi18n/"></script>' in html
    assert f'"language": "{language}"' in html


def test_english_map_page_loads_the_english_catalogue(client):
    html = client.get("/map/").text
    assert '<script src="/jsi18n/"></script>' in html
    assert '"language": "en"' in html


def script_catalogue(client, language: str) -> dict:
    response = client.get(f"/{language}/jsi18n/")
    assert response.status_code == 200
    found = re.search(r"const newcatalog = (\{.*?\n  \});", response.content.decode(), re.S)
    return json.loads(found.group(1))


@pytest.mark.parametrize(
    ("language", "sample"),
    [
        ("zh-hans", "视图中有 %s 个要素。"),
        ("ja", "表示範囲内に %s 件。"),
        ("ko", "화면 안에 %s개 항목."),
        ("mn", "Харагдаж буй %s объект."),
        ("ru", "В поле зрения %s объектов."),
    ],
)
def test_script_catalogue_has_the_map_strings_with_their_plurals(client, language, sample):
    assert sample in script_catalogue(client, language)["%s feature in view."]


def test_russian_script_catalogue_has_three_forms_and_russian_plural_rule(client):
    forms = script_catalogue(client, "ru")["%s record"]
    assert forms[:3] == ["%s запись", "%s записи", "%s записей"]
    assert "n%10==1 && n%100!=11" in client.get("/ru/jsi18n/").content.decode()


@pytest.fixture
def park():
    russia = CountryFactory(
        iso_a3="RUS", name="Russian Federation", name_ja="ロシア連邦", boundary=square(125, 40, 15)
    )
    return ProtectedAreaFactory(
        name="Land of the Leopard National Park",
        name_ja="ヒョウの地国立公園",
        country=russia,
        boundary=square(131, 43, 0.5),
    )


def test_layer_api_answers_names_in_the_language_it_is_asked_for(client, park):
    url = "/api/map/protected-areas.geojson"
    english = client.get(url, {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="ja")
    japanese = client.get(url, {"lang": "ja"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Land of the Leopard National Park" in english.content.decode()
    assert "ヒョウの地国立公園" in japanese.content.decode()
    assert english["Content-Language"] == "en" and japanese["Content-Language"] == "ja"
    # Different content, different validators: a cached English copy never answers for ja.
    assert english["ETag"] != japanese["ETag"]
    again = client.get(url, {"lang": "ja"}, HTTP_IF_NONE_MATCH=japanese["ETag"])
    assert again.status_code == 304


def test_countries_layer_cache_is_kept_per_language(client, park):
    url = "/api/map/countries.geojson"
    assert "ロシア連邦" in client.get(url, {"lang": "ja"}).content.decode()
    assert "Russian Federation" in client.get(url, {"lang": "en"}).content.decode()
    assert "ロシア連邦" in client.get(url, {"lang": "ja"}).content.decode()


def test_details_and_search_answer_in_the_requested_language(client, park):
    details = client.get(f"/api/map/features/protected-areas/{park.pk}.json", {"lang": "ru"})
    labels = [label for label, _value in details.json()["facts"]]
    assert "Страна" in labels and "Country" not in labels
    japanese = client.get(f"/api/map/features/protected-areas/{park.pk}.json", {"lang": "ja"})
    assert japanese.json()["title"] == "ヒョウの地国立公園"
    found = client.get("/api/map/search.json", {"q": "ヒョウ", "lang": "ja"}).json()
    assert [result["name"] for result in found["results"]] == ["ヒョウの地国立公園"]


def test_without_lang_the_api_answers_in_english_whatever_the_browser_asks(client, park):
    # Outside i18n_patterns with prefix_default_language=False, LocaleMiddleware treats an
    # unprefixed path as English, ignoring cookie and Accept-Language: hence `lang`.
    response = client.get("/api/map/protected-areas.geojson", HTTP_ACCEPT_LANGUAGE="ja")
    assert "Land of the Leopard National Park" in response.content.decode()


def test_an_unknown_language_is_refused_with_a_message_naming_the_parameter(client):
    response = client.get("/api/map/protected-areas.geojson", {"lang": "xx"})
    assert response.status_code == 400
    assert response.json()["parameter"] == "lang"
    assert "zh-hans" in response.json()["error"]


def _map_config(html: str) -> dict:
    found = re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1))


def test_each_species_keeps_its_colour_in_every_language(client):
    from tests.factories import SpeciesFactory  # noqa: PLC0415

    # Sorted by name, these two swap places in Russian (Снежный барс < Черный журавль).
    for slug, english, russian in (
        ("hooded-crane", "Hooded crane", "Черный журавль"),
        ("snow-leopard", "Snow leopard", "Снежный барс"),
    ):
        species = SpeciesFactory(slug=slug, common_name=english)
        species.common_name_ru = russian
        species.save()
    english_page, russian_page = client.get("/map/").text, client.get("/ru/map/").text
    # The script colours a species by its place in the configuration's list.
    order = [species["slug"] for species in _map_config(english_page)["species"]]
    assert order == [species["slug"] for species in _map_config(russian_page)["species"]]
    # The species menu still reads in the reader's alphabetical order.
    menu = russian_page[russian_page.index('id="filter-species"') :]
    assert menu.index("Снежный барс") < menu.index("Черный журавль")
