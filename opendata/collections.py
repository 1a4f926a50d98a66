"""The collections served as OGC API – Features and as downloads: what each holds, read
through the map's selectors (maps.selectors) so that publication and the generalisation of
sensitive occurrences follow the one set of rules, and written by common/geojson.py.

A collection answers a `FeatureQuery` with a `Selection`: the number of features matched
and any page of them, as GeoJSON feature text with the record's primary key as its `id`.
The large collections (occurrences, protected areas, countries) are paged in the database;
the small ones (transboundary links, project sites) are the map layer's features, paged
in memory."""

import datetime
import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from common import geojson
from common.bbox import BoundingBox
from maps.params import LayerParams
from maps.selectors.drawing import FULL_PRECISION_DIGITS, UrlPattern
from maps.selectors.layers import projects_layer, protected_area_rows, transboundary_layer
from maps.selectors.occurrences import occurrences_matching
from protected_areas.models import BoundaryQuality
from protected_areas.selectors import country_outline_rows

# Filters beyond bbox and datetime, each a list of values: ?country=MNG,RUS
COUNTRY = "country"
SPECIES = "species"
IUCN_CATEGORY = "iucn_category"


@dataclass(frozen=True)
class FeatureQuery:
    bbox: BoundingBox | None = None
    # First and last day, either open (None).
    dates: tuple[datetime.date | None, datetime.date | None] | None = None
    countries: tuple[str, ...] = ()
    species: tuple[str, ...] = ()
    iucn_categories: tuple[str, ...] = ()
    # Whether the reader may see sensitive occurrences exactly (staff).
    exact_locations: bool = False

    def layer_params(self) -> LayerParams:
        """The map's parameters for the same view, at full detail (no zoom)."""
        return LayerParams(
            bbox=self.bbox,
            species=self.species,
            countries=self.countries,
            exact_locations=self.exact_locations,
        )


class Selection:
    """The features a query matched: `len()` counts them, a slice gives a page of
    GeoJSON feature texts."""

    def __init__(self, rows: QuerySet | list, write: Callable[[tuple], str]):
        self.rows = rows
        self.write = write

    def __len__(self) -> int:
        return self.rows.count() if isinstance(self.rows, QuerySet) else len(self.rows)

    def page(self, offset: int, limit: int) -> list[str]:
        return [self.write(row) for row in self.rows[offset : offset + limit]]

    def all(self):
        rows = self.rows.iterator(chunk_size=2000) if isinstance(self.rows, QuerySet) else self.rows
        return (self.write(row) for row in rows)


@dataclass(frozen=True)
class Collection:
    id: str
    title: str
    description: str
    geometry: str
    select: Callable[[FeatureQuery], QuerySet | list]
    write: Callable[[tuple], str]
    # Where the records are filtered by id for one item: a field of the rows, or None for
    # the in-memory collections (rows of (id, feature)).
    id_field: str | None = "id"
    filters: tuple[str, ...] = ()
    temporal: bool = False
    # The property columns of the CSV download, in order.
    columns: tuple[str, ...] = field(default=())

    def selection(self, query: FeatureQuery) -> Selection:
        return Selection(self.select(query), self.write)

    def item(self, feature_id: int, query: FeatureQuery) -> str | None:
        rows = self.select(query)
        if isinstance(rows, QuerySet):
            found = list(rows.filter(**{self.id_field: feature_id})[:1])
        else:
            found = [row for row in rows if row[0] == feature_id][:1]
        return self.write(found[0]) if found else None


# -- occurrences ---------------------------------------------------------------------------


def _occurrence_rows(query: FeatureQuery) -> QuerySet:
    occurrences = occurrences_matching(query.layer_params())
    if query.dates:
        first, last = query.dates
        if first:
            occurrences = occurrences.filter(event_date__gte=first)
        if last:
            occurrences = occurrences.filter(event_date__lte=last)
    if query.iucn_categories:
        occurrences = occurrences.filter(species__iucn_category__in=query.iucn_categories)
    return (
        occurrences.order_by()
        # `shown_location`, never `location`: generalised unless the reader sees exact points.
        .annotate(geojson=AsGeoJSON("shown_location", precision=FULL_PRECISION_DIGITS))
        .values_list(
            "id",
            "species__scientific_name",
            "species__slug",
            "species__common_name",
            "event_date",
            "date_precision",
            "count",
            "basis_of_record",
            "location_generalised",
            "shown_uncertainty_m",
            "geojson",
        )
        .order_by("id")
    )


OCCURRENCE_COLUMNS = (
    "scientific_name",
    "species",
    "common_name",
    "event_date",
    "date_precision",
    "count",
    "basis_of_record",
    "generalised",
    "coordinate_uncertainty_m",
)
_occurrence_feature = geojson.FeatureTemplate(*OCCURRENCE_COLUMNS)
_text = geojson.text


def _number(value) -> str:
    return "null" if value is None else str(value)


def _write_occurrence(row) -> str:
    (pk, name, slug, common, date, precision, count, basis, generalised, uncertainty, geom) = row
    # The id goes first, as in geojson.identified_feature: '{"type":"Feature",' + '"id":…,'.
    return (
        '{"type":"Feature","id":'
        + str(pk)
        + ","
        + _occurrence_feature(
            geom,
            _text(name),
            _text(slug),
            _text(str(common)),
            _text(date.isoformat()),
            _text(precision),
            _number(count),
            _text(basis),
            geojson.boolean(generalised),
            _number(uncertainty),
        )[len('{"type":"Feature",') :]
    )


# -- protected areas -----------------------------------------------------------------------


def _protected_area_rows(query: FeatureQuery) -> QuerySet:
    rows = protected_area_rows(query.layer_params())
    if query.iucn_categories:
        rows = rows.filter(iucn_category__in=query.iucn_categories)
    return rows


@functools.cache
def _area_url() -> UrlPattern:
    # Reversed once (outside the language prefix the pages' URLs are the English ones).
    return UrlPattern("protected_areas:detail")


def _write_protected_area(row) -> str:
    pk, name, iso_a3, category, quality, geom = row
    return geojson.identified_feature(
        pk,
        geom,
        {
            "name": str(name),
            "country": iso_a3,
            "iucn_category": category,
            "approximate": quality == BoundaryQuality.APPROXIMATE,
            "url": _area_url()(pk),
        },
    )


# -- countries -----------------------------------------------------------------------------


def _country_rows(query: FeatureQuery) -> QuerySet:
    rows = country_outline_rows(tolerance=None, digits=FULL_PRECISION_DIGITS, bbox=query.bbox)
    if query.countries:
        rows = rows.filter(iso_a3__in=query.countries)
    return rows


def _write_country(row) -> str:
    pk, iso_a3, name, is_member, geom = row
    return geojson.identified_feature(
        pk, geom, {"name": str(name), "country": iso_a3, "member": is_member}
    )


# -- the map's small layers ----------------------------------------------------------------


def _layer_rows(layer: Callable, keep: Sequence[str]) -> Callable[[FeatureQuery], list]:
    """The features of a small map layer as rows of (id, feature text), the properties
    narrowed to `keep`."""

    def rows(query: FeatureQuery) -> list:
        found = []
        for text in layer(query.layer_params()):
            feature = json.loads(text)
            properties = feature["properties"]
            found.append(
                (
                    properties["id"],
                    geojson.identified_feature(
                        properties["id"],
                        geojson.compact(feature["geometry"]),
                        {key: properties.get(key) for key in keep},
                    ),
                )
            )
        return sorted(found)

    return rows


def _write_layer_row(row) -> str:
    return row[1]


def _small_layer_collection(
    *, layer: Callable, columns: tuple[str, ...], **described
) -> Collection:
    """A small map layer as a collection, its features' properties narrowed to `columns`."""
    return Collection(
        select=_layer_rows(layer, columns),
        write=_write_layer_row,
        id_field=None,
        filters=(COUNTRY, SPECIES),
        columns=columns,
        **described,
    )


COLLECTIONS = {
    collection.id: collection
    for collection in (
        Collection(
            id="protected-areas",
            title=_("Protected areas"),
            description=_("Published protected areas: boundaries, or points where none is known."),
            geometry="polygon",
            select=_protected_area_rows,
            write=_write_protected_area,
            filters=(COUNTRY, SPECIES, IUCN_CATEGORY),
            columns=("name", "country", "iucn_category", "approximate", "url"),
        ),
        _small_layer_collection(
            id="transboundary-links",
            title=_("Transboundary links"),
            description=_(
                "Cooperation between protected areas across borders, as a line joining "
                "the published member areas from west to east."
            ),
            geometry="linestring",
            layer=transboundary_layer,
            columns=("name", "country", "category", "members"),
        ),
        Collection(
            id="occurrences",
            title=_("Occurrences"),
            description=_(
                "Published records of flagship species. Points of sensitive species are "
                "generalised to the centre of an equal-area grid cell (see `generalised`)."
            ),
            geometry="point",
            select=_occurrence_rows,
            write=_write_occurrence,
            filters=(COUNTRY, SPECIES, IUCN_CATEGORY),
            temporal=True,
            columns=OCCURRENCE_COLUMNS,
        ),
        _small_layer_collection(
            id="project-sites",
            title=_("Project sites"),
            description=_(
                "Published projects at their sites, or at their published protected areas."
            ),
            geometry="geometrycollection",
            layer=projects_layer,
            columns=("name", "title", "category", "url"),
        ),
        Collection(
            id="countries",
            title=_("Countries"),
            description=_("Country boundaries, the NEASPEC member states marked."),
            geometry="multipolygon",
            select=_country_rows,
            write=_write_country,
            filters=(COUNTRY,),
            columns=("name", "country", "member"),
        ),
    )
}
