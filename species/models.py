"""Species and what is recorded of them: estimates, ranges, occurrences, and the sourced
statements that a species is present at a protected area.

Over 400 lines on purpose: these models share one publication rule (a record is public with
its species; estimates and occurrences also have a state of their own), the one
species-at-a-site rule (`SpeciesQuerySet.present_at`, which reads three of them) and the
sensitive-location rule (`for_viewer`, the equal-area grid), which read best beside the
models they govern; splitting them would scatter one rule over modules."""

import math

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import SnapToGrid, Transform
from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.geometry import (
    EQUAL_AREA_GRID_SRID,
    STORAGE_SRID,
    valid_geometry_constraint,
    validate_geometry_fields,
)
from common.models import (
    BoundaryQuality,
    PublicationState,
    PublishableModel,
    PublishableQuerySet,
    TimeStampedModel,
    dataset_key_field,
    internal_notes_field,
)
from common.spatial_index import GeometryIndex
from common.uploads import RandomName, SanitisedImageField
from common.validators import YEAR_VALIDATORS
from governance.selectors import records_in_countries_q, user_country_ids
from protected_areas.models import MAX_KM_OUTSIDE_COUNTRY

# A rule both enforced by a database constraint and checked in clean() (which attaches the
# message to its field) says the same thing both ways: its message is written once, here.
PHOTO_NEEDS_CREDIT = _("A photo needs its credit.")
ESTIMATE_NEEDS_FIGURE = _("Give a count, a minimum (for “at least …”), or a minimum and a maximum.")
ESTIMATE_MIN_ABOVE_MAX = _("The maximum must be at least the minimum.")


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
    """Ranges are public exactly when their species is."""

    def published(self):
        return self.filter(species__publication_state=PublicationState.PUBLISHED)


class PublishableSpeciesRecordQuerySet(PublishableQuerySet):
    """Estimates and occurrences go through the publication workflow themselves (a record
    added by a focal point, an import or the API starts as a draft), and are public only
    when both they and their species are published."""

    def published(self):
        return super().published().filter(species__publication_state=PublicationState.PUBLISHED)


# Conditions that apps above this one add to what makes an occurrence public (each a
# function returning a Q on Occurrence), registered from their AppConfig.ready(): monitoring
# keeps an imported camera observation's or genetic sample's occurrence out of sight while
# its dataset is not published. The species app names no app above it.
PUBLIC_OCCURRENCE_CONDITIONS: list = []


def public_occurrence_condition_register(condition) -> None:
    if condition not in PUBLIC_OCCURRENCE_CONDITIONS:
        PUBLIC_OCCURRENCE_CONDITIONS.append(condition)


class OccurrenceQuerySet(PublishableSpeciesRecordQuerySet):
    def published(self):
        """Published occurrences of published species, and whatever the registered
        conditions (`PUBLIC_OCCURRENCE_CONDITIONS`) add."""
        queryset = super().published()
        for condition in PUBLIC_OCCURRENCE_CONDITIONS:
            queryset = queryset.filter(condition())
        return queryset

    def for_viewer(self, user):
        """Occurrences annotated with what this user may see of their position:

        - `shown_location`: the exact point where `exact_location_countries(user)` allows
          it; elsewhere (and for anonymous visitors everywhere), points of species flagged
          `is_sensitive` are snapped to the nearest
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
        countries = exact_location_countries(user)
        if countries is None:
            return self.with_shown_location(exact=True)
        return self.with_shown_location(exact=False, exact_in_countries=countries)

    def with_shown_location(self, *, exact: bool, exact_in_countries: frozenset[int] = frozenset()):
        """`for_viewer` when the caller already knows what may be shown exactly: every point
        (`exact`), or the points of these countries' occurrences (a focal point's), by the
        country scope of governance.selectors."""
        if exact:
            return self.annotate(
                shown_location=F("location"),
                location_generalised=Value(False),
                shown_uncertainty_m=F("coordinate_uncertainty_m"),
            )
        cell_m = settings.SENSITIVE_GRID_M
        sensitive = Q(species__is_sensitive=True)
        if exact_in_countries:
            sensitive &= ~records_in_countries_q("species.occurrence", exact_in_countries)
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


EXACT_LOCATIONS_PERMISSION = "species.view_exact_location"


def exact_location_countries(user) -> frozenset[int] | None:
    """The countries whose occurrences of sensitive species this user may see at their exact
    points: None for every country (the Secretariat's editors, superusers), a focal point's
    own countries, and none (an empty set) for anyone without the permission
    `species.view_exact_location` — the public, reviewers, other staff. Which occurrences
    belong to a country is governance's country scope (area's country and point's country)."""
    if user is None or not user.is_active or not user.has_perm(EXACT_LOCATIONS_PERMISSION):
        return frozenset()
    country_ids = user_country_ids(user)
    return None if country_ids is None else frozenset(country_ids)


def generalised_uncertainty_m(cell_m: float) -> int:
    """How far a generalised point may lie from the true one: half the cell's diagonal."""
    return math.ceil(cell_m * math.sqrt(2) / 2)


class SpeciesQuerySet(PublishableQuerySet):
    def present_at(self, area):
        """The published species present at a protected area: the one rule the area's page,
        the species' page, the protected-area list and the map's species filter share.

        A species is present at an area when a source says so (a `SpeciesPresence`: it
        breeds, winters, stops over or lives there), when at least one of its occurrences is
        recorded in the area, or when one of its population estimates is given for the area
        (published records of a published species), except where the public may not learn
        that link (`publicly_linked_to_area`). A mapped range crossing the area, or a project
        working on the species there, is not enough: a range is drawn at the scale of a
        continent, and a project's aims are not an observation.

        `area` is an area or its pk, or `OuterRef("pk")` inside a query of areas (see
        `species.selectors.protected_areas_holding`)."""
        if isinstance(area, OuterRef):
            # The records are read one subquery deeper than these species.
            area = OuterRef(area)
        occurrences = Occurrence.objects.published().filter(publicly_linked_to_area())
        return self.published().filter(
            Exists(
                SpeciesPresence.objects.published().filter(
                    species=OuterRef("pk"), protected_area=area
                )
            )
            | Exists(occurrences.filter(species=OuterRef("pk"), protected_area=area))
            | Exists(
                PopulationEstimate.objects.published().filter(
                    species=OuterRef("pk"), protected_area=area
                )
            )
        )


def publicly_linked_to_area() -> Q:
    """The occurrences whose link to their protected area readers may learn. A sensitive
    species' record is shown generalised to a grid cell; named as lying in an area smaller
    than that cell (or of unknown size: no boundary), it would be placed more precisely than
    the cell. Such a link stays out of every public path: the species' and the area's pages,
    the map's species filter, the Darwin Core locality."""
    cell_km2 = (settings.SENSITIVE_GRID_M / 1000) ** 2
    return Q(species__is_sensitive=False) | Q(protected_area__computed_area_km2__gte=cell_km2)


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
    internal_notes = internal_notes_field()
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

    objects = SpeciesQuerySet.as_manager()

    class Meta:
        verbose_name = _("species")
        verbose_name_plural = _("species")
        ordering = ["-is_flagship", "common_name"]
        permissions = [
            (
                "view_exact_location",
                _("Can see the exact points of sensitive species (in the user's countries)"),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_credit=""),
                name="species_photo_has_credit",
                violation_error_message=PHOTO_NEEDS_CREDIT,
            )
        ]

    def __str__(self):
        return f"{self.common_name} ({self.scientific_name})"

    def get_absolute_url(self):
        return reverse("species:detail", args=[self.slug])

    def clean(self):
        if self.photo and not self.photo_credit:
            raise ValidationError({"photo_credit": PHOTO_NEEDS_CREDIT})

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


class PopulationEstimate(PublishableModel):
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
    approximate = models.BooleanField(
        _("approximate"),
        default=False,
        help_text=_("The source gives the figure as “about”, “around” or “c.”."),
    )
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

    objects = PublishableSpeciesRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("population estimate")
        verbose_name_plural = _("population estimates")
        ordering = ["species", "year", "scope"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__isnull=False) | Q(count_min__isnull=False),
                name="populationestimate_has_figure",
                violation_error_message=ESTIMATE_NEEDS_FIGURE,
            ),
            models.CheckConstraint(
                condition=Q(count_min__isnull=True)
                | Q(count_max__isnull=True)
                | Q(count_min__lte=F("count_max")),
                name="populationestimate_min_le_max",
                violation_error_message=ESTIMATE_MIN_ABOVE_MAX,
            ),
        ]

    def __str__(self):
        where = {
            EstimateScope.GLOBAL: _("global"),
            EstimateScope.COUNTRY: self.country.name if self.country_id else "",
            EstimateScope.SITE: self.public_site_label,
        }.get(self.scope, "")
        return f"{self.species.common_name}, {where}, {self.year}: {self.figure}"

    @property
    def site_label(self) -> str:
        """The site as the Secretariat knows it (the admin); readers get `public_site_label`."""
        return self.protected_area.name if self.protected_area_id else self.site_name

    @property
    def names_site(self) -> bool:
        """Whether readers may learn the site of this estimate. An estimate given for a
        protected area that is not published (a draft, in review, archived or deleted) is
        published with its species, but the area's name is not: the figure is shown as that
        of "a site in <country>". Not the country's figure, which it is not; and not the
        free-text site name, which for such an estimate usually repeats the area's name."""
        return not self.protected_area_id or self.protected_area.is_published

    @property
    def public_site_label(self) -> str:
        if self.names_site:
            return self.site_label
        return _("A site in %(country)s") % {"country": self.protected_area.country.name}

    @property
    def figure(self) -> str:
        if self.count is not None:
            number = f"{self.count:,}"
        elif self.count_max is None:
            number = f"≥ {self.count_min:,}"
        else:
            number = f"{self.count_min:,}–{self.count_max:,}"
        if self.approximate:
            number = _("about %(figure)s") % {"figure": number}
        return f"{number} {self.unit}"

    def clean(self):
        errors = {}
        if self.count is None and self.count_min is None:
            errors["count"] = ESTIMATE_NEEDS_FIGURE
        if (
            self.count_min is not None
            and self.count_max is not None
            and self.count_min > self.count_max
        ):
            errors["count_max"] = ESTIMATE_MIN_ABOVE_MAX
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
    geometry = models.MultiPolygonField(_("range"), srid=STORAGE_SRID, spatial_index=False)
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
        indexes = [GeometryIndex(fields=["geometry"], name="speciesrange_geometry_gist")]
        constraints = [valid_geometry_constraint("geometry", name="speciesrange_geometry_valid")]

    def __str__(self):
        return f"{self.species.common_name} – {self.get_season_display()}"

    def clean(self):
        validate_geometry_fields(self, "geometry")


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


class Occurrence(PublishableModel):
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
    location = models.PointField(_("location"), srid=STORAGE_SRID, spatial_index=False)
    coordinate_uncertainty_m = models.PositiveIntegerField(
        _("coordinate uncertainty (m)"), null=True, blank=True
    )
    count = models.PositiveIntegerField(_("individual count"), null=True, blank=True)
    count_approximate = models.BooleanField(
        _("count approximate"),
        default=False,
        help_text=_("The source gives the count as “about”, “around” or “c.”."),
    )
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
    internal_notes = internal_notes_field()
    dataset_key = dataset_key_field()

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        ordering = ["-event_date"]
        indexes = [
            models.Index(fields=["species", "event_date"], name="occurrence_species_date"),
            GeometryIndex(fields=["location"], name="occurrence_location_gist"),
        ]
        constraints = [valid_geometry_constraint("location", name="occurrence_location_valid")]

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
        validate_geometry_fields(self, "location")
        self._check_location_in_area_country()

    def _check_location_in_area_country(self) -> None:
        """A record linked to a protected area lies in that area's country (with the margin
        a coastal area's location has, `MAX_KM_OUTSIDE_COUNTRY`): otherwise the link would
        file a point of one country under another, whose focal point could then edit it
        while the first country's could not (issue 15, case 4)."""
        if self.location is None or not self.protected_area_id:
            return
        country = self.protected_area.country
        km = country.km_outside(self.location)
        if km is not None and km > MAX_KM_OUTSIDE_COUNTRY:
            raise ValidationError(
                {
                    "location": _(
                        "The point lies %(km).0f km outside %(country)s, the country of "
                        "%(area)s. A record's point must lie in the country of its protected "
                        "area: check the coordinates (longitude first) or the protected area."
                    )
                    % {"km": km, "country": country.name, "area": self.protected_area.name}
                }
            )


class PresenceRole(models.TextChoices):
    BREEDING = "breeding", _("Breeding")
    WINTERING = "wintering", _("Wintering")
    STOP_OVER = "stop-over", _("Stop-over")
    RESIDENT = "resident", _("Resident")


class SpeciesPresenceQuerySet(models.QuerySet):
    def published(self):
        """Public when both the species and the protected area are."""
        return self.filter(
            species__publication_state=PublicationState.PUBLISHED,
            protected_area__publication_state=PublicationState.PUBLISHED,
        )


class SpeciesPresence(TimeStampedModel):
    """A source's statement that a species is present at a protected area, and in what role
    (it breeds, winters, stops over, or lives there)."""

    species = models.ForeignKey(
        Species,
        on_delete=models.CASCADE,
        related_name="presences",
        verbose_name=_("species"),
    )
    protected_area = models.ForeignKey(
        "protected_areas.ProtectedArea",
        on_delete=models.CASCADE,
        related_name="species_presences",
        verbose_name=_("protected area"),
    )
    role = models.CharField(_("role"), max_length=16, choices=PresenceRole.choices)
    period = models.CharField(
        _("period"),
        max_length=100,
        blank=True,
        help_text=_("The years the statement covers, as the source gives them (“since 2000”)."),
    )
    source_citation = models.CharField(_("source"), max_length=500)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    source_year = models.PositiveSmallIntegerField(
        _("source year"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("The year of the source or of its statement; empty when it is undated."),
    )
    notes = models.TextField(_("notes"), blank=True)
    dataset_key = dataset_key_field()

    objects = SpeciesPresenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("species presence")
        verbose_name_plural = _("species presences")
        ordering = ["species", "protected_area", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["species", "protected_area", "role"],
                name="speciespresence_one_per_role",
                violation_error_message=_(
                    "This species already has this role at this protected area."
                ),
            )
        ]

    def __str__(self):
        return (
            f"{self.species.common_name} – {self.protected_area.name} ({self.get_role_display()})"
        )


# The records imported from other databases and counts live in their own modules (each
# refers to the models above by label, so nothing imports back); imported here so that
# Django finds them as models of this app.
from .census import CountSeries, CountType, SiteCount  # noqa: E402, F401
from .gbif import GbifDownload, OccurrenceSource  # noqa: E402, F401
