"""Fields readers see, translated per record (see protected_areas/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Decision, Meeting


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ["title", "city", "summary"]


@register(Decision)
class DecisionTranslation(TranslationOptions):
    fields = ["text"]
