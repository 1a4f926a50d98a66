"""Reading the portal's vector tiles back, for the tests: with the Python decoder
(`mapbox-vector-tile`) and with GDAL's MVT driver (`ogr2ogr`), both to features in degrees."""

import json
import math
import subprocess

import mapbox_vector_tile

from maps.tile_grid import TILE_EXTENT, Tile, mercator_to_degrees


def tile_containing(lon: float, lat: float, z: int) -> Tile:
    n = 2**z
    x = math.floor((lon + 180) / 360 * n)
    phi = math.radians(lat)
    y = math.floor((1 - math.log(math.tan(phi) + 1 / math.cos(phi)) / math.pi) / 2 * n)
    return Tile(z, x, y)


def _degrees(tile: Tile, coordinates):
    """Tile units (y upwards, as the decoder gives them by default) to lon/lat, nested."""
    if coordinates and isinstance(coordinates[0], (int, float)):
        min_x, min_y, max_x, max_y = tile.bounds_m()
        x, y = coordinates[:2]
        return list(
            mercator_to_degrees(
                min_x + x / TILE_EXTENT * (max_x - min_x),
                min_y + y / TILE_EXTENT * (max_y - min_y),
            )
        )
    return [_degrees(tile, part) for part in coordinates]


def decoded(content: bytes, tile: Tile) -> dict[str, list[dict]]:
    """Layer name → GeoJSON-like features in degrees, with `id` when the tile gives one."""
    layers = mapbox_vector_tile.decode(content) if content else {}
    return {
        name: [
            {
                "id": feature.get("id"),
                "properties": feature["properties"],
                "geometry": {
                    "type": feature["geometry"]["type"],
                    "coordinates": _degrees(tile, feature["geometry"]["coordinates"]),
                },
            }
            for feature in layer["features"]
        ]
        for name, layer in layers.items()
    }


def read_by_gdal(content: bytes, tile: Tile, directory) -> dict:
    """The tile as GDAL reads it: saved as z/x/y.pbf (the driver takes the tile's place from
    the path) and converted to GeoJSON in WGS 84 by ogr2ogr. Layer name → features."""
    path = directory / str(tile.z) / str(tile.x) / f"{tile.y}.pbf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    layers = {}
    listing = subprocess.run(
        ["ogrinfo", "-ro", "-q", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    for line in listing.splitlines():
        if ":" in line:
            name = line.split(":", 1)[1].strip().split(" ")[0]
            converted = subprocess.run(
                ["ogr2ogr", "-f", "GeoJSON", "-t_srs", "EPSG:4326", "/vsistdout/", str(path), name],
                capture_output=True,
                text=True,
                check=True,
                timeout=60,
            ).stdout
            layers[name] = json.loads(converted)["features"]
    return layers
