import pytest

from dataset.services import dataset_load_neaspec
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
