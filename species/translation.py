"""Fields readers see, translated per record (see protected_areas/translation.py)."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from common.spatial_index import HistoricalRecordsWithShapes

from .models import (
    CountSeries,
    GbifDownload,
    Occurrence,
    OccurrenceSource,
    PopulationEstimate,
    SiteCount,
    Species,
    SpeciesPresence,
    SpeciesRange,
)


@register(Species)
class SpeciesTranslation(TranslationOptions):
    fields = ["common_name", "description"]


# Change history after the translations (see protected_areas/translation.py).
simple_history.register(Species, m2m_fields=["range_countries"])
simple_history.register(PopulationEstimate)
simple_history.register(SpeciesPresence)
simple_history.register(SpeciesRange, records_class=HistoricalRecordsWithShapes)
simple_history.register(Occurrence, records_class=HistoricalRecordsWithShapes)
simple_history.register(OccurrenceSource)
simple_history.register(GbifDownload)
simple_history.register(CountSeries)
simple_history.register(SiteCount)
