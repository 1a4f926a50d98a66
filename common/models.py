from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class PublicationState(models.TextChoices):
    # draft → in review → published (→ archived). States change only through the services in
    # governance.services; `published()` stays the one gate every public path goes through.
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication_state=PublicationState.PUBLISHED)


class PublishableModel(TimeStampedModel):
    """A record readers can see once it is published."""

    publication_state = models.CharField(
        _("publication state"),
        max_length=16,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
        db_index=True,
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.publication_state == PublicationState.PUBLISHED


class BoundaryQuality(models.TextChoices):
    SURVEYED = "surveyed", _("Surveyed")
    DIGITISED = "digitised", _("Digitised from a map")
    APPROXIMATE = "approximate", _("Approximate")
