from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.geometry import STORAGE_SRID, distance_km, geodesic_area_km2, validate_geometry
from common.models import (
    BoundaryQuality,
    PublishableModel,
    PublishableQuerySet,
    TimeStampedModel,
)

YEAR_VALIDATORS = [MinValueValidator(1800), MaxValueValidator(2100)]

# Coastal and marine sites (tidal flats, bays) lie off the generalised Natural Earth
# coastline; a point further than this from its country is a data error, not a coast.
MAX_KM_OUTSIDE_COUNTRY = 25


class CountryQuerySet(models.QuerySet):
    def members(self):
        return self.filter(is_member=True)


class Country(TimeStampedModel):
    """A country as Natural Earth draws it. Reference data: not subject to publication."""

    iso_a3 = models.CharField(_("ISO 3166 alpha-3 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_local = models.CharField(_("name in its own language"), max_length=120, blank=True)
    is_member = models.BooleanField(_("NEASPEC member state"), default=False)
    boundary = models.MultiPolygonField(_("boundary"), srid=STORAGE_SRID)
    boundary_source = models.CharField(_("boundary source"), max_length=255, blank=True)

    objects = CountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(iso_a3__regex=r"^[A-Z]{3}$"),
                name="country_iso_a3_format",
                violation_error_message=_("The ISO code must be three capital letters."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        validate_geometry(self.boundary, label="Boundary")


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
    boundary = models.MultiPolygonField(_("boundary"), srid=STORAGE_SRID, null=True, blank=True)
    location = models.PointField(
        _("location"),
        srid=STORAGE_SRID,
        null=True,
        blank=True,
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
        constraints = [
            models.CheckConstraint(
                condition=Q(boundary__isnull=False) | Q(location__isnull=False),
                name="protectedarea_has_geometry",
                violation_error_message=_("Give a boundary, a location, or both."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.country.iso_a3})" if self.country_id else self.name

    def get_absolute_url(self):
        return reverse("protected_areas:detail", args=[self.pk])

    def clean(self):
        validate_geometry(self.boundary, label="Boundary")
        validate_geometry(self.location, label="Location")
        if self.boundary is None and self.location is None:
            raise ValidationError(
                {"location": _("Give a boundary, a location, or both, so the area can be mapped.")}
            )
        self._check_location_in_country()
        self.computed_area_km2 = (
            round(geodesic_area_km2(self.boundary), 2) if self.boundary is not None else None
        )
        if self.location is None and self.boundary is not None:
            self.location = self.boundary.point_on_surface

    def _check_location_in_country(self) -> None:
        if self.location is None or not self.country_id or self.country.boundary is None:
            return
        if self.country.boundary.contains(self.location):
            return
        km = distance_km(self.location, self.country.boundary)
        if km > MAX_KM_OUTSIDE_COUNTRY:
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
        return self.boundary_quality == BoundaryQuality.APPROXIMATE


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
                violation_error_message=_("A signed agreement needs its year."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.cooperation_status == CooperationStatus.AGREEMENT and not self.agreement_year:
            raise ValidationError({"agreement_year": _("A signed agreement needs its year.")})

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
