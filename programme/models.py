"""NEASPEC's programme as records: the strategy documents (the Nature Conservation Strategy,
the Strategic Plans) with their goals and activities, the meeting that adopted each, the
projects that implement each activity, and facts about the programme as a whole.

The top of the domain layer: it refers to meetings, projects and species, and none of them
refers to it (a project page asks `programme.selectors` for the activities it serves)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import PublishableModel, PublishableQuerySet, TimeStampedModel
from common.validators import YEAR_VALIDATORS


class DocumentKind(models.TextChoices):
    STRATEGY = "strategy", _("Strategy")
    STRATEGIC_PLAN = "strategic_plan", _("Strategic plan")


class StrategyDocument(PublishableModel):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("from"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(
        _("to"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    adopted_at = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="strategy_documents",
        verbose_name=_("adopted at"),
    )
    adoption_note = models.TextField(_("adoption"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    programme_area = models.CharField(
        _("programme area"),
        max_length=200,
        blank=True,
        help_text=_("The part of the document shown here, when it covers several areas."),
    )
    objective = models.TextField(_("objective"), blank=True)
    target_species = models.ManyToManyField(
        "species.Species",
        blank=True,
        related_name="strategy_documents",
        verbose_name=_("target species"),
    )
    document_title = models.CharField(_("document title"), max_length=500, blank=True)
    document_url = models.URLField(_("document URL"), max_length=500, blank=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategy document")
        verbose_name_plural = _("strategy documents")
        ordering = ["start_year", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="strategydocument_years_in_order",
                violation_error_message=_("The end year cannot be before the start year."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programme:detail", args=[self.slug])

    @property
    def period(self) -> str:
        if self.end_year is None:
            return _("from %(year)s") % {"year": self.start_year}
        return f"{self.start_year}–{self.end_year}"


class DocumentSource(models.Model):
    document = models.ForeignKey(StrategyDocument, on_delete=models.CASCADE, related_name="sources")
    citation = models.CharField(_("source"), max_length=500)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["document", "pk"]

    def __str__(self):
        return self.citation


class Goal(models.Model):
    document = models.ForeignKey(StrategyDocument, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="goal_number_unique")
        ]

    def __str__(self):
        return f"{self.document} – {_('goal')} {self.number}"


class Activity(models.Model):
    document = models.ForeignKey(
        StrategyDocument, on_delete=models.CASCADE, related_name="activities"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    projects = models.ManyToManyField(
        "projects.Project",
        through="ActivityProject",
        blank=True,
        related_name="activities",
        verbose_name=_("projects"),
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="activity_number_unique")
        ]

    def __str__(self):
        return f"{self.document} – {_('activity')} {self.number}"


class LinkBasis(models.TextChoices):
    SOURCE = "source", _("Stated by the Secretariat")
    CURATOR = "curator", _("The portal team’s reading")


class ActivityProject(TimeStampedModel):
    """A project implementing an activity: stated by a source, or the portal team's reading
    of the two texts (`reason` says why), which pages label as such."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="links")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="activity_links"
    )
    basis = models.CharField(_("basis"), max_length=16, choices=LinkBasis.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("project implementing an activity")
        verbose_name_plural = _("projects implementing activities")
        ordering = ["activity", "project"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "project"], name="activityproject_once_per_activity"
            )
        ]

    def __str__(self):
        return f"{self.project} → {self.activity}"


class ProgrammeFact(TimeStampedModel):
    """A fact about NEASPEC as a whole ("100+ protected areas along international borders"),
    shown with its source beside what the portal records."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    text = models.TextField(_("text"))
    value = models.PositiveIntegerField(_("value"), null=True, blank=True)
    value_min = models.PositiveIntegerField(
        _("at least"), null=True, blank=True, help_text=_("For “100+”: 100.")
    )
    approximate = models.BooleanField(_("approximate"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    source_citation = models.CharField(_("source"), max_length=500)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    source_year = models.PositiveSmallIntegerField(
        _("source year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )

    class Meta:
        verbose_name = _("programme fact")
        verbose_name_plural = _("programme facts")
        ordering = ["pk"]

    def __str__(self):
        return self.text
