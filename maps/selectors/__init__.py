"""Reads behind the map, one module per seam:

- `drawing`: how finely a zoom is drawn, and the page links features carry;
- `filters`: the record filters the layers share;
- `occurrences`: occurrences as a viewer may see them, single or counted per grid cell
  (live, or from the prepared grid);
- `layers`: one function per layer, each returning GeoJSON features built by the database
  (simplified to the zoom, rounded to its precision) in a fixed number of queries;
- `tiles`: the protected-area and occurrence layers as vector tiles (PostGIS `ST_AsMVT` on
  shapes prepared per zoom band, or the Python encoder on SpatiaLite);
- `search`: published areas and species by name, with the extent to zoom to;
- `details`: the facts about one feature for the details panel.

Underneath: the database expressions in common/sql.py, the GeoJSON writer in
common/geojson.py, the country outlines in protected_areas/selectors.py."""

from .details import DETAIL_READERS, feature_details
from .layers import LAYER_FEATURES, LAYER_ROWS, LAYERS, layer_collection
from .search import map_search

__all__ = [
    "DETAIL_READERS",
    "LAYERS",
    "LAYER_FEATURES",
    "LAYER_ROWS",
    "feature_details",
    "layer_collection",
    "map_search",
]
