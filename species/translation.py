"""Fields readers see, translated per record (see protected_areas/translation.py)."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import (
    CountSeries,
    GbifDownload,
    Occurrence,
    OccurrenceSource,
    PopulationEstimate,
    SiteCount,
    Species,
    SpeciesRange,
)


@register(Species)
class SpeciesTranslation(TranslationOptions):
    fields = ["common_name", "description"]


# Change history after the translations (see protected_areas/translation.py).
simple_history.register(Species, m2m_fields=["range_countries"])
simple_history.register(PopulationEstimate)
simple_history.register(SpeciesRange)
simple_history.register(Occurrence)
simple_history.register(OccurrenceSource)
simple_history.register(GbifDownload)
simple_history.register(CountSeries)
simple_history.register(SiteCount)
