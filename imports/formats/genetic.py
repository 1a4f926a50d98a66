"""Genetic samples (CSV) → GeneticSample and its Occurrence (basis "specimen"); samples of
one genotype in a dataset are detections of one Individual.

The template (documented in imports/README.md), one sample per row, UTF-8:

    sample_id, date, latitude, longitude, coordinate_uncertainty_m, species, sample_type,
    genotype_id, laboratory, dataset_id, dataset_title

A row is matched on its dataset and sample_id: importing the same file again changes
nothing, a corrected row updates the sample and its occurrence. Samples of species not on
the portal are skipped and counted. Files are small (hundreds of samples): rows go through
the pipeline one by one, each validated by the models' own full_clean()."""

import datetime
from pathlib import Path

from django.contrib.gis.geos import Point

from common.geometry import STORAGE_SRID
from monitoring.models import DatasetKind, GeneticSample, Individual, MonitoringDataset, SampleType
from protected_areas.models import Country, ProtectedArea
from species.models import BasisOfRecord, DatePrecision, Occurrence

from ..report import CREATED, UPDATED, RowResult
from .base import (
    Planned,
    Touched,
    blocked,
    canonical_name,
    country_for,
    snapshot,
    species_by_scientific_name,
    validate_into,
)
from .csvtemplate import CsvTemplateImporter

COLUMNS = (
    "sample_id", "date", "latitude", "longitude", "coordinate_uncertainty_m", "species",
    "sample_type", "genotype_id", "laboratory", "dataset_id", "dataset_title",
)  # fmt: skip
REQUIRED = ("sample_id", "date", "latitude", "longitude", "species", "sample_type", "dataset_id")
OCCURRENCE_FIELDS = [
    "species", "event_date", "location", "coordinate_uncertainty_m", "dataset",
    "protected_area", "source_citation",
]  # fmt: skip


class GeneticImporter(CsvTemplateImporter):
    template = "genetic-sample template"
    columns = COLUMNS
    required = REQUIRED

    def open(self, path: Path, name: str):
        total, notes = self.open_template(path, name)
        self.species = species_by_scientific_name()
        self.countries = list(Country.objects.exclude(boundary=None))
        self.datasets: dict[str, MonitoringDataset] = {}
        self.individuals: dict[tuple[str, str], Individual] = {}
        self.seen: dict[tuple[str, str], int] = {}
        self.skipped_names: dict[str, int] = {}
        return total, notes

    def plan(self, row) -> Planned:
        number, data = row
        sample_id, dataset_id = data.get("sample_id", ""), data.get("dataset_id", "")
        result = RowResult(row=number, label=f"{sample_id} ({dataset_id})")
        for column in REQUIRED:
            if not data.get(column):
                result.error(f"{column} is required.", field=column, rule="required")
        if blocked(result):
            return Planned(result)
        key = (dataset_id, sample_id)
        if key in self.seen:
            return Planned(
                result.error(
                    f"Sample {sample_id} of {dataset_id} is given in line {self.seen[key]} too.",
                    field="sample_id",
                    value=sample_id,
                    rule="unique",
                )
            )
        self.seen[key] = number
        collected = self._date(result, data.get("date", ""))
        point = self._point(result, data)
        sample_type = data.get("sample_type", "").lower()
        if sample_type not in SampleType.values:
            result.error(
                f"sample_type must be one of {', '.join(SampleType.values)}.",
                field="sample_type",
                value=data.get("sample_type"),
                rule="enum",
            )
        country = country_for(result, point, self.countries) if point else None
        species = self.species.get(canonical_name(data["species"]))
        if species is None and not blocked(result):
            self.skipped_names[data["species"]] = self.skipped_names.get(data["species"], 0) + 1
            result.skip(
                "Not a species of the portal. If it is one under another name, add the name to "
                "that species' synonyms (admin → Species) and import again.",
                field="species",
                value=data["species"],
                rule="species",
            )
        if blocked(result):
            return Planned(result)
        return self._plan_sample(
            result, data, collected=collected, point=point, country=country, species=species
        )

    def _plan_sample(self, result, data, *, collected, point, country, species) -> Planned:
        sample_id, sample_type = data["sample_id"], data["sample_type"].lower()
        dataset = self._dataset(data["dataset_id"], data.get("dataset_title", ""))
        individual = self._individual(result, dataset, data.get("genotype_id", ""), species)
        if blocked(result):
            return Planned(result)
        existing = (
            GeneticSample.objects.select_related("occurrence")
            .filter(dataset=dataset, sample_id=sample_id)
            .first()
            if dataset.pk
            else None
        )
        sample = existing or GeneticSample(sample_id=sample_id)
        occurrence = existing.occurrence if existing else Occurrence()
        before, before_occurrence = (
            (snapshot(sample), snapshot(occurrence)) if existing else (None, None)
        )
        area = (
            ProtectedArea.objects.filter(country=country, boundary__contains=point)
            .only("pk", "country")
            .first()
        )
        uncertainty = data.get("coordinate_uncertainty_m", "")
        sample.dataset = dataset
        sample.collected_on = collected
        sample.location = point
        sample.coordinate_uncertainty_m = int(uncertainty) if uncertainty.isdigit() else None
        sample.species = species
        sample.sample_type = sample_type
        sample.genotype_id = data.get("genotype_id", "")[:255]
        sample.laboratory = data.get("laboratory", "")[:255]
        sample.individual = individual
        sample.country = country
        sample.protected_area = area
        occurrence.species = species
        occurrence.event_date = collected
        occurrence.date_precision = DatePrecision.DAY
        occurrence.location = point
        occurrence.coordinate_uncertainty_m = sample.coordinate_uncertainty_m
        occurrence.basis_of_record = BasisOfRecord.SPECIMEN
        occurrence.dataset = dataset.title[:255]
        occurrence.protected_area = area
        occurrence.source_citation = (
            f"{dataset.title} ({dataset.identifier}), sample {sample_id}"
            + (f", {sample.laboratory}" if sample.laboratory else "")
        )[:500]
        validate_into(result, occurrence, before_occurrence, created=existing is None)
        if blocked(result):
            return Planned(result)
        occurrence_changes = result.changes
        unresolved = [
            name
            for name, value in (("dataset", dataset), ("individual", individual))
            if value is not None and value.pk is None
        ]
        validate_into(
            result,
            sample,
            before,
            created=existing is None,
            exclude=["occurrence", *unresolved],
            checked_by_importer=True,
        )
        if existing is not None and not blocked(result) and occurrence_changes:
            result.outcome = UPDATED
            result.changes = occurrence_changes + result.changes
        if blocked(result) or result.outcome not in (CREATED, UPDATED):
            return Planned(result, model=GeneticSample, existing=existing)
        action = result.outcome
        return Planned(
            result,
            model=GeneticSample,
            existing=existing,
            write=lambda: self._write(sample, occurrence, action),
        )

    def _write(self, sample: GeneticSample, occurrence: Occurrence, action: str) -> list[Touched]:
        touched = []
        if sample.dataset.pk is None:
            touched.append(self.save(sample.dataset, CREATED, primary=False))
        if sample.individual is not None and sample.individual.pk is None:
            sample.individual.dataset = sample.dataset
            touched.append(self.save(sample.individual, CREATED, primary=False))
        touched.append(self.save(occurrence, action, primary=False))
        # Re-assigned once saved, so that the ids are set.
        sample.dataset = sample.dataset
        sample.individual = sample.individual
        sample.occurrence = occurrence
        touched.append(self.save(sample, action))
        return touched

    def _dataset(self, identifier: str, title: str) -> MonitoringDataset:
        if identifier not in self.datasets:
            self.datasets[identifier] = MonitoringDataset.objects.filter(
                identifier=identifier
            ).first() or MonitoringDataset(
                identifier=identifier[:255],
                title=(title or identifier)[:500],
                kind=DatasetKind.GENETIC,
            )
        return self.datasets[identifier]

    def _individual(self, result: RowResult, dataset, genotype: str, species) -> Individual | None:
        if not genotype:
            return None
        key = (dataset.identifier, genotype)
        if key not in self.individuals:
            existing = (
                Individual.objects.filter(dataset=dataset, code=genotype).first()
                if dataset.pk
                else None
            )
            self.individuals[key] = existing or Individual(
                dataset=dataset, code=genotype[:255], species=species
            )
        individual = self.individuals[key]
        if individual.species_id != species.pk:
            result.error(
                f"Genotype {genotype} is already an individual of {individual.species} in "
                f"{dataset.identifier}: one genotype is one animal of one species.",
                field="genotype_id",
                value=genotype,
                rule="individual_species",
            )
        return individual

    @staticmethod
    def _date(result: RowResult, text: str):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            result.error(
                "The date must be written as 2015-03-21 (year-month-day).",
                field="date",
                value=text,
                rule="date",
            )
            return None

    @staticmethod
    def _point(result: RowResult, data: dict) -> Point | None:
        try:
            lat, lon = float(data["latitude"]), float(data["longitude"])
        except ValueError:
            result.error(
                "Coordinates must be decimal degrees (e.g. 42.61 and 130.62).",
                field="latitude",
                value=f"{data['latitude']}, {data['longitude']}",
                rule="coordinates",
            )
            return None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            result.error(
                "Latitude must lie within ±90 and longitude within ±180.",
                field="latitude",
                value=f"{lat}, {lon}",
                rule="out_of_range",
            )
            return None
        return Point(lon, lat, srid=STORAGE_SRID)

    def finish(self) -> list[Planned]:
        if self.skipped_names:
            self.late_notes.append(
                "Samples of species not on the portal, skipped: "
                + ", ".join(f"{name} ({n})" for name, n in sorted(self.skipped_names.items()))
                + "."
            )
        return []
