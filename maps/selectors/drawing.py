"""How finely a zoom is drawn, and the links to the record pages that features carry."""

import math
from dataclasses import dataclass

from django.db.models import F, Value
from django.urls import reverse

from common.sql import SimplifyForDisplay

TILE_SIZE_PX = 256
# Web Mercator stretches latitude: at 45° N a pixel spans ~0.7 of its equatorial width in
# degrees. Simplifying to a third of an equatorial pixel keeps every change under half a
# pixel across the region (20°–55° N), i.e. invisible.
TOLERANCE_PX = 0.35
# Below this many pixels across, a polygon is drawn as its representative point instead.
POINT_BELOW_PX = 3
# Kilometres per degree of longitude at 45° N, the middle of the region.
KM_PER_DEGREE = 78.7
FULL_PRECISION_DIGITS = 6


@dataclass(frozen=True)
class Detail:
    """How finely to draw at a zoom: simplification tolerance and rounding, in degrees."""

    tolerance: float | None
    digits: int
    degrees_per_pixel: float | None

    @classmethod
    def for_zoom(cls, zoom: int | None) -> "Detail":
        if zoom is None:
            return cls(tolerance=None, digits=FULL_PRECISION_DIGITS, degrees_per_pixel=None)
        degrees_per_pixel = 360 / (TILE_SIZE_PX * 2**zoom)
        # Enough decimals that rounding moves a vertex by at most a tenth of a pixel.
        digits = min(FULL_PRECISION_DIGITS, max(0, math.ceil(-math.log10(degrees_per_pixel / 10))))
        return cls(
            tolerance=degrees_per_pixel * TOLERANCE_PX,
            digits=digits,
            degrees_per_pixel=degrees_per_pixel,
        )

    def simplified(self, field: str):
        if self.tolerance is None:
            return F(field)
        return SimplifyForDisplay(F(field), Value(self.tolerance))


class UrlPattern:
    """Reverse a detail URL once and fill in each key: reversing per feature would cost
    more than building the feature."""

    PLACEHOLDER = "9876543210"

    def __init__(self, viewname: str):
        self.prefix, _, self.suffix = reverse(viewname, args=[self.PLACEHOLDER]).partition(
            self.PLACEHOLDER
        )

    def __call__(self, key) -> str:
        return f"{self.prefix}{key}{self.suffix}"
