"""What the WDPA and OpenStreetMap importers share: the portal's countries, and proposing
which existing protected area a boundary from elsewhere belongs to — by name within the
country, or because the record's point lies inside the boundary. A proposal is never
merged silently: the editor accepts it, or not."""

import re
import unicodedata

from django.contrib.gis.geos import GEOSGeometry

from common.models import BoundaryQuality
from protected_areas.models import Country, ProtectedArea

# Words that say what kind of area it is rather than which: "Khanka Lake Nature Reserve"
# and "Khankaisky Zapovednik" differ in them only.
GENERIC_WORDS = {
    "and", "area", "biosphere", "conservation", "federal", "forest", "heritage", "lake",
    "national", "natural", "nature", "nnr", "np", "nr", "of", "park", "protected",
    "provincial", "ramsar", "regional", "reserve", "reservation", "sanctuary", "site",
    "state", "strict", "the", "wetland", "wetlands", "wildlife", "world", "zakaznik",
    "zapovednik",
}  # fmt: skip
WORD = re.compile(r"\w+", re.UNICODE)

# Boundaries a file from elsewhere may replace: none at all, the approximate stand-in, or
# one imported earlier from the same kind of source.
REPLACEABLE = {
    BoundaryQuality.WDPA: {BoundaryQuality.APPROXIMATE, BoundaryQuality.WDPA},
    BoundaryQuality.OSM: {BoundaryQuality.APPROXIMATE, BoundaryQuality.OSM},
}


def name_key(name: str) -> frozenset[str]:
    text = unicodedata.normalize("NFKC", name or "").casefold()
    words = WORD.findall(text)
    specific = {word for word in words if word not in GENERIC_WORDS}
    return frozenset(specific or words)


def countries_by_code() -> dict[str, Country]:
    """Every country, its boundary loaded only when a row needs it (once per country)."""
    return {country.iso_a3: country for country in Country.objects.defer("boundary")}


def boundary_replaceable(area: ProtectedArea, source_quality: str) -> bool:
    return area.boundary is None or area.boundary_quality in REPLACEABLE[source_quality]


class AreaCandidates:
    """Protected areas a row may be proposed to match: those without the source's key
    (WDPAID, OSM id), in memory — a few dozen records, not one query per row."""

    def __init__(self, queryset):
        self.areas = [
            (area, name_key(area.name), name_key(area.name_local))
            for area in queryset.select_related("country").defer("boundary")
        ]

    def for_row(self, *, names: list[str], country_id: int | None, geometry: GEOSGeometry | None):
        keys = {name_key(name) for name in names if name}
        keys.discard(frozenset())
        polygonal = geometry is not None and geometry.geom_type in ("Polygon", "MultiPolygon")
        prepared = geometry.prepared if polygonal else None
        found = []
        for area, key, local_key in self.areas:
            if country_id is not None and area.country_id != country_id:
                continue
            reasons = []
            if keys & {key, local_key}:
                reasons.append("same name in the same country")
            if (
                prepared is not None
                and area.location is not None
                and prepared.contains(area.location)
            ):
                reasons.append("its point lies inside this boundary")
            if reasons:
                found.append({"id": area.pk, "record": str(area), "reason": "; ".join(reasons)})
        found.sort(key=lambda candidate: -candidate["reason"].count(";"))
        return found
