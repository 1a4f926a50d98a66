import json

import pytest
from django.conf import settings

from dataset.services import DEFAULT_DIRECTORY, dataset_load_neaspec
from protected_areas.models import Country, ProtectedArea
from species.models import Species

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("neaspec_dataset")
def test_region_language_names_land_in_the_translated_fields():
    tiger = Species.objects.get(slug="amur-tiger")
    assert tiger.common_name_en == "Amur tiger"
    assert tiger.common_name_ja == "アムールトラ"
    assert tiger.common_name_zh_hans == "东北虎"
    assert tiger.common_name_ru == "Амурский тигр"
    leopard_park = ProtectedArea.objects.get(dataset_key="land-of-the-leopard-np")
    assert leopard_park.name_en == "Land of the Leopard National Park"
    assert leopard_park.name_ru == leopard_park.name_local  # the Russian park's own name
    assert Country.objects.get(iso_a3="MNG").name_mn == "Монгол Улс"
    assert Country.objects.get(iso_a3="CHN").name_ru == "Китай"


@pytest.mark.usefixtures("neaspec_dataset")
def test_a_second_load_keeps_edited_translations_and_fills_only_empty_ones():
    tiger = Species.objects.get(slug="amur-tiger")
    Species.objects.filter(pk=tiger.pk).update(
        common_name_ja="トラ（編集済み）", common_name_ko=None
    )

    report = dataset_load_neaspec()

    tiger.refresh_from_db()
    assert tiger.common_name_ja == "トラ（編集済み）"
    assert tiger.common_name_ko == "시베리아호랑이"
    assert report.updated["species"] == 1
    assert dataset_load_neaspec().updated["species"] == 0


@pytest.mark.usefixtures("neaspec_dataset")
def test_update_refreshes_translations_from_the_files():
    Species.objects.filter(slug="amur-tiger").update(common_name_ja="トラ（編集済み）")
    dataset_load_neaspec(update=True)
    assert Species.objects.get(slug="amur-tiger").common_name_ja == "アムールトラ"


@pytest.mark.usefixtures("neaspec_dataset")
def test_non_member_countries_are_named_in_every_language():
    finland = Country.objects.get(iso_a3="FIN")
    assert (finland.name_en, finland.name_ja, finland.name_ru) == (
        "Finland",
        "フィンランド",
        "Финляндия",
    )
    assert (finland.name_zh_hans, finland.name_ko, finland.name_mn) == ("芬兰", "핀란드", "Финланд")
    for country in Country.objects.filter(is_member=False):
        assert all(
            getattr(country, f"name_{code}") for code in ("zh_hans", "ja", "ko", "mn", "ru")
        ), country.iso_a3


def non_member_countries():
    countries = json.loads((DEFAULT_DIRECTORY / "countries.geojson").read_text(encoding="utf-8"))
    features = [f["properties"] for f in countries["features"]]
    return countries["metadata"], [p for p in features if not p["is_member"]]


def test_every_non_member_name_has_a_source_the_file_describes():
    metadata, non_members = non_member_countries()
    described = metadata["name_sources"]
    other_languages = {code for code, _name in settings.LANGUAGES} - {"en"}
    assert len(non_members) > 20
    assert all(described.values())
    for country in non_members:
        assert country["name"], country["iso_a3"]
        assert set(country["names"]) == other_languages, country["iso_a3"]
        assert all(country["names"].values()), country["iso_a3"]
        assert set(country["names_sources"]) == other_languages, country["iso_a3"]
        assert set(country["names_sources"].values()) <= set(described), country["iso_a3"]


def test_taiwan_is_named_as_in_english_not_as_the_republic_of_china():
    _metadata, non_members = non_member_countries()
    taiwan = next(country for country in non_members if country["iso_a3"] == "TWN")
    assert taiwan["name"] == "Taiwan"
    assert not {"中华民国", "中華民国", "중화민국"} & set(taiwan["names"].values())
