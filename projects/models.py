from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.geometry import STORAGE_SRID, valid_geometry_constraint, validate_geometry_fields
from common.models import PublishableModel, internal_notes_field, validate_file_or_url
from common.spatial_index import GeometryIndex
from common.uploads import DocumentField, RandomName, SanitisedImageField
from common.validators import YEAR_VALIDATORS

# A rule both enforced by a database constraint and checked in clean() (which attaches the
# message to its field) says the same thing both ways: its message is written once, here.
END_YEAR_BEFORE_START = _("The end year must be the same as or after the start year.")
BUDGET_NEEDS_CURRENCY = _("Give the currency of the budget (e.g. USD).")


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class Project(PublishableModel):
    title = models.CharField(_("title"), max_length=500)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    start_year = models.PositiveSmallIntegerField(
        _("start year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    end_year = models.PositiveSmallIntegerField(
        _("end year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    status = models.CharField(_("status"), max_length=16, choices=ProjectStatus.choices)
    summary = models.TextField(_("summary"))
    body = models.TextField(_("body"), blank=True)
    species = models.ManyToManyField(
        "species.Species",
        blank=True,
        related_name="projects",
        verbose_name=_("species"),
    )
    countries = models.ManyToManyField(
        "protected_areas.Country",
        blank=True,
        related_name="projects",
        verbose_name=_("countries"),
    )
    protected_areas = models.ManyToManyField(
        "protected_areas.ProtectedArea",
        blank=True,
        related_name="projects",
        verbose_name=_("protected areas"),
    )
    partners = models.TextField(
        _("partner organisations"),
        blank=True,
        help_text=_("One organisation per line."),
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code, e.g. USD.")
    )
    approved_at = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_projects",
        verbose_name=_("approved at"),
    )
    sites = models.GeometryCollectionField(
        _("project sites"),
        srid=STORAGE_SRID,
        null=True,
        blank=True,
        help_text=_("Points or areas where the project works."),
        spatial_index=False,
    )
    hero_image = SanitisedImageField(_("hero image"), upload_to=RandomName("projects"), blank=True)
    hero_image_credit = models.CharField(_("hero image credit"), max_length=255, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    internal_notes = internal_notes_field()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start_year", "title"]
        indexes = [GeometryIndex(fields=["sites"], name="project_sites_gist")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=F("start_year")),
                name="project_end_year_after_start",
                violation_error_message=END_YEAR_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | ~Q(budget_currency=""),
                name="project_budget_has_currency",
                violation_error_message=BUDGET_NEEDS_CURRENCY,
            ),
            valid_geometry_constraint("sites", name="project_sites_valid"),
        ]

    def __str__(self):
        return f"{self.acronym}: {self.title}" if self.acronym else self.title

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.slug])

    @property
    def period(self) -> str:
        if self.start_year and self.end_year:
            return f"{self.start_year}–{self.end_year}"
        return str(self.start_year or self.end_year or "")

    @property
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]

    def clean(self):
        errors = {}
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = END_YEAR_BEFORE_START
        if self.budget is not None and not self.budget_currency:
            errors["budget_currency"] = BUDGET_NEEDS_CURRENCY
        if self.budget_currency and not (
            len(self.budget_currency) == 3
            and self.budget_currency.isalpha()
            and self.budget_currency.isupper()
        ):
            errors["budget_currency"] = _("Use a three-letter ISO 4217 code such as USD.")
        if errors:
            raise ValidationError(errors)
        validate_geometry_fields(self, sites=_("drawing of the project sites"))


class OutputKind(models.TextChoices):
    REPORT = "report", _("Report")
    PUBLICATION = "publication", _("Publication")
    DATASET = "dataset", _("Dataset")
    WORKSHOP = "workshop", _("Workshop")


class Output(PublishableModel):
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="outputs",
        verbose_name=_("project"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=OutputKind.choices)
    title = models.CharField(_("title"), max_length=500)
    file = DocumentField(_("file"), upload_to=RandomName("outputs"), blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    language = models.CharField(_("language"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        ordering = ["project", "-year", "title"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def clean(self):
        validate_file_or_url(self.file, self.url)
        self.derive_year()
        if self.date and self.year != self.date.year:
            raise ValidationError({"year": _("The year must be the year of the date.")})

    def save(self, *args, **kwargs):
        # Not a rule, only where `derive_year` is applied: not every write path calls clean().
        self.derive_year()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "date" in update_fields:
            kwargs["update_fields"] = {*update_fields, "year"}
        super().save(*args, **kwargs)

    def derive_year(self) -> None:
        """A dated output without a year is listed under the year of its date."""
        if self.date and not self.year:
            self.year = self.date.year
