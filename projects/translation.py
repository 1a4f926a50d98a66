"""Fields readers see, translated per record (see protected_areas/translation.py)."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from common.spatial_index import HistoricalRecordsWithShapes

from .models import Output, Project


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ["title", "summary", "body"]


@register(Output)
class OutputTranslation(TranslationOptions):
    fields = ["title"]


# Change history after the translations (see protected_areas/translation.py).
simple_history.register(
    Project,
    m2m_fields=["species", "countries", "protected_areas"],
    records_class=HistoricalRecordsWithShapes,
)
simple_history.register(Output)
