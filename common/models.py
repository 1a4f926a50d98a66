from django.conf import settings
from django.core.exceptions import ValidationError
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
    # A published record someone deleted: kept so that the Secretariat can restore it.
    # Being a state rather than only a flag, it leaves every public path that asks for
    # "published" (`published()`, and lookups such as `species__publication_state`) at once.
    DELETED = "deleted", _("Deleted")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication_state=PublicationState.PUBLISHED)

    def deleted(self):
        """Published records that were deleted and may be restored."""
        return self.filter(publication_state=PublicationState.DELETED)

    def not_deleted(self):
        return self.exclude(publication_state=PublicationState.DELETED)


class PublishableModel(TimeStampedModel):
    """A record readers can see once it is published."""

    publication_state = models.CharField(
        _("publication state"),
        max_length=16,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
        db_index=True,
    )
    # Set with the DELETED state by governance.services.record_delete, cleared on restore.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("deleted by"),
    )

    # Every row, deleted ones included, so that relations and the admin reach them; public
    # paths go through `published()`.
    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.publication_state == PublicationState.PUBLISHED

    @property
    def is_deleted(self) -> bool:
        return self.publication_state == PublicationState.DELETED


class BoundaryQuality(models.TextChoices):
    SURVEYED = "surveyed", _("Surveyed")
    DIGITISED = "digitised", _("Digitised from a map")
    APPROXIMATE = "approximate", _("Approximate")
    # Imported from another database, whose licence asks to be credited wherever the shape
    # is shown (the record's boundary source names the release and the record).
    WDPA = "wdpa", _("From the WDPA (Protected Planet)")
    OSM = "osm", _("From OpenStreetMap")


def dataset_key_field() -> models.CharField:
    """The record's identifier in the shipped NEASPEC dataset, on records without a natural
    key of their own (estimates, occurrences): `load_neaspec` matches on it when run again."""
    return models.CharField(
        _("dataset key"),
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Identifier in the shipped NEASPEC dataset; the loader matches on it."),
    )


def internal_notes_field() -> models.TextField:
    """Curators' working notes on a record (source disagreements, inferences, what was
    checked): shown in the admin only, never on a public page, in an export or an API."""
    return models.TextField(
        _("internal notes"),
        blank=True,
        help_text=_(
            "Working notes for the Secretariat's curators. Shown only here in the admin; "
            "the public text must read as written for a reader."
        ),
    )


def validate_file_or_url(file, url) -> None:
    """A document is either uploaded or linked: one of the two is required."""
    if not file and not url:
        raise ValidationError(_("Attach a file or give its URL."))


class DataVersion(models.Model):
    """The one row whose `version` changes on every write to public data (common/dataversion.py
    installs the database triggers that change it); caches of public pages and map layers
    are keyed by it, so an edit is seen on the next request."""

    version = models.BigIntegerField(_("version"))

    class Meta:
        verbose_name = _("data version")

    def __str__(self):
        return str(self.version)
