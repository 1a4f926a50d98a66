from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from common.admin import MapAdmin
from governance.admin import CountryScopedAdminMixin, CountryScopedInlineMixin
from governance.history_admin import HistoryAdmin
from governance.publication_admin import PublishableAdminMixin

from .models import Output, Project


class OutputInline(CountryScopedInlineMixin, TranslationStackedInline):
    model = Output
    extra = 0
    readonly_fields = ["publication_state"]
    fields = [
        ("kind", "language", "publication_state"),
        "title",
        ("url", "file"),
        ("date", "year"),
    ]


@admin.register(Project)
class ProjectAdmin(
    CountryScopedAdminMixin, PublishableAdminMixin, HistoryAdmin, MapAdmin, TabbedTranslationAdmin
):
    list_display = [
        "title",
        "acronym",
        "period",
        "status",
        "approved_at",
        "publication_state",
    ]
    list_filter = [
        "status",
        "species",
        ("countries", admin.RelatedOnlyFieldListFilter),
        "publication_state",
    ]
    search_fields = ["title", "acronym", "summary", "partners"]
    autocomplete_fields = ["species", "countries", "protected_areas", "approved_at"]
    list_select_related = ["approved_at"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created", "updated"]
    inlines = [OutputInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "acronym",
                    ("start_year", "end_year"),
                    "status",
                    "approved_at",
                    "publication_state",
                ]
            },
        ),
        (
            _("Content"),
            {
                "fields": [
                    "summary",
                    "body",
                    "partners",
                    ("budget", "budget_currency"),
                    "source_url",
                    ("hero_image", "hero_image_credit"),
                ]
            },
        ),
        (_("Scope"), {"fields": ["species", "countries", "protected_areas"]}),
        (_("Internal"), {"fields": ["internal_notes"]}),
        (_("Sites"), {"fields": ["sites", "repair_geometry"]}),
        (_("Record"), {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]


@admin.register(Output)
class OutputAdmin(
    CountryScopedAdminMixin, PublishableAdminMixin, HistoryAdmin, TabbedTranslationAdmin
):
    list_display = ["title", "project", "kind", "year", "language", "publication_state"]
    list_filter = ["kind", "language", "publication_state"]
    search_fields = ["title", "project__title"]
    autocomplete_fields = ["project"]
    list_select_related = ["project"]
    readonly_fields = ["created", "updated"]

    def view_on_site(self, obj):
        return (
            obj.project.get_absolute_url()
            if obj.is_published and obj.project.is_published
            else None
        )
