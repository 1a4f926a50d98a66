"""The science of the transborder big-cat and snow-leopard projects, as records: camera
stations (Camtrap DP deployments) and their media and observations, genetic samples, the
individual animals a dataset tells apart, and the matches that say two datasets' individuals
are one animal.

A camera observation or a genetic sample of a portal species is also an `Occurrence` (basis
"camera trap" or "specimen"): the public sees these animals only through occurrences, under
the sensitive-species rule (generalised points), never through a station's or a sample's own
point, which are exact and shown to staff only.

Over 400 lines on purpose: the detection models, the individuals they identify and the
cross-border match rule (two staff, a rejected pair cannot return) read best together."""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.geometry import STORAGE_SRID, valid_geometry_constraint, validate_geometry_fields
from common.models import PublishableModel, TimeStampedModel
from common.spatial_index import GeometryIndex


class DatasetKind(models.TextChoices):
    CAMERA_TRAP = "camera_trap", _("Camera-trap data package (Camtrap DP)")
    GENETIC = "genetic", _("Genetic samples")


class MonitoringDataset(PublishableModel):
    """A camera-trap data package or a set of genetic samples, as its publisher names it.
    Its individuals' codes are its own: two datasets may use the same code for two animals,
    and two codes for one (which a confirmed `IdentityMatch` records)."""

    kind = models.CharField(_("kind"), max_length=16, choices=DatasetKind.choices)
    identifier = models.CharField(
        _("identifier"),
        max_length=255,
        unique=True,
        help_text=_("The data package's `id` (a DOI, URL or UUID), or a code of the dataset."),
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    # Camtrap DP `contributors`: [{"title": …, "role": …, "organization": …}, …]
    contributors = models.JSONField(_("contributors"), default=list, blank=True)
    citation = models.CharField(_("how to cite"), max_length=1000, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="monitoring_datasets",
        verbose_name=_("project"),
    )
    temporal_start = models.DateField(_("first record"), null=True, blank=True)
    temporal_end = models.DateField(_("last record"), null=True, blank=True)

    class Meta:
        verbose_name = _("monitoring dataset")
        verbose_name_plural = _("monitoring datasets")
        ordering = ["title"]

    def __str__(self):
        return self.title


class CameraStation(TimeStampedModel):
    """A camera deployment: one camera at one place for one period (Camtrap DP
    `deployments.csv`). Its point is exact and sensitive: staff only."""

    dataset = models.ForeignKey(
        MonitoringDataset,
        on_delete=models.CASCADE,
        related_name="stations",
        verbose_name=_("dataset"),
    )
    deployment_id = models.CharField(_("deployment ID"), max_length=255)
    location_id = models.CharField(_("location ID"), max_length=255, blank=True)
    location_name = models.CharField(_("location name"), max_length=255, blank=True)
    location = models.PointField(_("location"), srid=STORAGE_SRID, spatial_index=False)
    coordinate_uncertainty_m = models.PositiveIntegerField(
        _("coordinate uncertainty (m)"), null=True, blank=True
    )
    start = models.DateTimeField(_("deployment start"))
    end = models.DateTimeField(_("deployment end"))
    camera_id = models.CharField(_("camera ID"), max_length=255, blank=True)
    camera_model = models.CharField(_("camera model"), max_length=255, blank=True)
    camera_height_m = models.FloatField(_("camera height (m)"), null=True, blank=True)
    feature_type = models.CharField(_("feature type"), max_length=32, blank=True)
    habitat = models.CharField(_("habitat"), max_length=255, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    # Found from the point when the station is imported or saved.
    country = models.ForeignKey(
        "protected_areas.Country",
        on_delete=models.PROTECT,
        related_name="camera_stations",
        verbose_name=_("country"),
    )
    protected_area = models.ForeignKey(
        "protected_areas.ProtectedArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="camera_stations",
        verbose_name=_("protected area"),
    )

    class Meta:
        verbose_name = _("camera station")
        verbose_name_plural = _("camera stations")
        ordering = ["dataset", "deployment_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "deployment_id"], name="camerastation_unique_deployment"
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="camerastation_end_after_start",
                violation_error_message=_("A deployment cannot end before it starts."),
            ),
            valid_geometry_constraint("location", name="camerastation_location_valid"),
        ]
        indexes = [GeometryIndex(fields=["location"], name="camerastation_location_gist")]

    def __str__(self):
        return f"{self.deployment_id} ({self.dataset})"

    def clean(self):
        validate_geometry_fields(self, "location")


class Media(models.Model):
    """A photo or video of a deployment (Camtrap DP `media.csv`): metadata and a link only,
    the file itself is never downloaded."""

    dataset = models.ForeignKey(
        MonitoringDataset, on_delete=models.CASCADE, related_name="media", verbose_name=_("dataset")
    )
    station = models.ForeignKey(
        CameraStation, on_delete=models.CASCADE, related_name="media", verbose_name=_("station")
    )
    media_id = models.CharField(_("media ID"), max_length=255)
    timestamp = models.DateTimeField(_("timestamp"))
    file_path = models.CharField(_("file path or URL"), max_length=1000)
    file_public = models.BooleanField(_("file public"), default=False)
    file_mediatype = models.CharField(_("media type"), max_length=100)
    capture_method = models.CharField(_("capture method"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("camera-trap media")
        verbose_name_plural = _("camera-trap media")
        ordering = ["station", "timestamp"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "media_id"], name="media_unique_id"),
        ]

    def __str__(self):
        return self.media_id


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "", _("Unknown")


class IndividualQuerySet(models.QuerySet):
    def of_species(self, species):
        return self.filter(species=species)


class Individual(TimeStampedModel):
    """An animal as one dataset tells it apart (Camtrap DP `individualID`, a genotype).
    Where detected, when first and last, and how often follow from its detections
    (monitoring.selectors)."""

    dataset = models.ForeignKey(
        MonitoringDataset,
        on_delete=models.CASCADE,
        related_name="individuals",
        verbose_name=_("dataset"),
    )
    species = models.ForeignKey(
        "species.Species",
        on_delete=models.PROTECT,
        related_name="individuals",
        verbose_name=_("species"),
    )
    code = models.CharField(
        _("code in the dataset"),
        max_length=255,
        help_text=_("The dataset's own identifier for the animal (individualID, genotype ID)."),
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Set when a confirmed IdentityMatch ties it to an individual of another dataset.
    identity = models.ForeignKey(
        "CrossBorderIdentity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="individuals",
        verbose_name=_("cross-border identity"),
    )

    objects = IndividualQuerySet.as_manager()

    class Meta:
        verbose_name = _("individual animal")
        verbose_name_plural = _("individual animals")
        ordering = ["species", "dataset", "code"]
        constraints = [
            # One code names one animal of one species in a dataset: a code reused for two
            # species is refused by the importer before it reaches here.
            models.UniqueConstraint(fields=["dataset", "code"], name="individual_unique_code"),
        ]

    def __str__(self):
        return f"{self.code} ({self.dataset})"


class CameraObservation(models.Model):
    """An observation of a portal species on a camera (Camtrap DP `observations.csv`,
    observationType "animal"); its public face is `occurrence`."""

    dataset = models.ForeignKey(
        MonitoringDataset,
        on_delete=models.CASCADE,
        related_name="camera_observations",
        verbose_name=_("dataset"),
    )
    station = models.ForeignKey(
        CameraStation,
        on_delete=models.CASCADE,
        related_name="observations",
        verbose_name=_("station"),
    )
    observation_id = models.CharField(_("observation ID"), max_length=255)
    media = models.ForeignKey(
        Media,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("media"),
    )
    event_id = models.CharField(_("event ID"), max_length=255, blank=True)
    event_start = models.DateTimeField(_("event start"))
    event_end = models.DateTimeField(_("event end"))
    species = models.ForeignKey(
        "species.Species",
        on_delete=models.PROTECT,
        related_name="camera_observations",
        verbose_name=_("species"),
    )
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    life_stage = models.CharField(_("life stage"), max_length=16, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    behaviour = models.CharField(_("behaviour"), max_length=255, blank=True)
    individual = models.ForeignKey(
        Individual,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="camera_observations",
        verbose_name=_("individual"),
    )
    classification_method = models.CharField(_("classification method"), max_length=16, blank=True)
    classified_by = models.CharField(_("classified by"), max_length=255, blank=True)
    occurrence = models.OneToOneField(
        "species.Occurrence",
        on_delete=models.CASCADE,
        related_name="camera_observation",
        verbose_name=_("occurrence"),
    )

    class Meta:
        verbose_name = _("camera observation")
        verbose_name_plural = _("camera observations")
        ordering = ["station", "event_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "observation_id"], name="cameraobservation_unique_id"
            ),
            models.CheckConstraint(
                condition=Q(event_end__gte=models.F("event_start")),
                name="cameraobservation_end_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["individual", "event_start"], name="cameraobs_individual")]

    def __str__(self):
        return self.observation_id


class SampleType(models.TextChoices):
    SCAT = "scat", _("Scat")
    HAIR = "hair", _("Hair")
    OTHER = "other", _("Other")


class GeneticSample(TimeStampedModel):
    """A sample genotyped by a laboratory; samples of one genotype are detections of one
    individual. Its point is exact and sensitive: staff only; its public face is
    `occurrence`."""

    dataset = models.ForeignKey(
        MonitoringDataset,
        on_delete=models.CASCADE,
        related_name="genetic_samples",
        verbose_name=_("dataset"),
    )
    sample_id = models.CharField(_("sample ID"), max_length=255)
    collected_on = models.DateField(_("date collected"))
    location = models.PointField(_("location"), srid=STORAGE_SRID, spatial_index=False)
    coordinate_uncertainty_m = models.PositiveIntegerField(
        _("coordinate uncertainty (m)"), null=True, blank=True
    )
    species = models.ForeignKey(
        "species.Species",
        on_delete=models.PROTECT,
        related_name="genetic_samples",
        verbose_name=_("species"),
    )
    sample_type = models.CharField(_("sample type"), max_length=8, choices=SampleType.choices)
    genotype_id = models.CharField(
        _("genotype or individual ID"),
        max_length=255,
        blank=True,
        help_text=_("Samples sharing it are detections of one individual."),
    )
    laboratory = models.CharField(_("laboratory"), max_length=255, blank=True)
    individual = models.ForeignKey(
        Individual,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="genetic_samples",
        verbose_name=_("individual"),
    )
    country = models.ForeignKey(
        "protected_areas.Country",
        on_delete=models.PROTECT,
        related_name="genetic_samples",
        verbose_name=_("country"),
    )
    protected_area = models.ForeignKey(
        "protected_areas.ProtectedArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="genetic_samples",
        verbose_name=_("protected area"),
    )
    occurrence = models.OneToOneField(
        "species.Occurrence",
        on_delete=models.CASCADE,
        related_name="genetic_sample",
        verbose_name=_("occurrence"),
    )

    class Meta:
        verbose_name = _("genetic sample")
        verbose_name_plural = _("genetic samples")
        ordering = ["dataset", "collected_on", "sample_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "sample_id"], name="geneticsample_unique_id"
            ),
            valid_geometry_constraint("location", name="geneticsample_location_valid"),
        ]
        indexes = [
            GeometryIndex(fields=["location"], name="geneticsample_location_gist"),
            models.Index(fields=["individual", "collected_on"], name="geneticsample_individual"),
        ]

    def __str__(self):
        return self.sample_id

    def clean(self):
        validate_geometry_fields(self, "location")


class CrossBorderIdentity(TimeStampedModel):
    """One animal known under several datasets' codes, formed by confirmed matches."""

    species = models.ForeignKey(
        "species.Species",
        on_delete=models.PROTECT,
        related_name="cross_border_identities",
        verbose_name=_("species"),
    )
    label = models.CharField(_("label"), max_length=255)

    class Meta:
        verbose_name = _("cross-border identity")
        verbose_name_plural = _("cross-border identities")
        ordering = ["species", "label"]

    def __str__(self):
        return self.label


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class EvidenceKind(models.TextChoices):
    PHOTO_PAIR = "photo_pair", _("Photo pair (coat pattern)")
    GENOTYPE = "genotype", _("Genotype match")
    NOTE = "note", _("Other evidence (see note)")


class IdentityMatch(TimeStampedModel):
    """A proposal that two individuals of different datasets are one animal, and its
    decision by another staff member. One row per pair (stored lowest id first): a rejected
    pair cannot be proposed again silently, only reopened on purpose."""

    individual_a = models.ForeignKey(
        Individual, on_delete=models.CASCADE, related_name="+", verbose_name=_("individual")
    )
    individual_b = models.ForeignKey(
        Individual,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("same animal as"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    evidence_kind = models.CharField(_("evidence"), max_length=16, choices=EvidenceKind.choices)
    evidence_note = models.TextField(_("evidence note"), blank=True)
    evidence_media_a = models.ForeignKey(
        Media,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo of the first individual"),
    )
    evidence_media_b = models.ForeignKey(
        Media,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo of the second individual"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("identity match")
        verbose_name_plural = _("identity matches")
        ordering = ["-proposed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(individual_a__lt=models.F("individual_b")),
                name="identitymatch_pair_ordered",
            ),
            models.UniqueConstraint(
                fields=["individual_a", "individual_b"], name="identitymatch_unique_pair"
            ),
            # The second pair of eyes: whoever proposed a match cannot decide it.
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("proposed_by")),
                name="identitymatch_decided_by_another",
                violation_error_message=_(
                    "Another staff member must confirm or reject a match you proposed."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=MatchStatus.PROPOSED, decided_by__isnull=True, decided_at__isnull=True)
                    | (
                        ~Q(status=MatchStatus.PROPOSED)
                        & Q(decided_by__isnull=False, decided_at__isnull=False)
                    )
                ),
                name="identitymatch_decision_recorded",
            ),
        ]

    def __str__(self):
        return f"{self.individual_a} = {self.individual_b} ({self.get_status_display()})"
