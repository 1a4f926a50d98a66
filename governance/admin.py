"""Country scoping in the admin: list, forms, object permissions and saves.

Hiding a record from a list is not enough — every change view, form choice and save goes
through the same rules (governance.selectors), and a save that would leave a record outside
the editor's countries is refused and rolled back (the admin saves in one transaction)."""

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from common.admin import ViewOnlyAdminMixin

from .history_admin import HistoryAdmin
from .models import AccessLogEntry, CountryAssignment, PublicationEvent, TranslationStatus
from .selectors import (
    COUNTRY_SCOPES,
    VIEW_ALL,
    record_in_scope,
    record_visible_to,
    records_editable_by,
    records_visible_to,
    user_country_ids,
)
from .services import record_assert_in_scope, translation_mark_reviewed

# A transboundary link joins a focal point's protected area with its neighbours': those of
# other countries may be picked too, as long as they are published. (app label, model name,
# field name) → the model whose published records are open to all.
OPEN_CHOICES = {
    ("protected_areas", "transboundarylink", "protected_areas"): "protected_areas.ProtectedArea",
}


def open_choices(key: tuple[str, str, str]) -> QuerySet | None:
    label = OPEN_CHOICES.get(key)
    return apps.get_model(label).objects.published() if label else None


def scoped_choices(user, field) -> QuerySet | None:
    """The related records a user may pick for a form field; None when any may be picked."""
    country_ids = user_country_ids(user)
    model = field.related_model
    if country_ids is None:
        return None
    if model is CountryAssignment._meta.get_field("country").related_model:
        return model._default_manager.filter(pk__in=country_ids)
    if model._meta.label_lower not in COUNTRY_SCOPES:
        return None
    choices = records_editable_by(user, model._default_manager.all())
    extra = open_choices((field.model._meta.app_label, field.model._meta.model_name, field.name))
    return choices | extra if extra is not None else choices


class CountryScopedInlineMixin:
    def get_queryset(self, request):
        return records_visible_to(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = scoped_choices(request.user, db_field)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = scoped_choices(request.user, db_field)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CountryScopedAdminMixin(CountryScopedInlineMixin):
    """For a ModelAdmin whose records belong to countries (see governance.selectors)."""

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete of a field in OPEN_CHOICES offers what that field accepts.
        if request.path.endswith("/autocomplete/"):
            key = tuple(request.GET.get(name) for name in ("app_label", "model_name", "field_name"))
            extra = open_choices(key)
            if extra is not None:
                queryset = queryset | extra
        return super().get_search_results(request, queryset, search_term)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or record_visible_to(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or record_in_scope(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or record_in_scope(request.user, obj))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            for field in obj._meta.many_to_many:
                if field.name not in form.base_fields:
                    continue
                others = self._members_outside_scope(request, obj, field)
                if others:
                    # Saying so avoids the impression that the editor removed them.
                    form.base_fields[field.name].help_text = _(
                        "Also: %(names)s — kept as they are; only the Secretariat changes them."
                    ) % {"names": ", ".join(str(member) for member in others)}
        return form

    def save_related(self, request, form, formsets, change):
        kept = {}
        if change:
            for field in form.instance._meta.many_to_many:
                if field.name in form.fields:
                    kept[field.name] = self._members_outside_scope(request, form.instance, field)
        super().save_related(request, form, formsets, change)
        # Members the editor could not see in the form (another country of a joint project)
        # stay: a focal point cannot drop a partner country by editing its own part.
        for name, members in kept.items():
            getattr(form.instance, name).add(*members)
        record_assert_in_scope(user=request.user, instance=form.instance)
        for formset in formsets:
            changed = [obj for obj, _fields in formset.changed_objects]
            for obj in [*formset.new_objects, *changed]:
                if obj._meta.label_lower in COUNTRY_SCOPES:
                    record_assert_in_scope(user=request.user, instance=obj)

    def _members_outside_scope(self, request, obj, field) -> list:
        """Related records of `obj` the user cannot pick (another country of a joint
        project): the form does not offer them, so saving it must not drop them."""
        choices = scoped_choices(request.user, field)
        if choices is None:
            return []
        return list(getattr(obj, field.name).exclude(pk__in=choices.values("pk")))


class CountryAssignmentInline(admin.TabularInline):
    model = CountryAssignment
    extra = 0
    autocomplete_fields = ["country"]
    verbose_name = _("country this user is focal point for")
    verbose_name_plural = _("countries this user is focal point for")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, CountryAssignmentInline]
    list_display = [*UserAdmin.list_display, "role_names"]

    @admin.display(description=_("roles"))
    def role_names(self, obj):
        return ", ".join(group.name for group in obj.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    # The Secretariat manages users through roles (groups) and country assignments; only a
    # superuser grants superuser status or single permissions, or changes a superuser, so
    # managing users cannot be turned into more power than the Secretariat role has.
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return allowed

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return allowed


@admin.register(CountryAssignment)
class CountryAssignmentAdmin(HistoryAdmin):
    list_display = ["user", "country", "created"]
    list_filter = [("country", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__email", "country__name"]
    autocomplete_fields = ["user", "country"]
    list_select_related = ["user", "country"]


@admin.register(PublicationEvent)
class PublicationEventAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "action", "content_type", "object_id", "by", "comment"]
    list_filter = ["action", "content_type"]
    search_fields = ["comment", "by__username"]
    list_select_related = ["by", "content_type"]
    date_hierarchy = "at"

    def has_view_permission(self, request, obj=None):
        # Events name their records, so only those who see every country's records see the
        # log; a focal point sees the history of its own records on their change pages.
        user = request.user
        return super().has_view_permission(request, obj) and (
            user_country_ids(user) is None or user.has_perm(VIEW_ALL)
        )


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Who read exact sensitive points, unpublished records or change history: the
    Secretariat's view (the role's `view_accesslogentry`), read-only for everyone."""

    list_display = ["at", "username", "kind", "content_type", "object_repr", "path"]
    list_filter = ["kind", "content_type"]
    search_fields = ["username", "object_repr", "path"]
    list_select_related = ["content_type"]
    date_hierarchy = "at"


@admin.register(TranslationStatus)
class TranslationStatusAdmin(admin.ModelAdmin):
    """Where each translated text comes from; reviewers mark the portal team's translations
    reviewed with the action (their name and today's date are recorded)."""

    list_display = ["record", "content_type", "language", "origin", "reviewer", "reviewed_on"]
    list_filter = ["origin", "language", "content_type"]
    readonly_fields = ["content_type", "object_id", "reviewer", "reviewed_on"]
    actions = ["mark_reviewed"]

    @admin.action(description=_("Mark as reviewed by me"), permissions=["review"])
    def mark_reviewed(self, request, queryset):
        try:
            changed = translation_mark_reviewed(user=request.user, queryset=queryset)
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(
            request, _("%(count)d translations marked reviewed.") % {"count": changed}
        )

    def has_review_permission(self, request):
        return request.user.has_perm("governance.review_translations")

    def has_add_permission(self, request):
        return False
