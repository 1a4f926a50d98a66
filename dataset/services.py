"""Loading the NEASPEC dataset shipped in data/neaspec/ (formats: data/neaspec/SCHEMA.md).

Records are matched on stable keys. By default a record that already exists is left as it
is — the Secretariat may have corrected it in the admin, and re-running the loader (as
`make run` does) must never undo that. `update=True` refreshes existing records from the
files. Names in the region's languages (`names`, `name_local`) go to the translated fields
(`name_ja`, `common_name_ru`…); on a record that is kept, a translation is only added where
the field is still empty. Everything runs in one transaction and every record passes
`full_clean()`, so a bad file changes nothing.

Over 400 lines: one loader for one dataset, a method per file, which share the records
loaded before them (species_sites.csv and the strategy refer to species, areas, meetings and
projects by key); split per file it would pass those maps around instead.
"""

import csv
import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import GEOSGeometry, Point
from django.contrib.gis.geos.prototypes.io import GEOSException
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from modeltranslation.utils import build_localized_fieldname

from common.geometry import STORAGE_SRID, as_multipolygon, circle_of_area
from common.models import BoundaryQuality, PublicationState
from governance.models import TranslationOrigin, TranslationStatus
from governance.selectors import record_in_scope
from meetings.models import Decision, Meeting, MeetingDocument
from programme.models import (
    Activity,
    ActivityProject,
    DocumentSource,
    Goal,
    ProgrammeFact,
    StrategyDocument,
)
from projects.models import Output, Project
from protected_areas.models import Country, ProtectedArea, TransboundaryLink
from species.models import DatePrecision, Occurrence, PopulationEstimate, Species, SpeciesPresence

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
DEFAULT_DIRECTORY = settings.BASE_DIR / "data" / "neaspec"

APPROXIMATE_BOUNDARY_SOURCE = (
    "Approximate: a circle of the reported area around the published coordinates, less "
    "other countries' territory (Natural Earth). Not the legal boundary."
)


class DatasetError(Exception):
    """The dataset files are missing, malformed or inconsistent; nothing was loaded."""


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, "
            f"{self.unchanged[name]} kept as they were"
            for name in names
        ]


class _Loader:
    def __init__(self, directory: Path, update: bool, user=None):
        self.directory = directory
        self.update = update
        self.user = user
        self.written: list[tuple[Model, bool, str]] = []
        self.report = LoadReport()
        # Records loaded on a focal point's behalf wait for the Secretariat to publish them.
        can_publish = user is None or user.has_perm("governance.publish_records")
        self.initial_state = PublicationState.PUBLISHED if can_publish else PublicationState.DRAFT

    # -- helpers -------------------------------------------------------------------------
    def read(self, filename: str) -> dict:
        path = self.directory / filename
        try:
            with path.open(encoding="utf-8") as handle:
                return json.load(handle)
        except FileNotFoundError as exc:
            raise DatasetError(f"{path} is missing.") from exc
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path} is not valid JSON: {exc}") from exc

    def upsert(
        self,
        model: type[Model],
        lookup: dict,
        values: dict,
        label: str,
        translations: dict | None = None,
    ) -> Model:
        """Create the record if it is missing; refresh it only when asked to.

        `translations` ({"name_ja": …}) are set like `values`, except that on a record kept
        as it is they only fill fields that are still empty."""
        name = model._meta.verbose_name_plural
        translations = {k: v for k, v in (translations or {}).items() if v}
        instance = model.objects.filter(**lookup).first()
        if instance is not None and not self.update:
            missing = [attr for attr in translations if not getattr(instance, attr)]
            for attr in missing:
                setattr(instance, attr, translations[attr])
            if missing:
                self.save(instance, update_fields=missing)
                self.report.updated[name] += 1
            else:
                self.report.unchanged[name] += 1
            return instance
        created = instance is None
        instance = instance or model(**lookup)
        if getattr(instance, "is_deleted", False):
            # A record deleted in the admin stays deleted (and restorable) until the
            # Secretariat restores it; refreshing its content does not bring it back.
            values = {k: v for k, v in values.items() if k != "publication_state"}
        for attr, value in {**values, **translations}.items():
            setattr(instance, attr, value)
        try:
            instance.full_clean()
        except ValidationError as exc:
            raise DatasetError(f"{model._meta.verbose_name} “{label}”: {exc}") from exc
        self.save(instance)
        self.written.append((instance, created, label))
        (self.report.created if created else self.report.updated)[name] += 1
        return instance

    def save(self, instance: Model, **kwargs) -> None:
        # Change history names the user the load runs as (none from the command line) and
        # says where the change came from; the same attributes carry over to the
        # history of the record's relations, set afterwards by `set_members`.
        instance._history_user = self.user
        instance._change_reason = "load_neaspec"
        instance.save(**kwargs)

    def check_permissions(self) -> None:
        """A load on a user's behalf may only write what that user may write in the admin:
        checked once every record and its relations are in place (a project belongs to the
        countries set after it is saved); a refusal rolls the whole load back."""
        if self.user is None:
            return
        for instance, created, label in self.written:
            meta = instance._meta
            permission = f"{meta.app_label}.{'add' if created else 'change'}_{meta.model_name}"
            if not self.user.has_perm(permission) or not record_in_scope(self.user, instance):
                raise PermissionDenied(
                    f"{self.user} may not {'add' if created else 'change'} the "
                    f"{meta.verbose_name} “{label}”; nothing was loaded."
                )

    def set_members(self, instance: Model, attr: str, objects: list) -> None:
        # Relations are part of the record: set them when it is new or being refreshed.
        if self.update or not getattr(instance, attr).exists():
            getattr(instance, attr).set(objects)

    def local_name(self, field_name: str, name_local: str | None, iso_a3: str) -> dict:
        """A record's own name (`name_local`) as the translation in its country's language."""
        language = self.language_by_country.get(iso_a3)
        return _names(field_name, {language: name_local}) if language and name_local else {}

    def lookup(self, mapping: dict, key, what: str, where: str):
        if key is None:
            return None
        try:
            return mapping[key]
        except KeyError as exc:
            raise DatasetError(f"{where} refers to unknown {what} “{key}”.") from exc

    # -- the files -----------------------------------------------------------------------
    def countries(self) -> None:
        data = self.read("countries.geojson")
        source = data.get("metadata", {}).get("source", "Natural Earth")
        member_states = {
            row["iso_a3"]: row for row in self.read("member_states.json")["member_states"]
        }
        # The language of each member state's own names (`name_local`), its areas' included.
        self.language_by_country = {code: row["language"] for code, row in member_states.items()}
        self.country_by_code = {}
        for feature in data["features"]:
            props = feature["properties"]
            try:
                boundary = GEOSGeometry(json.dumps(feature["geometry"]), srid=STORAGE_SRID)
            except (GEOSException, ValueError) as exc:
                raise DatasetError(f"Country {props.get('iso_a3')}: bad geometry ({exc}).") from exc
            self.country_by_code[props["iso_a3"]] = self.upsert(
                Country,
                {"iso_a3": props["iso_a3"]},
                {
                    "name_en": props["name"],
                    "name_local": props.get("name_local") or "",
                    "is_member": bool(props.get("is_member")),
                    "boundary": as_multipolygon(boundary),
                    "boundary_source": source,
                },
                props["iso_a3"],
                translations={
                    **self.local_name("name", props.get("name_local"), props["iso_a3"]),
                    # A non-member's names come with its outline; a member's from member_states.
                    **_names("name", props.get("names")),
                    **_names("name", member_states.get(props["iso_a3"], {}).get("names")),
                },
            )

    def approximate_boundary(self, centre: Point, area_km2: float, country: Country):
        circle = circle_of_area(centre, area_km2)
        for other in self.country_by_code.values():
            if other.pk != country.pk and other.boundary.intersects(circle):
                circle = circle.difference(other.boundary)
        if circle.empty:
            return None
        boundary = as_multipolygon(circle)
        boundary.srid = STORAGE_SRID
        return boundary

    def protected_areas(self) -> None:
        data = self.read("protected_areas.json")
        self.area_by_key = {}
        for row in data["protected_areas"]:
            key = row["key"]
            country = self.lookup(
                self.country_by_code, row["country"], "country", f"Protected area {key}"
            )
            lon, lat = row["location"]
            location = Point(lon, lat, srid=STORAGE_SRID)
            area = _decimal(row.get("reported_area_km2"))
            boundary = self.approximate_boundary(location, float(area), country) if area else None
            self.area_by_key[key] = self.upsert(
                ProtectedArea,
                {"dataset_key": key},
                {
                    "name_en": row["name"],
                    "name_local": row.get("name_local") or "",
                    "wdpa_id": row.get("wdpa_id"),
                    "country": country,
                    "designation_en": row["designation"],
                    "international_designations": "\n".join(
                        row.get("international_designations") or []
                    ),
                    "iucn_category": row.get("iucn_category") or "NR",
                    "status_year": row.get("status_year"),
                    "reported_area_km2": area,
                    "location": location,
                    "location_estimated": bool(row.get("location_estimated")),
                    "boundary": boundary,
                    "boundary_quality": BoundaryQuality.APPROXIMATE,
                    "boundary_source": APPROXIMATE_BOUNDARY_SOURCE if boundary else "",
                    "management_authority": row.get("management_authority") or "",
                    "description_en": row.get("description") or "",
                    "source_url": row.get("source_url") or "",
                    "source_title": row.get("source_title") or "",
                    "notes": row.get("notes") or "",
                    "publication_state": self.initial_state,
                },
                key,
                translations={
                    **self.local_name("name", row.get("name_local"), row["country"]),
                    **_names("name", row.get("names")),
                },
            )

    def transboundary_links(self) -> None:
        data = self.read("transboundary_links.json")
        for row in data["links"]:
            members = [
                self.lookup(self.area_by_key, key, "protected area", f"Link {row['key']}")
                for key in row["protected_areas"]
            ]
            try:
                TransboundaryLink.validate_members(members)
            except ValidationError as exc:
                raise DatasetError(f"Link {row['key']}: {exc.messages[0]}") from exc
            link = self.upsert(
                TransboundaryLink,
                {"slug": row["key"]},
                {
                    "name_en": row["name"],
                    "cooperation_status": row.get("cooperation_status") or "none",
                    "agreement_year": row.get("agreement_year"),
                    "agreement_name": row.get("agreement_name") or "",
                    "notes_en": row.get("notes") or "",
                    "source_url": row.get("source_url") or "",
                    "publication_state": self.initial_state,
                },
                row["key"],
                translations=_names("name", row.get("names")),
            )
            self.set_members(link, "protected_areas", members)

    def species(self) -> None:
        data = self.read("species.json")
        self.species_by_name = {}
        for row in data["species"]:
            species = self.upsert(
                Species,
                {"scientific_name": row["scientific_name"]},
                {
                    "slug": row["slug"],
                    "common_name_en": row["names"]["en"],
                    "taxon_group": row["taxon_group"],
                    "iucn_category": row.get("iucn_category") or "",
                    "iucn_trend": row.get("iucn_trend") or "unknown",
                    "iucn_assessment_year": row.get("iucn_assessment_year"),
                    "iucn_source_url": row.get("iucn_source_url") or "",
                    "movement": row["movement"],
                    "description_en": row.get("description") or "",
                    "description_source_url": row.get("description_source_url") or "",
                    "is_flagship": True,
                    "is_sensitive": bool(row.get("sensitive")),
                    "publication_state": self.initial_state,
                },
                row["scientific_name"],
                translations=_names("common_name", row["names"]),
            )
            self.species_by_name[row["scientific_name"]] = species
            where = f"Species {row['scientific_name']}"
            self.set_members(
                species,
                "range_countries",
                [
                    self.lookup(self.country_by_code, c, "country", where)
                    for c in row.get("range_countries", [])
                ],
            )
            for estimate in row.get("population_estimates", []):
                self.population_estimate(species, row["slug"], estimate)

    def population_estimate(self, species: Species, slug: str, row: dict) -> None:
        where = f"Estimate of {species.scientific_name} ({row.get('year')})"
        country = self.lookup(self.country_by_code, row.get("country"), "country", where)
        area = self.lookup(self.area_by_key, row.get("protected_area"), "protected area", where)
        place = row.get("protected_area") or row.get("country") or row.get("site_name") or "global"
        key = f"{slug}:{row['scope']}:{place}:{row['year']}:{row.get('unit', 'individuals')}"
        if row.get("count") is None:
            key += f":{row.get('count_min')}-{row.get('count_max')}"
        self.upsert(
            PopulationEstimate,
            {"dataset_key": key[:200]},
            {
                "species": species,
                "scope": row["scope"],
                "country": country,
                "protected_area": area,
                "site_name": row.get("site_name") or "",
                "year": row["year"],
                "count": row.get("count"),
                "count_min": row.get("count_min"),
                "count_max": row.get("count_max"),
                "approximate": bool(row.get("approximate")),
                "unit": row.get("unit") or "individuals",
                "method": row.get("method") or "",
                "notes": row.get("notes") or "",
                "source_citation": row["source_citation"],
                "source_url": row.get("source_url") or "",
                "publication_state": self.initial_state,
            },
            where,
        )

    def occurrences(self) -> None:
        data = self.read("occurrences.json")
        for row in data["occurrences"]:
            where = f"Occurrence of {row['species']} ({row.get('year')})"
            species = self.lookup(self.species_by_name, row["species"], "species", where)
            area = self.lookup(self.area_by_key, row["protected_area"], "protected area", where)
            key = f"{species.slug}:{row['protected_area']}:{row['year']}:{row.get('count')}"
            self.upsert(
                Occurrence,
                {"dataset_key": key[:200]},
                {
                    "species": species,
                    "event_date": datetime.date(row["year"], 1, 1),
                    "date_precision": DatePrecision.YEAR,
                    "location": area.location,
                    "count": row.get("count"),
                    "count_approximate": bool(row.get("approximate")),
                    "basis_of_record": row.get("basis_of_record") or "literature",
                    "dataset": row.get("dataset") or "NEASPEC portal literature records",
                    "protected_area": area,
                    "source_citation": row.get("source_citation") or "",
                    "source_url": row.get("source_url") or "",
                    "notes": row.get("notes") or "",
                    "publication_state": self.initial_state,
                },
                where,
            )

    def species_sites(self) -> None:
        path = self.directory / "species_sites.csv"
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
        except FileNotFoundError as exc:
            raise DatasetError(f"{path} is missing.") from exc
        for line, row in enumerate(rows, start=2):
            where = f"species_sites.csv line {line}"
            species = self.lookup(self.species_by_name, row["species"], "species", where)
            area = self.lookup(self.area_by_key, row["protected_area"], "protected area", where)
            year = row.get("source_year") or ""
            if year and not year.isdigit():
                raise DatasetError(f"{where}: source_year “{year}” is not a year.")
            self.upsert(
                SpeciesPresence,
                {"dataset_key": f"{species.slug}:{row['protected_area']}:{row['role']}"},
                {
                    "species": species,
                    "protected_area": area,
                    "role": row["role"],
                    "period": row.get("period") or "",
                    "source_citation": row["source"],
                    "source_url": row.get("source_url") or "",
                    "source_year": int(year) if year else None,
                    "notes": row.get("notes") or "",
                },
                where,
            )

    def meetings(self) -> None:
        data = self.read("meetings.json")
        self.meeting_by_slug = {}
        self.decisions = []
        for row in data["meetings"]:
            where = f"Meeting {row['slug']}"
            meeting = self.upsert(
                Meeting,
                {"slug": row["slug"]},
                {
                    "kind": row["kind"],
                    "number": row.get("number") or "",
                    "title_en": row["title"],
                    "year": row["year"],
                    "start_date": _date(row.get("start_date"), where),
                    "end_date": _date(row.get("end_date"), where),
                    "city_en": row.get("city") or "",
                    "host_country": self.lookup(
                        self.country_by_code, row.get("host_country"), "country", where
                    ),
                    "summary_en": row.get("summary") or "",
                    "source_url": row.get("source_url") or "",
                    "publication_state": self.initial_state,
                },
                row["slug"],
            )
            self.meeting_by_slug[row["slug"]] = meeting
            for document in row.get("documents", []):
                self.upsert(
                    MeetingDocument,
                    {"meeting": meeting, "title": document["title"]},
                    {
                        "url": document.get("url") or "",
                        "language": document.get("language") or "",
                    },
                    document["title"],
                )
            for number, decision in enumerate(row.get("decisions", []), start=1):
                reference = (
                    decision.get("reference") or f"{row.get('number') or row['slug']} #{number}"
                )
                instance = self.upsert(
                    Decision,
                    {"meeting": meeting, "reference": reference},
                    {
                        "text_en": decision["text"],
                        "follow_up_status": decision.get("follow_up_status") or "pending",
                    },
                    reference,
                )
                self.decisions.append((instance, decision.get("related_projects", []), where))

    def projects(self) -> None:
        data = self.read("projects.json")
        self.project_by_slug = {}
        for row in data["projects"]:
            where = f"Project {row['slug']}"
            project = self.upsert(
                Project,
                {"slug": row["slug"]},
                {
                    "title_en": row["title"],
                    "acronym": row.get("acronym") or "",
                    "start_year": row.get("start_year"),
                    "end_year": row.get("end_year"),
                    "status": row["status"],
                    "summary_en": row["summary"],
                    "body_en": row.get("body") or "",
                    "partners": "\n".join(row.get("partners") or []),
                    "budget": _decimal(row.get("budget")),
                    "budget_currency": row.get("budget_currency") or "",
                    "approved_at": self.lookup(
                        self.meeting_by_slug, row.get("approved_at"), "meeting", where
                    ),
                    "source_url": row.get("source_url") or "",
                    "publication_state": self.initial_state,
                },
                row["slug"],
            )
            self.project_by_slug[row["slug"]] = project
            self.set_members(
                project,
                "species",
                [
                    self.lookup(self.species_by_name, s, "species", where)
                    for s in row.get("species", [])
                ],
            )
            self.set_members(
                project,
                "countries",
                [
                    self.lookup(self.country_by_code, c, "country", where)
                    for c in row.get("countries", [])
                ],
            )
            self.set_members(
                project,
                "protected_areas",
                [
                    self.lookup(self.area_by_key, k, "protected area", where)
                    for k in row.get("protected_areas", [])
                ],
            )
            for output in row.get("outputs", []):
                self.upsert(
                    Output,
                    {"project": project, "title_en": output["title"]},
                    {
                        "kind": output["kind"],
                        "url": output.get("url") or "",
                        "date": _date(output.get("date"), where),
                        "year": output.get("year"),
                        "language": output.get("language") or "",
                        "publication_state": self.initial_state,
                    },
                    output["title"],
                )
        for decision, slugs, where in self.decisions:
            self.set_members(
                decision,
                "related_projects",
                [self.lookup(self.project_by_slug, slug, "project", where) for slug in slugs],
            )

    def strategy(self) -> None:
        for row in self.read("strategy.json")["documents"]:
            where = f"Strategy document {row['slug']}"
            document = row.get("document") or {}
            strategy = self.upsert(
                StrategyDocument,
                {"slug": row["slug"]},
                {
                    "kind": row["kind"],
                    "title_en": row["title"],
                    "start_year": row["start_year"],
                    "end_year": row.get("end_year"),
                    "adopted_at": self.lookup(
                        self.meeting_by_slug, row.get("adopted_at"), "meeting", where
                    ),
                    "adoption_note_en": row.get("adoption_note") or "",
                    "summary_en": row.get("summary") or "",
                    "programme_area_en": row.get("programme_area") or "",
                    "objective_en": row.get("objective") or "",
                    "document_title": document.get("title") or "",
                    "document_url": document.get("url") or "",
                    "publication_state": self.initial_state,
                },
                row["slug"],
            )
            self.set_members(
                strategy,
                "target_species",
                [
                    self.lookup(self.species_by_name, name, "species", where)
                    for name in row.get("target_species", [])
                ],
            )
            for source in row.get("sources", []):
                self.upsert(
                    DocumentSource,
                    {"document": strategy, "citation": source["citation"]},
                    {"url": source.get("url") or "", "year": source.get("year")},
                    source["citation"],
                )
            for goal in row.get("goals", []):
                self.upsert(
                    Goal,
                    {"document": strategy, "number": goal["number"]},
                    {"text_en": goal["text"]},
                    f"{where}, goal {goal['number']}",
                )
            for item in row.get("activities", []):
                label = f"{where}, activity {item['number']}"
                activity = self.upsert(
                    Activity,
                    {"document": strategy, "number": item["number"]},
                    {"text_en": item["text"]},
                    label,
                )
                for link in item.get("projects", []):
                    self.upsert(
                        ActivityProject,
                        {
                            "activity": activity,
                            "project": self.lookup(
                                self.project_by_slug, link["project"], "project", label
                            ),
                        },
                        {"basis": link["basis"], "reason": link.get("reason") or ""},
                        f"{label} → {link['project']}",
                    )

    def programme_facts(self) -> None:
        for row in self.read("programme.json")["facts"]:
            source = row.get("source") or {}
            self.upsert(
                ProgrammeFact,
                {"key": row["key"]},
                {
                    "text_en": row["text"],
                    "value": row.get("value"),
                    "value_min": row.get("value_min"),
                    "approximate": bool(row.get("approximate")),
                    "notes_en": row.get("notes") or "",
                    "source_citation": source.get("citation") or "",
                    "source_url": source.get("url") or "",
                    "source_year": source.get("year"),
                },
                row["key"],
            )

    def curator_notes(self) -> None:
        """The curators' working notes go to each record's internal field (admin only): set
        where the field is empty, or refreshed with `update`, like a translation."""
        for row in self.read("curator_notes.json")["notes"]:
            for record in self.noted_records(row["record"]):
                if record.internal_notes and not self.update:
                    continue
                if record.internal_notes != row["note"]:
                    record.internal_notes = row["note"]
                    self.save(record, update_fields=["internal_notes"])
                    self.report.updated[record._meta.verbose_name_plural] += 1

    def translations(self) -> None:
        """Texts in the other languages with their provenance (translations.json). A text is
        set where its field is empty, or refreshed with `update` unless a reviewer has
        reviewed it; the provenance is recorded once and a reviewed one is never undone."""
        for row in self.read("translations.json")["translations"]:
            language = row["language"]
            if language not in LANGUAGE_CODES or language == settings.LANGUAGE_CODE:
                raise DatasetError(
                    f"Translation of {row['record']}: unknown language “{language}”."
                )
            (record,) = self.noted_records(row["record"])
            status, _created = TranslationStatus.objects.get_or_create(
                content_type=ContentType.objects.get_for_model(record),
                object_id=record.pk,
                language=language,
                defaults={"origin": row.get("origin") or TranslationOrigin.PORTAL},
            )
            if status.origin == TranslationOrigin.REVIEWED:
                continue
            changed = []
            for field_name, text in row["fields"].items():
                attr = build_localized_fieldname(field_name, language)
                current = getattr(record, attr)
                if text and current != text and (self.update or not current):
                    setattr(record, attr, text)
                    changed.append(attr)
            if changed:
                self.save(record, update_fields=changed)
                self.report.updated[record._meta.verbose_name_plural] += 1

    def noted_records(self, reference: str) -> list[Model]:
        kind, _sep, key = reference.partition(":")
        where = f"“{reference}” (curator_notes.json or translations.json)"
        if kind == "project":
            return [self.lookup(self.project_by_slug, key, "project", where)]
        if kind == "meeting":
            return [self.lookup(self.meeting_by_slug, key, "meeting", where)]
        if kind == "protected_area":
            return [self.lookup(self.area_by_key, key, "protected area", where)]
        if kind == "species":
            by_slug = {species.slug: species for species in self.species_by_name.values()}
            return [self.lookup(by_slug, key, "species", where)]
        if kind == "occurrence":
            area_key, _sep, scientific_name = key.partition(":")
            area = self.lookup(self.area_by_key, area_key, "protected area", where)
            species = self.lookup(self.species_by_name, scientific_name, "species", where)
            found = list(Occurrence.objects.filter(species=species, protected_area=area))
            if found:
                return found
        raise DatasetError(f"{where}: no such record.")

    def run(self) -> LoadReport:
        self.countries()
        self.protected_areas()
        self.transboundary_links()
        self.species()
        self.occurrences()
        self.species_sites()
        self.meetings()
        self.projects()
        self.strategy()
        self.programme_facts()
        self.curator_notes()
        self.translations()
        self.check_permissions()
        return self.report


def _names(field_name: str, names: dict | None) -> dict:
    """{"ja": "アムールトラ", …} → {"common_name_ja": "アムールトラ", …}; English is set
    with the record's other values."""
    return {
        build_localized_fieldname(field_name, language): value
        for language, value in (names or {}).items()
        if language != "en" and language in LANGUAGE_CODES
    }


def _decimal(value: float | int | None) -> Decimal | None:
    # via str: the JSON number 35.3 is meant, not the binary float nearest to it
    return None if value is None else Decimal(str(value))


def _date(value: str | None, where: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise DatasetError(f"{where}: “{value}” is not a date (YYYY-MM-DD).") from exc


@transaction.atomic
def dataset_load_neaspec(
    *, directory: Path = DEFAULT_DIRECTORY, update: bool = False, user=None
) -> LoadReport:
    """Load the NEASPEC dataset; on any error nothing is written (DatasetError says why).
    With a `user`, the load is refused (PermissionDenied) unless that user may write every
    record it creates or changes — a focal point only records of its countries — and new
    records stay drafts unless the user may publish."""
    return _Loader(Path(directory), update=update, user=user).run()
