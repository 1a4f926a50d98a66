from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from governance.admin import CountryScopedAdminMixin, CountryScopedInlineMixin
from governance.history_admin import HistoryAdmin
from governance.publication_admin import PublishableAdminMixin

from .models import Decision, Meeting, MeetingDocument


class DecisionInline(CountryScopedInlineMixin, TranslationStackedInline):
    model = Decision
    extra = 0
    autocomplete_fields = ["related_projects"]
    fields = [("reference", "follow_up_status"), "text", "related_projects"]


class MeetingDocumentInline(admin.TabularInline):
    model = MeetingDocument
    extra = 0
    fields = ["title", "url", "file", "language"]


@admin.register(Meeting)
class MeetingAdmin(PublishableAdminMixin, HistoryAdmin, TabbedTranslationAdmin):
    list_display = [
        "__str__",
        "kind",
        "title",
        "start_date",
        "host_country",
        "publication_state",
    ]
    list_filter = [
        "kind",
        "year",
        ("host_country", admin.RelatedOnlyFieldListFilter),
        "publication_state",
    ]
    search_fields = ["title", "number", "city", "summary"]
    autocomplete_fields = ["host_country"]
    list_select_related = ["host_country"]
    prepopulated_fields = {"slug": ["number", "title"]}
    readonly_fields = ["created", "updated"]
    inlines = [DecisionInline, MeetingDocumentInline]


@admin.register(Decision)
class DecisionAdmin(CountryScopedAdminMixin, HistoryAdmin, TabbedTranslationAdmin):
    list_display = ["__str__", "meeting", "follow_up_status"]
    list_filter = ["follow_up_status", "meeting"]
    search_fields = ["text", "reference", "meeting__title", "meeting__number"]
    autocomplete_fields = ["meeting", "related_projects"]
    list_select_related = ["meeting"]
    readonly_fields = ["created", "updated"]


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(HistoryAdmin):
    list_display = ["title", "meeting", "language"]
    list_filter = ["language"]
    search_fields = ["title", "meeting__title"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting"]
