"""Census counts (CSV) → a count series per site and species (species.census).

The template (documented in imports/README.md), one count per row, UTF-8:

    site, country, species, date, season, count, count_type, method, organisation, source,
    source_url, notes

`site` is a protected area of the portal (its name, original name or dataset key) or, with
`country`, a named counting site; `species` its scientific name, a synonym or its common
name; `date` (2024-01-15, 2024-01, 2024) or `season` (2023/24); `count_type` exact, minimum
or estimate. A row is matched on its series and its date or season: importing the same
file again changes nothing, a corrected figure updates the count."""

from pathlib import Path

from django.db.models import Q

from protected_areas.models import Country, ProtectedArea
from species.models import CountSeries, CountType, SiteCount, Species

from ..report import CREATED, ERROR, UPDATED, RowResult
from .base import (
    Planned,
    Touched,
    Validated,
    blocked,
    canonical_name,
    snapshot,
    validate_into,
)
from .csvtemplate import CsvTemplateImporter

COLUMNS = (
    "site", "country", "species", "date", "season", "count", "count_type", "method",
    "organisation", "source", "source_url", "notes",
)  # fmt: skip
REQUIRED = ("site", "species", "count", "count_type", "source")


class CensusImporter(CsvTemplateImporter):
    template = "census template"
    columns = COLUMNS
    required = REQUIRED

    def open(self, path: Path, name: str):
        total, notes = self.open_template(path, name)
        self.species = self._species()
        self.areas = list(ProtectedArea.objects.select_related("country").defer("boundary"))
        self.countries = {c.iso_a3: c for c in Country.objects.defer("boundary")}
        self.series: dict[tuple, CountSeries] = {}
        self.seen: dict[tuple, int] = {}
        return total, notes

    def missing_columns(self, header: list[str]) -> list[str]:
        missing = super().missing_columns(header)
        if "date" not in header and "season" not in header:
            missing.append("date or season")
        return missing

    @staticmethod
    def _species() -> dict[str, Species]:
        found = {}
        for species in Species.objects.all():
            for name in [species.scientific_name, *species.synonym_list]:
                found.setdefault(canonical_name(name), species)
            found.setdefault(species.common_name.casefold(), species)
        return found

    def plan(self, row) -> Planned:
        number, data = row
        period = data.get("date") or data.get("season") or ""
        result = RowResult(
            row=number,
            label=f"{data.get('species', '')} at {data.get('site', '')}, {period or '?'}",
        )
        species = self._find_species(result, data)
        area, country = self._site(result, data)
        count = self._count(result, data)
        count_type = data.get("count_type", "").lower()
        if count_type not in CountType.values:
            result.error(
                f"Count type must be one of {', '.join(CountType.values)}.",
                field="count_type",
                value=data.get("count_type"),
                rule="count_type",
            )
        if not period:
            result.error("Give the date or the season of the count.", field="date", rule="period")
        if blocked(result):
            return Planned(result)
        series = self._series(species, area, country, data.get("site", ""))
        key = (series_key(species, area, country, data.get("site", "")), period)
        if key in self.seen:
            return Planned(
                result.error(
                    f"The same series and {period} are given in line {self.seen[key]} too.",
                    field="date",
                    value=period,
                    rule="unique",
                )
            )
        self.seen[key] = number
        existing = (
            SiteCount.objects.filter(series=series, period=period).first() if series.pk else None
        )
        count_record = existing or SiteCount(period=period)
        before = snapshot(count_record) if existing else None
        count_record.series = series
        count_record.count = count
        count_record.count_type = count_type
        count_record.method = data.get("method", "")
        count_record.organisation = data.get("organisation", "")
        count_record.source_citation = data.get("source", "")
        count_record.source_url = data.get("source_url", "")
        count_record.notes = data.get("notes", "")
        validated = validate_into(
            result,
            count_record,
            before,
            created=existing is None,
            exclude=None if series.pk else ["series"],
        )
        if series.pk is None and validated.ok:
            check = RowResult(row=number, label="")
            if not validate_into(check, series, None, created=True).ok:
                result.issues += check.issues
                result.outcome = ERROR
                validated = Validated(False)
        if not validated.ok or result.outcome not in (CREATED, UPDATED):
            return Planned(result, model=SiteCount, existing=existing)
        action = CREATED if existing is None else UPDATED
        return Planned(
            result,
            model=SiteCount,
            existing=existing,
            write=lambda: self._write(count_record, action),
        )

    def _write(self, count_record: SiteCount, action: str) -> list[Touched]:
        touched = []
        series = count_record.series
        if series.pk is None:
            touched.append(self.save(series, CREATED, primary=False))
            count_record.series = series
        touched.append(self.save(count_record, action))
        return touched

    def _find_species(self, result: RowResult, data: dict) -> Species | None:
        name = data.get("species", "")
        species = self.species.get(canonical_name(name)) or self.species.get(name.casefold())
        if species is None:
            result.error(
                "Not a species of the portal: give its scientific name (e.g. Platalea minor) "
                "or common name as the portal spells it, or add the name to its synonyms.",
                field="species",
                value=name,
                rule="species",
            )
        return species

    def _site(self, result: RowResult, data: dict):
        site, code = data.get("site", ""), data.get("country", "").upper()
        country = self.countries.get(code) if code else None
        if code and country is None:
            result.error(
                "Not a country code of the portal (ISO 3166 alpha-3, e.g. KOR).",
                field="country",
                value=code,
                rule="country",
            )
            return None, None
        wanted = site.casefold()
        for area in self.areas:
            names = {area.name.casefold(), (area.name_local or "").casefold(), area.dataset_key}
            if wanted in names and (country is None or area.country_id == country.pk):
                return area, area.country
        if not site:
            result.error("Name the site.", field="site", rule="site")
        elif country is None:
            result.error(
                "Not a protected area of the portal: to record a counting site by name, give "
                "its country (column “country”, e.g. KOR).",
                field="site",
                value=site,
                rule="site",
            )
        return None, country

    @staticmethod
    def _count(result: RowResult, data: dict) -> int | None:
        text = data.get("count", "").replace(",", "").replace(" ", "")
        if not text.isdigit():
            result.error(
                "The count must be a whole number of 0 or more.",
                field="count",
                value=data.get("count"),
                rule="count",
            )
            return None
        return int(text)

    def _series(self, species, area, country, site) -> CountSeries:
        key = series_key(species, area, country, site)
        if key not in self.series:
            lookup = Q(species=species) & (
                Q(protected_area=area)
                if area is not None
                else Q(protected_area__isnull=True, country=country, site_name__iexact=site)
            )
            self.series[key] = CountSeries.objects.filter(lookup).first() or CountSeries(
                species=species,
                protected_area=area,
                country=country,
                site_name="" if area is not None else site,
            )
        return self.series[key]


def series_key(species, area, country, site) -> tuple:
    if area is not None:
        return (species.pk, "area", area.pk)
    return (species.pk, "site", country.pk, site.casefold())
