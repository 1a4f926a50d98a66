import math

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import SnapToGrid, Transform
from django.core.exceptions import ValidationError
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.geometry import EQUAL_AREA_GRID_SRID, STORAGE_SRID, validate_geometry
from common.models import (
    BoundaryQuality,
    PublicationState,
    PublishableModel,
    TimeStampedModel,
    dataset_key_field,
)
from common.uploads import RandomName, SanitisedImageField
from protected_areas.models import YEAR_VALIDATORS


class TaxonGroup(models.TextChoices):
    MAMMAL = "mammal", _("Mammal")
    BIRD = "bird", _("Bird")


class RedListCategory(models.TextChoices):
    CR = "CR", _("Critically Endangered")
    EN = "EN", _("Endangered")
    VU = "VU", _("Vulnerable")
    NT = "NT", _("Near Threatened")
    LC = "LC", _("Least Concern")
    DD = "DD", _("Data Deficient")


class PopulationTrend(models.TextChoices):
    INCREASING = "increasing", _("Increasing")
    DECREASING = "decreasing", _("Decreasing")
    STABLE = "stable", _("Stable")
    UNKNOWN = "unknown", _("Unknown")


class Movement(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    MIGRATORY = "migratory", _("Migratory")


class SpeciesRecordQuerySet(models.QuerySet):
    """Estimates, ranges and occurrences are public exactly when their species is."""

    def published(self):
        return self.filter(species__publication_state=PublicationState.PUBLISHED)


class OccurrenceQuerySet(SpeciesRecordQuerySet):
    def for_viewer(self, user):
        """Occurrences annotated with what this user may see of their position:

        - `shown_location`: the exact point for staff; for anyone else (anonymous visitors
          included), points of species flagged `is_sensitive` are snapped to the nearest
          node of an equal-area grid of `settings.SENSITIVE_GRID_M` metres (default 10 km;
          see common.geometry.snap_to_equal_area_grid). Other species' points are exact.
        - `location_generalised`: whether `shown_location` was generalised.
        - `shown_uncertainty_m`: the coordinate uncertainty to display (half the cell
          diagonal for a generalised point).

        Every public path (map layers, API, exports, pages) must read `shown_location` and
        never `location`, e.g.::

            Occurrence.objects.published().for_viewer(request.user).select_related("species")

        For one occurrence already in memory use
        `species.selectors.occurrence_location_for(user, occurrence)`.
        """
        return self.with_shown_location(exact=sees_exact_locations(user))

    def with_shown_location(self, *, exact: bool):
        """`for_viewer` when the caller already knows whether exact points may be shown."""
        if exact:
            return self.annotate(
                shown_location=F("location"),
                location_generalised=Value(False),
                shown_uncertainty_m=F("coordinate_uncertainty_m"),
            )
        cell_m = settings.SENSITIVE_GRID_M
        sensitive = Q(species__is_sensitive=True)
        snapped = Transform(
            SnapToGrid(Transform("location", EQUAL_AREA_GRID_SRID), cell_m), STORAGE_SRID
        )
        return self.annotate(
            shown_location=Case(
                When(sensitive, then=snapped),
                default=F("location"),
                output_field=models.PointField(srid=STORAGE_SRID),
            ),
            location_generalised=Case(
                When(sensitive, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
            shown_uncertainty_m=Case(
                When(sensitive, then=Value(generalised_uncertainty_m(cell_m))),
                default=F("coordinate_uncertainty_m"),
                output_field=models.PositiveIntegerField(),
            ),
        )


def sees_exact_locations(user) -> bool:
    return user is not None and user.is_active and user.is_staff


def generalised_uncertainty_m(cell_m: float) -> int:
    """How far a generalised point may lie from the true one: half the cell's diagonal."""
    return math.ceil(cell_m * math.sqrt(2) / 2)


class Species(PublishableModel):
    scientific_name = models.CharField(_("scientific name"), max_length=200, unique=True)
    synonyms = models.TextField(
        _("synonyms"),
        blank=True,
        help_text=_(
            "Other scientific names of the species, one per line, without authors (e.g. "
            "“Grus vipio”): records imported under these names are matched to it."
        ),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    common_name = models.CharField(_("common name"), max_length=200)
    taxon_group = models.CharField(_("taxon group"), max_length=16, choices=TaxonGroup.choices)
    iucn_category = models.CharField(
        _("IUCN Red List category"),
        max_length=2,
        choices=RedListCategory.choices,
        blank=True,
    )
    iucn_trend = models.CharField(
        _("population trend (IUCN)"),
        max_length=16,
        choices=PopulationTrend.choices,
        default=PopulationTrend.UNKNOWN,
    )
    iucn_assessment_year = models.PositiveSmallIntegerField(
        _("IUCN assessment year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    iucn_source_url = models.URLField(_("IUCN source URL"), max_length=500, blank=True)
    movement = models.CharField(_("movement"), max_length=16, choices=Movement.choices)
    range_countries = models.ManyToManyField(
        "protected_areas.Country",
        blank=True,
        related_name="species",
        verbose_name=_("range countries"),
    )
    description = models.TextField(_("description"), blank=True)
    description_source_url = models.URLField(_("description source"), max_length=500, blank=True)
    photo = SanitisedImageField(_("photo"), upload_to=RandomName("species"), blank=True)
    photo_credit = models.CharField(_("photo credit"), max_length=255, blank=True)
    is_flagship = models.BooleanField(
        _("NEASPEC flagship species"),
        default=False,
        help_text=_("One of the six species of the Nature Conservation Strategy."),
    )
    is_sensitive = models.BooleanField(
        _("sensitive locations"),
        default=False,
        help_text=_(
            "Occurrence points are shown to the public only generalised to a grid cell "
            "(poaching risk, e.g. big cats' camera-trap sites)."
        ),
    )

    class Meta:
        verbose_name = _("species")
        verbose_name_plural = _("species")
        ordering = ["-is_flagship", "common_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_credit=""),
                name="species_photo_has_credit",
                violation_error_message=_("A photo needs its credit."),
            )
        ]

    def __str__(self):
        return f"{self.common_name} ({self.scientific_name})"

    def get_absolute_url(self):
        return reverse("species:detail", args=[self.slug])

    def clean(self):
        if self.photo and not self.photo_credit:
            raise ValidationError({"photo_credit": _("A photo needs its credit.")})

    @property
    def synonym_list(self) -> list[str]:
        return [line.strip() for line in self.synonyms.splitlines() if line.strip()]


class EstimateScope(models.TextChoices):
    GLOBAL = "global", _("Global")
    COUNTRY = "country", _("Country")
    SITE = "site", _("Site")


class CountUnit(models.TextChoices):
    INDIVIDUALS = "individuals", _("individuals")
    ADULTS = "adults", _("adults")
    MATURE = "mature individuals", _("mature individuals")
    BIRDS = "birds", _("birds")


class PopulationEstimate(TimeStampedModel):
    species = models.ForeignKey(
        Species,
        on_delete=models.CASCADE,
        related_name="population_estimates",
        verbose_name=_("species"),
    )
    scope = models.CharField(_("area"), max_length=16, choices=EstimateScope.choices)
    country = models.ForeignKey(
        "protected_areas.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="population_estimates",
        verbose_name=_("country"),
    )
    protected_area = models.ForeignKey(
        "protected_areas.ProtectedArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="population_estimates",
        verbose_name=_("protected area"),
    )
    site_name = models.CharField(_("site"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    count_min = models.PositiveIntegerField(_("minimum"), null=True, blank=True)
    count_max = models.PositiveIntegerField(_("maximum"), null=True, blank=True)
    unit = models.CharField(
        _("unit"),
        max_length=32,
        choices=CountUnit.choices,
        default=CountUnit.INDIVIDUALS,
    )
    method = models.CharField(_("method"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    source_citation = models.CharField(_("source"), max_length=500)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    dataset_key = dataset_key_field()

    objects = SpeciesRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("population estimate")
        verbose_name_plural = _("population estimates")
        ordering = ["species", "year", "scope"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__isnull=False) | Q(count_min__isnull=False),
                name="populationestimate_has_figure",
                violation_error_message=_("Give a count, a minimum, or a minimum and a maximum."),
            ),
            models.CheckConstraint(
                condition=Q(count_min__isnull=True)
                | Q(count_max__isnull=True)
                | Q(count_min__lte=F("count_max")),
                name="populationestimate_min_le_max",
                violation_error_message=_("The minimum cannot exceed the maximum."),
            ),
        ]

    def __str__(self):
        where = {
            EstimateScope.GLOBAL: _("global"),
            EstimateScope.COUNTRY: self.country.name if self.country_id else "",
            EstimateScope.SITE: self.site_label,
        }.get(self.scope, "")
        return f"{self.species.common_name}, {where}, {self.year}: {self.figure}"

    @property
    def site_label(self) -> str:
        return self.protected_area.name if self.protected_area_id else self.site_name

    @property
    def figure(self) -> str:
        if self.count is not None:
            return f"{self.count:,} {self.unit}"
        if self.count_max is None:
            return f"≥ {self.count_min:,} {self.unit}"
        return f"{self.count_min:,}–{self.count_max:,} {self.unit}"

    def clean(self):
        errors = {}
        if self.count is None and self.count_min is None:
            errors["count"] = _(
                "Give a count, a minimum (for “at least …”), or a minimum and a maximum."
            )
        if (
            self.count_min is not None
            and self.count_max is not None
            and self.count_min > self.count_max
        ):
            errors["count_max"] = _("The maximum must be at least the minimum.")
        if self.scope == EstimateScope.COUNTRY and not self.country_id:
            errors["country"] = _("A country estimate needs its country.")
        if self.scope == EstimateScope.SITE and not (self.protected_area_id or self.site_name):
            errors["site_name"] = _("A site estimate needs a protected area or a site name.")
        if errors:
            raise ValidationError(errors)


class Season(models.TextChoices):
    YEAR_ROUND = "year_round", _("Year-round (resident)")
    BREEDING = "breeding", _("Breeding")
    NON_BREEDING = "non_breeding", _("Non-breeding (wintering)")
    PASSAGE = "passage", _("Passage (migration)")


class SpeciesRange(TimeStampedModel):
    species = models.ForeignKey(
        Species,
        on_delete=models.CASCADE,
        related_name="ranges",
        verbose_name=_("species"),
    )
    season = models.CharField(
        _("season"), max_length=16, choices=Season.choices, default=Season.YEAR_ROUND
    )
    geometry = models.MultiPolygonField(_("range"), srid=STORAGE_SRID)
    boundary_quality = models.CharField(
        _("geometry quality"),
        max_length=16,
        choices=BoundaryQuality.choices,
        default=BoundaryQuality.APPROXIMATE,
    )
    source_citation = models.CharField(_("source"), max_length=500)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = SpeciesRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("species range")
        verbose_name_plural = _("species ranges")
        ordering = ["species", "season"]

    def __str__(self):
        return f"{self.species.common_name} – {self.get_season_display()}"

    def clean(self):
        validate_geometry(self.geometry, label="Range")


class BasisOfRecord(models.TextChoices):
    CAMERA_TRAP = "camera_trap", _("Camera trap")
    SURVEY = "survey", _("Survey")
    TELEMETRY = "telemetry", _("Telemetry")
    LITERATURE = "literature", _("Literature")
    # GBIF's MACHINE_OBSERVATION and its specimen kinds (preserved, living, material sample).
    MACHINE = "machine", _("Machine observation")
    SPECIMEN = "specimen", _("Specimen")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class Occurrence(TimeStampedModel):
    """A point record (Darwin Core: an occurrence) of a species."""

    species = models.ForeignKey(
        Species,
        on_delete=models.PROTECT,
        related_name="occurrences",
        verbose_name=_("species"),
    )
    event_date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("A literature record may give only the year or the month."),
    )
    location = models.PointField(_("location"), srid=STORAGE_SRID)
    coordinate_uncertainty_m = models.PositiveIntegerField(
        _("coordinate uncertainty (m)"), null=True, blank=True
    )
    count = models.PositiveIntegerField(_("individual count"), null=True, blank=True)
    basis_of_record = models.CharField(
        _("basis of record"), max_length=16, choices=BasisOfRecord.choices
    )
    dataset = models.CharField(_("dataset"), max_length=255)
    protected_area = models.ForeignKey(
        "protected_areas.ProtectedArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="occurrences",
        verbose_name=_("protected area"),
        help_text=_("The protected area the record lies in, if any."),
    )
    source_citation = models.CharField(_("source"), max_length=500, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    dataset_key = dataset_key_field()

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        ordering = ["-event_date"]
        indexes = [models.Index(fields=["species", "event_date"], name="occurrence_species_date")]

    def __str__(self):
        return f"{self.species.common_name}, {self.date_label}"

    @property
    def date_label(self) -> str:
        if self.date_precision == DatePrecision.YEAR:
            return str(self.event_date.year)
        if self.date_precision == DatePrecision.MONTH:
            return self.event_date.strftime("%Y-%m")
        return self.event_date.isoformat()

    def clean(self):
        validate_geometry(self.location, label="Location")


# The records imported from other databases and counts live in their own modules (each
# refers to the models above by label, so nothing imports back); imported here so that
# Django finds them as models of this app.
from .census import CountSeries, CountType, SiteCount  # noqa: E402, F401
from .gbif import GbifDownload, OccurrenceSource  # noqa: E402, F401
