"""Fields readers see, translated per record, then change history (see
protected_areas/translation.py for why history is registered here)."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from common.spatial_index import HistoricalRecordsWithShapes

from .models import (
    CameraStation,
    CrossBorderIdentity,
    GeneticSample,
    IdentityMatch,
    Individual,
    MonitoringDataset,
)


@register(MonitoringDataset)
class MonitoringDatasetTranslation(TranslationOptions):
    fields = ["title", "description"]


simple_history.register(MonitoringDataset)
simple_history.register(CameraStation, records_class=HistoricalRecordsWithShapes)
simple_history.register(GeneticSample, records_class=HistoricalRecordsWithShapes)
simple_history.register(Individual)
simple_history.register(CrossBorderIdentity)
# Who proposed a match, who confirmed or rejected it, and when: the history shows each step.
simple_history.register(IdentityMatch)
