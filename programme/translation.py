"""Fields readers see, translated per record (see protected_areas/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Activity, Goal, ProgrammeFact, StrategyDocument


@register(StrategyDocument)
class StrategyDocumentTranslation(TranslationOptions):
    fields = ["title", "summary", "objective", "adoption_note", "programme_area"]


@register(Goal)
class GoalTranslation(TranslationOptions):
    fields = ["text"]


@register(Activity)
class ActivityTranslation(TranslationOptions):
    fields = ["text"]


@register(ProgrammeFact)
class ProgrammeFactTranslation(TranslationOptions):
    fields = ["text", "notes"]
