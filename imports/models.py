"""An import is kept as a record: who ran it, when, the file (stored privately), its
checksum, format and options, the report of its dry run and of its application, and every
record it created or changed."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from common.uploads import RandomName


class PrivateImportStorage(FileSystemStorage):
    """Uploaded import files live under IMPORTS_ROOT, outside MEDIA_ROOT and with no URL:
    some sources (the WDPA) may not be redistributed, so the portal never serves them."""

    @cached_property
    def base_location(self):
        return str(settings.IMPORTS_ROOT)

    def url(self, name):
        raise ValueError("Import files are private: the portal has no URL for them.")


private_import_storage = PrivateImportStorage()


def import_storage():
    return private_import_storage


class ImportFormat(models.TextChoices):
    WDPA = "wdpa", _("WDPA protected areas (Protected Planet download)")
    OSM = "osm", _("OpenStreetMap protected areas (.osm.pbf or Overpass GeoJSON)")
    GBIF = "gbif", _("GBIF occurrence download (Darwin Core Archive)")
    CENSUS = "census", _("Census counts (CSV)")
    BOUNDARY = "boundary", _("Boundary of one protected area")
    CAMTRAP_DP = "camtrap_dp", _("Camera-trap data package (Camtrap DP 1.0, zip)")
    GENETIC = "genetic", _("Genetic samples (CSV)")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for its dry run")
    CHECKING = "checking", _("Dry run in progress")
    CHECKED = "checked", _("Dry run done: ready to apply")
    REFUSED = "refused", _("Refused: nothing can be applied")
    APPLYING = "applying", _("Applying")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Failed")


# States in which a task is (or should be) working on the import.
RUNNING_STATES = (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.APPLYING)


class ImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The Secretariat sees every import; anyone else only the imports they started."""
        if user.is_superuser or user.has_perm("governance.edit_all_countries"):
            return self
        return self.filter(created_by=user)


class Import(models.Model):
    format = models.CharField(_("format"), max_length=16, choices=ImportFormat.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    file = models.FileField(
        _("file"), storage=import_storage, upload_to=RandomName("imports"), max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    options = models.JSONField(_("options"), default=dict, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveIntegerField(_("rows"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imports_started",
        verbose_name=_("uploaded by"),
    )
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)
    checked_at = models.DateTimeField(_("dry run at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imports_applied",
        verbose_name=_("applied by"),
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    objects = ImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.get_format_display()}: {self.original_name}"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATES

    @property
    def can_apply(self) -> bool:
        return self.status == ImportStatus.CHECKED

    @property
    def history_reason(self) -> str:
        return f"Imported from {self.original_name}"


class RecordAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")


class ImportedRecord(models.Model):
    """A record an applied import created or changed (any model: a generic relation)."""

    import_run = models.ForeignKey(
        Import, on_delete=models.CASCADE, related_name="records", verbose_name=_("import")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=8, choices=RecordAction.choices)
    row = models.PositiveIntegerField(_("row"))

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        ordering = ["import_run", "row", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="importedrecord_record"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.content_type.name} {self.object_id}"
