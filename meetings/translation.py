"""Fields readers see, translated per record (see protected_areas/translation.py)."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Decision, Meeting, MeetingDocument


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ["title", "city", "summary"]


@register(Decision)
class DecisionTranslation(TranslationOptions):
    fields = ["text"]


# Change history after the translations (see protected_areas/translation.py).
simple_history.register(Meeting)
simple_history.register(MeetingDocument)
simple_history.register(Decision, m2m_fields=["related_projects"])
