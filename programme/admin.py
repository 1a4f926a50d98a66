from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from governance.publication_admin import PublishableAdminMixin

from .models import (
    Activity,
    ActivityProject,
    DocumentSource,
    Goal,
    ProgrammeFact,
    StrategyDocument,
)


class GoalInline(TranslationTabularInline):
    model = Goal
    extra = 0


class ActivityInline(TranslationTabularInline):
    model = Activity
    extra = 0
    fields = ["number", "text"]
    show_change_link = True  # the projects implementing it are edited on its own page


class DocumentSourceInline(admin.TabularInline):
    model = DocumentSource
    extra = 0


@admin.register(StrategyDocument)
class StrategyDocumentAdmin(PublishableAdminMixin, TabbedTranslationAdmin):
    list_display = ["title", "kind", "start_year", "end_year", "adopted_at", "publication_state"]
    list_filter = ["kind", "publication_state"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["adopted_at", "target_species"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created", "updated"]
    inlines = [GoalInline, ActivityInline, DocumentSourceInline]


class ActivityProjectInline(admin.TabularInline):
    model = ActivityProject
    extra = 0
    autocomplete_fields = ["project"]
    fields = ["project", "basis", "reason"]


@admin.register(Activity)
class ActivityAdmin(TabbedTranslationAdmin):
    list_display = ["__str__", "document", "number"]
    list_filter = ["document"]
    search_fields = ["text", "document__title"]
    list_select_related = ["document"]
    inlines = [ActivityProjectInline]


@admin.register(ProgrammeFact)
class ProgrammeFactAdmin(TabbedTranslationAdmin):
    list_display = ["text", "value", "value_min", "approximate", "source_citation", "source_year"]
    search_fields = ["text", "source_citation"]
