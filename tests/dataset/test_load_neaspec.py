import csv
import json

import pytest
from django.core.management import CommandError, call_command

from common.models import BoundaryQuality
from dataset.services import DEFAULT_DIRECTORY
from meetings.models import Decision, Meeting
from projects.models import Project
from protected_areas.models import Country, ProtectedArea, TransboundaryLink
from species.models import Occurrence, PopulationEstimate, Species, SpeciesPresence

pytestmark = pytest.mark.django_db

FLAGSHIP_SPECIES = {
    "Panthera tigris altaica",
    "Panthera pardus orientalis",
    "Panthera uncia",
    "Platalea minor",
    "Antigone vipio",
    "Grus monacha",
}
MEMBER_STATES = {"CHN", "PRK", "JPN", "MNG", "KOR", "RUS"}


def dataset_file(name):
    return json.loads((DEFAULT_DIRECTORY / name).read_text(encoding="utf-8"))


def record_counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Country,
            ProtectedArea,
            TransboundaryLink,
            Species,
            PopulationEstimate,
            Occurrence,
            SpeciesPresence,
            Meeting,
            Decision,
            Project,
        )
    }


@pytest.mark.usefixtures("neaspec_dataset")
def test_loads_every_record_of_the_shipped_files():
    species = dataset_file("species.json")["species"]
    assert ProtectedArea.objects.count() == len(
        dataset_file("protected_areas.json")["protected_areas"]
    )
    assert ProtectedArea.objects.count() >= 30
    assert TransboundaryLink.objects.count() == len(
        dataset_file("transboundary_links.json")["links"]
    )
    assert set(Species.objects.values_list("scientific_name", flat=True)) == FLAGSHIP_SPECIES
    assert PopulationEstimate.objects.count() == sum(
        len(s["population_estimates"]) for s in species
    )
    assert Project.objects.count() == len(dataset_file("projects.json")["projects"])
    assert set(Country.objects.members().values_list("iso_a3", flat=True)) == MEMBER_STATES


@pytest.mark.usefixtures("neaspec_dataset")
def test_the_strategy_meeting_and_the_dauria_complex_are_there():
    som12 = Meeting.objects.get(number="SOM-12")
    assert (som12.year, som12.city, som12.host_country.iso_a3) == (2007, "Beijing", "CHN")
    dauria = TransboundaryLink.objects.get(name__icontains="Dauria")
    assert set(dauria.protected_areas.values_list("country__iso_a3", flat=True)) == {
        "RUS",
        "MNG",
        "CHN",
    }


@pytest.mark.usefixtures("neaspec_dataset")
def test_every_figure_has_a_source_and_a_year_and_every_area_a_source():
    assert not PopulationEstimate.objects.filter(source_citation="").exists()
    assert not PopulationEstimate.objects.filter(year__isnull=True).exists()
    assert not ProtectedArea.objects.filter(source_url="").exists()
    for species in Species.objects.all():
        assert species.iucn_category, species


@pytest.mark.usefixtures("neaspec_dataset")
def test_shipped_boundaries_are_labelled_approximate_and_stay_in_their_country():
    with_boundary = ProtectedArea.objects.exclude(boundary=None).select_related("country")
    assert with_boundary.count() > 20
    for area in with_boundary:
        assert area.boundary_quality == BoundaryQuality.APPROXIMATE
        assert "Not the legal boundary" in area.boundary_source
        for other in Country.objects.exclude(pk=area.country_id):
            overlap = area.boundary.intersection(other.boundary)
            assert overlap.empty or overlap.area < 1e-9, (area, other)


@pytest.mark.usefixtures("neaspec_dataset")
def test_running_twice_gives_the_same_state():
    first = record_counts()
    snapshot = list(
        ProtectedArea.objects.order_by("pk").values_list("name", "boundary", "location")
    )
    call_command("load_neaspec", stdout=None)
    assert record_counts() == first
    assert (
        list(ProtectedArea.objects.order_by("pk").values_list("name", "boundary", "location"))
        == snapshot
    )


@pytest.mark.usefixtures("neaspec_dataset")
def test_rerun_keeps_secretariat_edits_unless_asked_to_update():
    area = ProtectedArea.objects.get(dataset_key="land-of-the-leopard-np")
    area.description = "Corrected by the Secretariat."
    area.save()
    call_command("load_neaspec", stdout=None)
    area.refresh_from_db()
    assert area.description == "Corrected by the Secretariat."
    call_command("load_neaspec", "--update", stdout=None)
    area.refresh_from_db()
    assert area.description != "Corrected by the Secretariat."


def test_a_broken_file_loads_nothing_and_says_which(dataset_copy):
    (dataset_copy / "projects.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(CommandError, match=r"projects\.json is not valid JSON"):
        call_command("load_neaspec", "--directory", str(dataset_copy), stdout=None)
    assert sum(record_counts().values()) == 0


def test_an_invalid_record_loads_nothing_and_names_the_record(dataset_copy):
    path = dataset_copy / "species.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["species"][0]["population_estimates"][0].update(count=None, count_min=10, count_max=5)
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="maximum must be at least the minimum"):
        call_command("load_neaspec", "--directory", str(dataset_copy), stdout=None)
    assert sum(record_counts().values()) == 0


def test_an_unknown_species_in_a_project_is_reported(dataset_copy):
    path = dataset_copy / "projects.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["projects"][0]["species"].append("Panthera imaginaria")
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="unknown species “Panthera imaginaria”"):
        call_command("load_neaspec", "--directory", str(dataset_copy), stdout=None)
    assert Project.objects.count() == 0


@pytest.mark.usefixtures("neaspec_dataset")
def test_species_at_their_sites_are_loaded_once_with_their_source():
    with (DEFAULT_DIRECTORY / "species_sites.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert SpeciesPresence.objects.count() == len(rows)
    izumi = SpeciesPresence.objects.get(
        species__scientific_name="Grus monacha", protected_area__dataset_key="izumi-crane-habitat"
    )
    assert (izumi.role, izumi.source_year) == ("wintering", 2021)
    assert izumi.source_url.startswith("https://rsistest.ramsar.org/ris/2462")
    undated = SpeciesPresence.objects.get(
        species__scientific_name="Grus monacha", protected_area__dataset_key="yashiro-crane-grounds"
    )
    assert (undated.period, undated.source_year) == ("since 2000", None)
    call_command("load_neaspec", stdout=None)
    assert SpeciesPresence.objects.count() == len(rows)
    suncheon = ProtectedArea.objects.get(dataset_key="suncheon-bay")
    assert Species.objects.present_at(suncheon).filter(scientific_name="Grus monacha").exists()


@pytest.mark.usefixtures("neaspec_dataset")
def test_curator_notes_go_to_the_internal_field_and_approximate_figures_stay_approximate(client):
    notes = dataset_file("curator_notes.json")["notes"]
    project = Project.objects.get(slug="snow-leopard-mongolia-russia-2022-2023")
    expected = next(n["note"] for n in notes if n["record"] == f"project:{project.slug}")
    assert project.internal_notes == expected
    assert expected not in project.summary + project.body
    assert expected[:60] not in client.get(project.get_absolute_url()).content.decode()
    chongming = Occurrence.objects.filter(
        protected_area__dataset_key="chongming-dongtan-nnr", species__scientific_name="Grus monacha"
    )
    assert all(occurrence.internal_notes for occurrence in chongming)

    flagged = [
        (s["slug"], e["year"])
        for s in dataset_file("species.json")["species"]
        for e in s["population_estimates"]
        if e.get("approximate")
    ]
    assert len(flagged) == PopulationEstimate.objects.filter(approximate=True).count() > 0
    assert Occurrence.objects.filter(count_approximate=True).count() == sum(
        1 for o in dataset_file("occurrences.json")["occurrences"] if o.get("approximate")
    )
