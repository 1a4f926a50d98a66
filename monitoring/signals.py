"""An imported camera observation's or genetic sample's occurrence is its public face, and it
carries its dataset's title: it is public only while its dataset is published (as the
individuals' detections are, monitoring.selectors), whatever the occurrence's own state.
A dataset returned to draft, archived or deleted takes its records out of sight at once."""

from django.db.models import Q
from django.utils import timezone

from common.models import PublicationState
from governance.signals import publication_changed

PUBLISHED = PublicationState.PUBLISHED


def occurrence_of_a_public_dataset_q() -> Q:
    """On Occurrence: not imported with a monitoring dataset, or its dataset published."""
    return (
        Q(camera_observation__isnull=True)
        | Q(camera_observation__dataset__publication_state=PUBLISHED)
    ) & (Q(genetic_sample__isnull=True) | Q(genetic_sample__dataset__publication_state=PUBLISHED))


def dataset_publication_changed(sender, pks, **kwargs) -> None:
    """Touch the datasets' occurrences, so what is derived from public occurrences (the
    map's grid, marked stale by a trigger on their table; cached responses and open-data
    files, keyed on the data version) follows the dataset's new state."""
    from species.models import Occurrence  # noqa: PLC0415

    Occurrence.objects.filter(
        Q(camera_observation__dataset__in=pks) | Q(genetic_sample__dataset__in=pks)
    ).update(updated=timezone.now())


def connect() -> None:
    from .models import MonitoringDataset  # noqa: PLC0415

    publication_changed.connect(
        dataset_publication_changed,
        sender=MonitoringDataset,
        dispatch_uid="monitoring:dataset-publication",
    )
