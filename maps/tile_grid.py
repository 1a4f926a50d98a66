"""The vector-tile pyramid: tile coordinates, the zoom bands protected-area boundaries are
generalised for, and the SQL that generalises them (run by database triggers, see
migration 0004). Pure: no model and no query, so a migration may import it."""

import math
from dataclasses import dataclass

WEB_MERCATOR_SRID = 3857
# Half the side of the web-map square, in EPSG:3857 metres.
WEB_MERCATOR_HALF = 20037508.342789244
TILE_EXTENT = 4096
# Beyond its edge each tile carries this many extent units (1/64 of a tile), so outlines
# and dots that cross a tile's edge are drawn whole on both sides.
TILE_BUFFER = 64
# Tiles serve the continental views, where GeoJSON cannot carry the region's boundaries.
# Closer views read the GeoJSON layers (exact, clickable, a few hundred features); a tile
# client may draw zoom 10's tiles larger (Leaflet's maxNativeZoom).
TILE_MAX_ZOOM = 10
# The portal's map draws the protected areas and occurrences from tiles up to this zoom
# (the region and its countries) and from the GeoJSON layers beyond (maps/static/js/map).
MAP_TILES_UP_TO_ZOOM = 6
# Each band's boundaries are simplified once, for its finest zoom, so a band of two zooms
# costs one copy of the boundaries, not two.
ZOOM_BANDS = ((0, 3), (4, 5), (6, 7), (8, 10))
# As the GeoJSON layer (maps.selectors.drawing): simplified to a third of a pixel.
TOLERANCE_PX = 0.35
# An area narrower than this is drawn as a dot (the map draws dots 10 pixels across, so a
# polygon drawn instead would look smaller than one); the GeoJSON layer's threshold is 3
# pixels, but here a whole region of 100,000 areas must fit in a first view of 1 MB.
POINT_BELOW_PX = 8
# Of the dots that fall in one cell of this many pixels at a tile's zoom, one is drawn (the
# largest area's): a dot is 10 pixels across, so the others would be painted over it, and
# cost bytes for nothing (a region of 100,000 areas: 60,000 dots at 2 pixels, 1.2 MB).
DOT_CELL_PX = 4
TILE_SIZE_PX = 256


@dataclass(frozen=True)
class Tile:
    z: int
    x: int
    y: int

    @property
    def size_m(self) -> float:
        return 2 * WEB_MERCATOR_HALF / 2**self.z

    def bounds_m(self, buffer_units: int = 0) -> tuple[float, float, float, float]:
        """The tile's square in EPSG:3857 metres (y grows northwards), widened by
        `buffer_units` extent units on every side."""
        margin = self.size_m * buffer_units / TILE_EXTENT
        min_x = -WEB_MERCATOR_HALF + self.x * self.size_m
        max_y = WEB_MERCATOR_HALF - self.y * self.size_m
        return (
            min_x - margin,
            max_y - self.size_m - margin,
            min_x + self.size_m + margin,
            max_y + margin,
        )

    def bounds_degrees(self, buffer_units: int = 0) -> tuple[float, float, float, float]:
        """The same square as min_lon, min_lat, max_lon, max_lat (clamped to the world)."""
        min_x, min_y, max_x, max_y = self.bounds_m(buffer_units)
        min_lon, min_lat = mercator_to_degrees(min_x, min_y)
        max_lon, max_lat = mercator_to_degrees(max_x, max_y)
        return (max(min_lon, -180.0), min_lat, min(max_lon, 180.0), max_lat)


def degrees_to_mercator(lon: float, lat: float) -> tuple[float, float]:
    lat = max(min(lat, 85.0511287798), -85.0511287798)
    x = WEB_MERCATOR_HALF * lon / 180
    y = WEB_MERCATOR_HALF / math.pi * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return x, y


def mercator_to_degrees(x: float, y: float) -> tuple[float, float]:
    x = max(min(x, WEB_MERCATOR_HALF), -WEB_MERCATOR_HALF)
    y = max(min(y, WEB_MERCATOR_HALF), -WEB_MERCATOR_HALF)
    lon = x / WEB_MERCATOR_HALF * 180
    lat = math.degrees(2 * math.atan(math.exp(y / WEB_MERCATOR_HALF * math.pi)) - math.pi / 2)
    return lon, lat


def metres_per_pixel(zoom: int) -> float:
    """EPSG:3857 metres per screen pixel of a 256-pixel tile at `zoom`."""
    return 2 * WEB_MERCATOR_HALF / (TILE_SIZE_PX * 2**zoom)


def band_of(zoom: int) -> int:
    for band, (first, last) in enumerate(ZOOM_BANDS):
        if first <= zoom <= last:
            return band
    raise ValueError(f"zoom {zoom} is outside the tile pyramid (0–{TILE_MAX_ZOOM})")


@dataclass(frozen=True)
class BandRule:
    band: int
    # Simplification tolerance, for the band's finest zoom (the coarser ones lose nothing).
    tolerance_m: float
    # An area whose box is narrower than this at the band's coarsest zoom is drawn as its
    # point throughout the band (a dot, not a speck that rounding would erase).
    speck_m: float


def band_rules() -> list[BandRule]:
    return [
        BandRule(
            band=band,
            tolerance_m=TOLERANCE_PX * metres_per_pixel(last),
            speck_m=POINT_BELOW_PX * metres_per_pixel(first),
        )
        for band, (first, last) in enumerate(ZOOM_BANDS)
    ]


SHAPE_TABLE = "maps_protectedareatileshape"
AREA_TABLE = "protected_areas_protectedarea"


def shapes_insert_sql(rows: str) -> str:
    """INSERT of every band's shape of the areas in `rows` (a relation with id, boundary and
    location): the boundary in EPSG:3857 simplified to the band's tolerance, or the area's
    point (its own, else one on its surface) when it is a speck at the band's coarsest zoom
    or has no boundary.

    ST_Simplify keeping collapsing parts, not ST_SimplifyPreserveTopology: on 2,000-vertex
    boundaries it took 0.55 ms against 3.8 ms, with the same vertices kept, and writers pay
    it for every band of every area they write. The topology-preserving variant's valid
    polygon is not needed: quantising to the tile's grid can break any polygon, and
    ST_AsMVTGeom makes its output valid itself."""
    bands = ", ".join(
        f"({rule.band}, {rule.tolerance_m!r}::float8, {rule.speck_m!r}::float8)"
        for rule in band_rules()
    )
    # OFFSET 0 keeps the subquery from being merged into the outer query, whose CASE would
    # then transform each boundary once per use and band (24 times an area). Written band
    # by band, so a bulk write keeps each band's rows together on disk for the tiles.
    return f"""
        INSERT INTO {SHAPE_TABLE} (area_id, band, geometry)
        SELECT m.id, b.band,
            CASE
                WHEN m.shape IS NULL THEN m.point
                WHEN m.width < b.speck_m THEN coalesce(m.point, ST_PointOnSurface(m.shape))
                ELSE ST_Simplify(m.shape, b.tolerance_m, true)
            END
        FROM (
            SELECT s.id, s.shape, s.point,
                greatest(ST_XMax(s.shape) - ST_XMin(s.shape),
                         ST_YMax(s.shape) - ST_YMin(s.shape)) AS width
            FROM (
                SELECT r.id, ST_Transform(r.boundary, {WEB_MERCATOR_SRID}) AS shape,
                    ST_Transform(r.location, {WEB_MERCATOR_SRID}) AS point
                FROM {rows} AS r
                WHERE r.boundary IS NOT NULL OR r.location IS NOT NULL
                OFFSET 0
            ) AS s
            OFFSET 0
        ) AS m
        CROSS JOIN (VALUES {bands}) AS b (band, tolerance_m, speck_m)
        ORDER BY b.band
    """
