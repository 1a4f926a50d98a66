"""What an indicator is: a computation over the published records, and how its data is shown.

Each module of this package holds one indicator: a pure function that computes it (for the
tasks, the command and the tests) and a `DashboardIndicator` subclass that names it, says
what it depends on and turns a snapshot's data into tables, charts, headline figures and a
map. Pages, downloads, tasks and the rebuild triggers use only this interface: nothing
outside an indicator's module knows the shape of its data."""

import threading

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import get_language

from protected_areas.models import Country, ProtectedArea, TransboundaryLink
from species.models import Species

from ..models import Indicator

Table = tuple[list[str], list[list]]


class DashboardIndicator:
    slug: str
    # Where the figures come from, shown on the page and in the JSON download.
    sources: "str | Promise"
    # The models ("app.Model") whose edits queue a rebuild of this indicator.
    depends_on: tuple[str, ...]

    @property
    def title(self) -> str:
        return str(Indicator(self.slug).label)

    def parameters(self) -> dict:
        """The settings the computation takes; a snapshot is kept per set of parameters."""
        return {}

    def compute(self, **parameters) -> dict:
        """The indicator's data, JSON-ready, computed from the published records."""
        raise NotImplementedError

    def table(self, data: dict) -> Table:
        """The main table: on the page and, in English, the CSV download."""
        raise NotImplementedError

    def charts(self, data: dict) -> list[dict]:
        raise NotImplementedError

    def headline(self, data: dict) -> list[tuple[str, object]]:
        """(label, figure) pairs for the overview's card and the page's history."""
        raise NotImplementedError

    def extra_table(self, data: dict) -> tuple[str, list[str], list[list]] | None:
        """A second table shown under the main one: (caption, headers, rows)."""
        return None

    def map(self, data: dict) -> dict | None:
        """What the page's map draws: {"features": a GeoJSON FeatureCollection,
        "legend": [(swatch class, label), …]}; None for an indicator without a map."""
        return None


def bar_chart(title, labels, datasets, *, stacked=False, horizontal=False, floating=False) -> dict:
    """A bar chart; `floating` bars span [start, end] values (a timeline)."""
    return {
        "type": "bar",
        "title": title,
        "labels": labels,
        "datasets": datasets,
        "stacked": stacked,
        "horizontal": horizontal,
        "floating": floating,
    }


def choice_label(choices, value: str) -> str:
    """A choice's label in the reader's language (snapshots store values and English)."""
    return str(choices(value).label) if value in choices.values else value


class Names:
    """The names of the records a snapshot refers to by code (ISO A3, species slug, record
    id), in the active language: snapshots keep codes, pages and downloads name them when
    shown. Each kind is read once, on first use, with one query. A code whose record is
    gone falls back to the name the snapshot stored (older snapshots stored English names).
    """

    SOURCES = {
        "country": (Country, "iso_a3", "name"),
        "species": (Species, "slug", "common_name"),
        "protected_area": (ProtectedArea, "pk", "name"),
        "link": (TransboundaryLink, "pk", "name"),
    }

    _last = threading.local()

    def __init__(self):
        self._loaded: dict[str, dict] = {}

    @classmethod
    def for_data(cls, data: dict) -> "Names":
        """The names for one snapshot's data: a page shows it through several methods
        (table, charts, map…), which share one lookup per kind instead of one each."""
        last = cls._last
        if getattr(last, "data", None) is data and last.language == get_language():
            return last.names
        last.data, last.language, last.names = data, get_language(), cls()
        return last.names

    def _names(self, kind: str) -> dict:
        if kind not in self._loaded:
            model, key, field = self.SOURCES[kind]
            # The model's own attribute gives the active language with the English fallback.
            fields = [f.name for f in model._meta.concrete_fields if f.name.startswith(field)]
            self._loaded[kind] = {
                getattr(record, key): getattr(record, field)
                for record in model._base_manager.only(key, *fields)
            }
        return self._loaded[kind]

    def _name(self, kind: str, code, fallback) -> str:
        if code is None:
            return fallback if fallback is not None else ""
        name = self._names(kind).get(code)
        return name or (fallback if fallback is not None else str(code))

    def country(self, iso_a3: str | None, fallback: str | None = None) -> str:
        return self._name("country", iso_a3, fallback)

    def species(self, slug: str | None, fallback: str | None = None) -> str:
        return self._name("species", slug, fallback)

    def protected_area(self, pk: int | None, fallback: str | None = None) -> str:
        return self._name("protected_area", pk, fallback)

    def link(self, pk: int | None, fallback: str | None = None) -> str:
        return self._name("link", pk, fallback)


def number(value, decimals: int | None = None) -> str:
    """A number inside a sentence or label, in the reader's locale ("0,55" in Russian, with
    the locale's grouping): the same form the page's tables give numbers of their own."""
    if value is None:
        return "–"
    if decimals is not None:
        value = round(value, decimals)  # number_format cuts a float's decimals off
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def percent_figure(value, decimals: int | None = None) -> str:
    """A share in the reader's locale with its sign: "1,4 %" in Russian."""
    return "–" if value is None else f"{number(value, decimals)} %"


def east_of_antimeridian(geometry: dict | None) -> dict | None:
    """A GeoJSON (multi)polygon of North-East Asia kept in one piece across 180°.

    Natural Earth cuts the Russian Federation at the antimeridian: the eastern tip of
    Chukotka has longitudes near −170°, and a web map draws it at the far edge of the world,
    with the whole Pacific in between. In a shape that reaches east of 90° E, the polygons
    lying wholly west of 90° W are moved by +360° (Leaflet draws longitudes beyond 180°)."""
    if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return geometry
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    east = any(x > 90 for polygon in polygons for ring in polygon for x, *_ in ring)
    if not east:
        return geometry

    def moved(polygon):
        if all(x < -90 for ring in polygon for x, *_ in ring):
            return [[[x + 360, *rest] for x, *rest in ring] for ring in polygon]
        return polygon

    shifted = [moved(polygon) for polygon in polygons]
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": shifted[0]}
    return {"type": "MultiPolygon", "coordinates": shifted}
