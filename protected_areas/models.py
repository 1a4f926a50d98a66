"""Countries, protected areas and the transboundary links between them.

Over 400 lines on purpose: the geometry rules of an area (derived area and location, its
point in its country, the boundary's wording) sit beside the models they govern."""

from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from common.geometry import (
    STORAGE_SRID,
    distance_km,
    geodesic_area_km2,
    valid_geometry_constraint,
    validate_geometry_fields,
)
from common.models import (
    BoundaryQuality,
    PublishableModel,
    PublishableQuerySet,
    TimeStampedModel,
    internal_notes_field,
)
from common.spatial_index import GeometryIndex
from common.validators import YEAR_VALIDATORS

# Coastal and marine sites (tidal flats, bays) lie off the generalised Natural Earth
# coastline; a point further than this from its country is a data error, not a coast.
MAX_KM_OUTSIDE_COUNTRY = 25

# A reported area further than this share of the computed geodesic area from it is flagged.
AREA_DISAGREEMENT_SHARE = 0.5

# A rule both enforced by a database constraint and checked in clean() (which attaches the
# message to its field) says the same thing both ways: its message is written once, here.
NEEDS_GEOMETRY = _("Give a boundary, a location, or both, so the area can be mapped.")
AGREEMENT_NEEDS_YEAR = _("A signed agreement needs its year.")


class CountryQuerySet(models.QuerySet):
    def members(self):
        return self.filter(is_member=True)

    def without_boundary(self):
        """For pages that name countries: a Natural Earth boundary runs to hundreds of
        thousands of vertices, and parsing it cost more than the rest of a list page."""
        return self.defer("boundary")


class Country(TimeStampedModel):
    """A country as Natural Earth draws it. Reference data: not subject to publication."""

    iso_a3 = models.CharField(_("ISO 3166 alpha-3 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_local = models.CharField(_("name in its own language"), max_length=120, blank=True)
    is_member = models.BooleanField(_("NEASPEC member state"), default=False)
    boundary = models.MultiPolygonField(_("boundary"), srid=STORAGE_SRID, spatial_index=False)
    boundary_source = models.CharField(_("boundary source"), max_length=255, blank=True)

    objects = CountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]
        indexes = [GeometryIndex(fields=["boundary"], name="country_boundary_gist")]
        constraints = [
            models.CheckConstraint(
                condition=Q(iso_a3__regex=r"^[A-Z]{3}$"),
                name="country_iso_a3_format",
                violation_error_message=_("The ISO code must be three capital letters."),
            ),
            valid_geometry_constraint("boundary", name="country_boundary_valid"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        validate_geometry_fields(self, "boundary")

    def km_outside(self, point) -> float | None:
        """How far the point lies outside the country, in km (0 inside it); None when the
        country has no boundary to tell."""
        if self.boundary is None:
            return None
        if self.boundary.contains(point):
            return 0.0
        return distance_km(point, self.boundary)


class IUCNCategory(models.TextChoices):
    IA = "Ia", _("Ia – Strict nature reserve")
    IB = "Ib", _("Ib – Wilderness area")
    II = "II", _("II – National park")
    III = "III", _("III – Natural monument or feature")
    IV = "IV", _("IV – Habitat/species management area")
    V = "V", _("V – Protected landscape/seascape")
    VI = "VI", _("VI – Protected area with sustainable use of natural resources")
    NOT_REPORTED = "NR", _("Not reported")


class ProtectedAreaQuerySet(PublishableQuerySet):
    def in_country(self, iso_a3: str):
        return self.filter(country__iso_a3=iso_a3)

    def with_country(self):
        """Each area's country joined, its boundary left behind (see
        `CountryQuerySet.without_boundary`)."""
        return self.select_related("country").defer("country__boundary")

    # Bulk writes skip save(): they derive the stored values themselves (see
    # ProtectedArea.derive_from_boundary). A queryset update() of the boundary does not.
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for area in objs:
            area.derive_from_boundary()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if ProtectedArea.changes_derived_values(fields):
            for area in objs:
                area.derive_from_boundary()
            fields = [*fields, *ProtectedArea.DERIVED_FIELDS.difference(fields)]
        return super().bulk_update(objs, fields, *args, **kwargs)


class ProtectedArea(PublishableModel):
    name = models.CharField(_("name"), max_length=255)
    name_local = models.CharField(_("original name"), max_length=255, blank=True)
    wdpa_id = models.PositiveBigIntegerField(
        _("WDPA ID"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("World Database on Protected Areas identifier, where known."),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="protected_areas",
        verbose_name=_("country"),
    )
    designation = models.CharField(_("designation"), max_length=255)
    international_designations = models.TextField(
        _("international designations"),
        blank=True,
        help_text=_("One per line, e.g. “Ramsar site 683 (1994)”."),
    )
    iucn_category = models.CharField(
        _("IUCN category"),
        max_length=3,
        choices=IUCNCategory.choices,
        default=IUCNCategory.NOT_REPORTED,
    )
    status_year = models.PositiveSmallIntegerField(
        _("status year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    reported_area_km2 = models.DecimalField(
        _("reported area (km²)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    computed_area_km2 = models.DecimalField(
        _("computed geodesic area (km²)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Computed from the boundary on the WGS 84 ellipsoid."),
    )
    boundary = models.MultiPolygonField(
        _("boundary"), srid=STORAGE_SRID, null=True, blank=True, spatial_index=False
    )
    location = models.PointField(
        _("location"),
        srid=STORAGE_SRID,
        null=True,
        blank=True,
        spatial_index=False,
        help_text=_("A representative point, e.g. the published centre coordinate."),
    )
    location_estimated = models.BooleanField(
        _("location estimated"),
        default=False,
        help_text=_("Ticked when the point is not taken from the source."),
    )
    boundary_quality = models.CharField(
        _("boundary quality"),
        max_length=16,
        choices=BoundaryQuality.choices,
        default=BoundaryQuality.APPROXIMATE,
    )
    boundary_source = models.CharField(_("boundary source"), max_length=500, blank=True)
    wdpa_attributes = models.JSONField(
        _("WDPA attributes"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_(
            "The record's attributes in the WDPA release it was last imported from, those "
            "without a field of their own included (STATUS, GOV_TYPE, MARINE…)."
        ),
    )
    management_authority = models.CharField(_("management authority"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    source_title = models.CharField(_("source title"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    internal_notes = internal_notes_field()
    dataset_key = models.SlugField(
        _("dataset key"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Identifier in the shipped NEASPEC dataset; the loader matches on it."),
    )

    objects = ProtectedAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("protected area")
        verbose_name_plural = _("protected areas")
        ordering = ["country__name", "name"]
        indexes = [
            GeometryIndex(fields=["boundary"], name="protectedarea_boundary_gist"),
            GeometryIndex(fields=["location"], name="protectedarea_location_gist"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(boundary__isnull=False) | Q(location__isnull=False),
                name="protectedarea_has_geometry",
                violation_error_message=NEEDS_GEOMETRY,
            ),
            # What the map and dashboards rely on, whatever wrote the row.
            models.CheckConstraint(
                condition=Q(boundary__isnull=True)
                | Q(computed_area_km2__isnull=False, location__isnull=False),
                name="protectedarea_boundary_derived_values",
            ),
            valid_geometry_constraint("boundary", name="protectedarea_boundary_valid"),
            valid_geometry_constraint("location", name="protectedarea_location_valid"),
        ]

    def __str__(self):
        return f"{self.name} ({self.country.iso_a3})" if self.country_id else self.name

    def get_absolute_url(self):
        return reverse("protected_areas:detail", args=[self.pk])

    def clean(self):
        validate_geometry_fields(self, "boundary", "location")
        if self.boundary is None and self.location is None:
            raise ValidationError({"location": NEEDS_GEOMETRY})
        self._check_location_in_country()
        # Here too, not only in save(): model validation checks the derived values'
        # constraint (protectedarea_boundary_derived_values).
        self.derive_from_boundary()

    def save(self, *args, **kwargs):
        # Not a rule, only where `derive_from_boundary` is applied: every write path (admin,
        # loader, services, shell, fixtures) saves, but not every one calls clean() first.
        self.derive_from_boundary()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.changes_derived_values(update_fields):
            kwargs["update_fields"] = {*update_fields, *self.DERIVED_FIELDS}
        super().save(*args, **kwargs)

    def derive_from_boundary(self) -> None:
        """The values stored from the boundary so that the map and dashboards need not measure
        it again: its geodesic area and, where no location is given, a point on it."""
        self.computed_area_km2 = (
            round(geodesic_area_km2(self.boundary), 2) if self.boundary is not None else None
        )
        if self.location is None and self.boundary is not None:
            self.location = self.boundary.point_on_surface

    DERIVED_FIELDS = frozenset({"computed_area_km2", "location"})

    @staticmethod
    def changes_derived_values(fields) -> bool:
        """Whether a partial write of these fields must also write the derived values."""
        return not {"boundary", "location"}.isdisjoint(fields)

    def _check_location_in_country(self) -> None:
        if self.location is None or not self.country_id:
            return
        km = self.country.km_outside(self.location)
        if km is not None and km > MAX_KM_OUTSIDE_COUNTRY:
            raise ValidationError(
                {
                    "location": _(
                        "The location lies %(km).0f km outside %(country)s. Check the "
                        "coordinates (longitude first) or the country."
                    )
                    % {"km": km, "country": self.country.name}
                }
            )

    @property
    def is_boundary_approximate(self) -> bool:
        """A stand-in boundary is drawn (dashed on maps). Without a boundary there is nothing
        approximate to draw, whatever `boundary_quality` says."""
        return self.has_boundary and self.boundary_quality == BoundaryQuality.APPROXIMATE

    @property
    def has_boundary(self) -> bool:
        # Pages defer the full boundary (it can run to megabytes) and carry a simplified copy
        # as `page_boundary`: answer from that copy rather than load the whole shape.
        if "boundary" in self.get_deferred_fields() and hasattr(self, "page_boundary"):
            return self.page_boundary is not None
        return self.boundary is not None

    def _boundary_wording(self) -> tuple[str, str]:
        if not self.has_boundary:
            return (
                _("Not recorded"),
                _("No boundary is recorded: the point marks the area's location."),
            )
        if self.is_boundary_approximate:
            return (
                self.get_boundary_quality_display(),
                _(
                    "Approximate boundary (dashed): a stand-in of the reported area, not the "
                    "legal boundary."
                ),
            )
        return self.get_boundary_quality_display(), ""

    @property
    def boundary_label(self) -> str:
        """The boundary in a word or two (“Not recorded”, “Approximate”, “Surveyed”…): what
        every page says of it comes from `_boundary_wording`, so no two places disagree."""
        return self._boundary_wording()[0]

    @property
    def boundary_note(self) -> str:
        """A sentence for under the map where the boundary needs explaining, else empty."""
        return self._boundary_wording()[1]

    def reported_area_disagreement(self) -> str | None:
        """A warning when the reported area and the area computed from the boundary differ by
        more than half of the computed one: a typo, hectares for km², or a wrong boundary.
        Only a warning, since a source's figure may rightly include sea or buffer zones."""
        if self.reported_area_km2 is None or not self.computed_area_km2:
            return None
        reported, computed = float(self.reported_area_km2), float(self.computed_area_km2)
        if abs(reported - computed) <= AREA_DISAGREEMENT_SHARE * computed:
            return None
        return _(
            "The reported area (%(reported)s km²) differs by more than half from the area "
            "computed from the boundary (%(computed)s km²). Check the reported figure (in km², "
            "not hectares) and the boundary."
        ) % {
            "reported": number_format(round(reported), force_grouping=True),
            "computed": number_format(round(computed), force_grouping=True),
        }


class CooperationStatus(models.TextChoices):
    NONE = "none", _("No formal cooperation")
    INFORMAL = "informal", _("Informal cooperation")
    AGREEMENT = "agreement", _("Agreement signed")


class TransboundaryLink(PublishableModel):
    """Protected areas in two or more countries that together form a transboundary complex."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    protected_areas = models.ManyToManyField(
        ProtectedArea,
        related_name="transboundary_links",
        verbose_name=_("protected areas"),
    )
    cooperation_status = models.CharField(
        _("cooperation status"),
        max_length=16,
        choices=CooperationStatus.choices,
        default=CooperationStatus.NONE,
    )
    agreement_year = models.PositiveSmallIntegerField(
        _("agreement year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    agreement_name = models.CharField(_("agreement"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("transboundary link")
        verbose_name_plural = _("transboundary links")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(cooperation_status="agreement") | Q(agreement_year__isnull=False),
                name="transboundarylink_agreement_has_year",
                violation_error_message=AGREEMENT_NEEDS_YEAR,
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.cooperation_status == CooperationStatus.AGREEMENT and not self.agreement_year:
            raise ValidationError({"agreement_year": AGREEMENT_NEEDS_YEAR})

    @staticmethod
    def validate_members(protected_areas) -> None:
        """Members are many-to-many, so they are checked here and called by every write path
        (admin form, loader, API) before they are set."""
        areas = list(protected_areas)
        if len(areas) < 2:
            raise ValidationError(
                _("A transboundary link needs at least two protected areas."),
                code="too_few",
            )
        if len({area.country_id for area in areas}) < 2:
            raise ValidationError(
                _("The protected areas of a transboundary link must lie in two or more countries."),
                code="one_country",
            )
