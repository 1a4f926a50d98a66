"""Where occurrences imported from GBIF come from: the download (its DOI and citation, to be
cited wherever its records are shown) and, per occurrence, what the publisher gave with it —
gbifID and occurrenceID, the dataset, the licence, GBIF's basis of record and any
generalisation applied before publishing.

Models of the species app (species/models.py imports this module); they refer to the other
models of the app by label, so nothing here imports models.py back."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel


class GbifDownload(TimeStampedModel):
    """One GBIF occurrence download (a Darwin Core Archive) whose records were imported.
    GBIF asks that the download's DOI is cited with any use of its records."""

    doi = models.CharField(
        _("DOI"),
        max_length=100,
        unique=True,
        help_text=_("The download's DOI, e.g. 10.15468/dl.abcd12."),
    )
    citation = models.TextField(_("citation"))
    download_key = models.CharField(_("download key"), max_length=64, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    downloaded_on = models.DateField(_("downloaded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("GBIF download")
        verbose_name_plural = _("GBIF downloads")
        ordering = ["-downloaded_on", "-pk"]

    def __str__(self):
        return f"GBIF.org occurrence download {self.doi}"

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}"


class OccurrenceSource(models.Model):
    """The GBIF identity of an imported occurrence: a new import of the same record (by
    gbifID, or the publisher's occurrenceID within its dataset) updates it."""

    occurrence = models.OneToOneField(
        "species.Occurrence",
        on_delete=models.CASCADE,
        related_name="gbif_source",
        verbose_name=_("occurrence"),
    )
    download = models.ForeignKey(
        GbifDownload,
        on_delete=models.PROTECT,
        related_name="occurrence_sources",
        verbose_name=_("GBIF download"),
    )
    gbif_id = models.PositiveBigIntegerField(_("gbifID"), unique=True)
    dwc_occurrence_id = models.CharField(_("occurrenceID"), max_length=255, blank=True)
    dataset_key = models.UUIDField(_("GBIF dataset key"), null=True, blank=True)
    licence = models.CharField(_("licence"), max_length=200)
    basis_of_record = models.CharField(
        _("basis of record (GBIF)"), max_length=32, blank=True, help_text=_("As GBIF gives it.")
    )
    data_generalizations = models.TextField(
        _("generalisations by the publisher"),
        blank=True,
        help_text=_("Darwin Core dataGeneralizations: how the publisher coarsened the record."),
    )

    class Meta:
        verbose_name = _("occurrence source")
        verbose_name_plural = _("occurrence sources")
        indexes = [
            models.Index(
                fields=["dataset_key", "dwc_occurrence_id"], name="occurrencesource_pub_id"
            ),
        ]

    def __str__(self):
        return f"gbifID {self.gbif_id}"

    @property
    def gbif_url(self) -> str:
        return f"https://www.gbif.org/occurrence/{self.gbif_id}"
