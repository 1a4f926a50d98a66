"""Read models owned by the map: occurrence counts per grid cell, prepared ahead of time so
a whole-region view of a million records is read from a few thousand rows.

Only PostgreSQL uses them (its triggers mark the grid stale on every write to occurrences
or species, see migration 0002); elsewhere the layers count live."""

from django.contrib.gis.db import models as gis_models
from django.db import models
from django.utils.translation import gettext_lazy as _


class OccurrenceCell(models.Model):
    """Occurrences of one species counted in one cell of one low zoom's grid.

    `generalised` rows were counted from the points the public sees (sensitive species
    snapped to the equal-area grid); rows with `generalised` false are counted from the
    exact points: staff read those, and the public reads them only for species that are not
    sensitive. Species' publication is checked when the cells are read, never stored."""

    zoom = models.PositiveSmallIntegerField(_("zoom"))
    generalised = models.BooleanField(_("counted from generalised points"))
    species = models.ForeignKey(
        "species.Species", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    column = models.IntegerField(_("grid column"))
    row = models.IntegerField(_("grid row"))
    records = models.PositiveIntegerField(_("records"))
    lon = models.FloatField(_("mean longitude"))
    lat = models.FloatField(_("mean latitude"))

    class Meta:
        verbose_name = _("occurrence grid cell")
        verbose_name_plural = _("occurrence grid cells")
        indexes = [models.Index(fields=["zoom", "lon", "lat"], name="maps_occurrencecell_view")]

    def __str__(self):
        return f"z{self.zoom} {self.column},{self.row}: {self.records}"


class OccurrenceGridState(models.Model):
    """The single row saying whether the cells still match the occurrences: set stale by
    database triggers on any write to occurrences or species, cleared by a rebuild."""

    stale = models.BooleanField(_("stale"), default=True)
    rebuilt = models.DateTimeField(_("rebuilt"), null=True, blank=True)

    class Meta:
        verbose_name = _("occurrence grid state")

    def __str__(self):
        return "stale" if self.stale else f"fresh since {self.rebuilt}"


class ProtectedAreaTileShape(models.Model):
    """A protected area's shape for one zoom band of the vector tiles (maps.tile_grid): its
    boundary in web-map metres simplified for the band, or its point where it would be a
    speck. Written by database triggers on every write of an area's boundary or point
    (PostgreSQL, migration 0004), so the tiles never simplify per request and never lag the
    data; SpatiaLite (`make run`) simplifies per tile instead and leaves this table empty.

    Publication, names and categories are read from the areas when a tile is built, never
    stored here: only the geometry, which is what costs to prepare."""

    area = models.ForeignKey(
        "protected_areas.ProtectedArea",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        # The unique (area, band) index serves lookups by area.
        db_index=False,
    )
    band = models.PositiveSmallIntegerField(_("zoom band"))
    geometry = gis_models.GeometryField(_("geometry"), srid=3857, spatial_index=False)

    class Meta:
        verbose_name = _("protected-area tile shape")
        verbose_name_plural = _("protected-area tile shapes")
        constraints = [
            models.UniqueConstraint(fields=["area", "band"], name="maps_tileshape_area_band")
        ]

    def __str__(self):
        return f"area {self.area_id}, band {self.band}"
