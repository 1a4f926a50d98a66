from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import (
    PublicationState,
    PublishableModel,
    TimeStampedModel,
    internal_notes_field,
    validate_file_or_url,
)
from common.uploads import DocumentField, RandomName
from common.validators import YEAR_VALIDATORS

# A rule both enforced by a database constraint and checked in clean() (which attaches the
# message to its field) says the same thing both ways: its message is written once, here.
END_DATE_BEFORE_START = _("The end date cannot be before the start date.")


class MeetingKind(models.TextChoices):
    SOM = "som", _("Senior Officials Meeting")
    WORKSHOP = "workshop", _("Workshop")
    EXPERT_CONSULTATION = "expert_consultation", _("Expert consultation")


class Meeting(PublishableModel):
    kind = models.CharField(_("kind"), max_length=24, choices=MeetingKind.choices)
    number = models.CharField(_("number"), max_length=32, blank=True, help_text=_("E.g. “SOM-12”."))
    title = models.CharField(_("title"), max_length=500)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    host_country = models.ForeignKey(
        "protected_areas.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_hosted",
        verbose_name=_("host country"),
    )
    summary = models.TextField(_("summary"), blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    internal_notes = internal_notes_field()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-year", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="meeting_end_after_start",
                violation_error_message=END_DATE_BEFORE_START,
            )
        ]

    def __str__(self):
        label = self.number or self.get_kind_display()
        place = f", {self.city}" if self.city else ""
        return f"{label}{place} ({self.year})"

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.slug])

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = END_DATE_BEFORE_START
        if self.start_date and self.year and self.start_date.year != self.year:
            errors["year"] = _("The year must be the year of the start date.")
        if errors:
            raise ValidationError(errors)


class MeetingDocument(TimeStampedModel):
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("meeting"),
    )
    title = models.CharField(_("title"), max_length=500)
    file = DocumentField(_("file"), upload_to=RandomName("meetings"), blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["meeting", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        validate_file_or_url(self.file, self.url)


class FollowUpStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class DecisionQuerySet(models.QuerySet):
    """A decision is public exactly when its meeting is (the meeting's page lists them)."""

    def published(self):
        return self.filter(meeting__publication_state=PublicationState.PUBLISHED)


class Decision(TimeStampedModel):
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("meeting"),
    )
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    text = models.TextField(_("text"))
    related_projects = models.ManyToManyField(
        "projects.Project",
        blank=True,
        related_name="decisions",
        verbose_name=_("related projects"),
    )
    follow_up_status = models.CharField(
        _("follow-up status"),
        max_length=16,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.PENDING,
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "reference", "pk"]

    def __str__(self):
        head = self.reference or self.text[:60]
        return f"{self.meeting.number or self.meeting.title}: {head}"
