from contextlib import suppress
from itertools import pairwise

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.gis.db.models import GeometryField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from leaflet.admin import LeafletGeoAdmin
from modeltranslation.translator import NotRegistered, translator
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from governance.selectors import publication_events_for
from governance.services import (
    publication_archive,
    publication_comment,
    publication_publish,
    publication_return_to_draft,
    publication_submit,
    record_delete,
    record_restore,
)

from .forms_geometry import StorageGeometryField
from .geometry import repair_geometry
from .models import PublicationState


class GeometryRepairForm(forms.ModelForm):
    """Adds a “repair geometry” box: an invalid drawing is rejected with GEOS's reason unless
    the editor asks for it to be repaired, so no boundary is ever changed unseen."""

    repair_geometry = forms.BooleanField(
        label=_("Repair invalid geometry"),
        required=False,
        help_text=_("Fix self-intersections and similar faults with GEOS MakeValid before saving."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("repair_geometry"):
            for field in self._meta.model._meta.get_fields():
                value = cleaned.get(field.name)
                if isinstance(field, GeometryField) and value is not None:
                    cleaned[field.name] = repair_geometry(value)
        return cleaned


class MapAdmin(LeafletGeoAdmin):
    form = GeometryRepairForm
    settings_overrides = {"DEFAULT_CENTER": (42.0, 120.0), "DEFAULT_ZOOM": 4}

    class Media:
        # Country outlines under the map, so a boundary can be drawn without tiles.
        js = ["js/admin/reference_layers.js"]

    def formfield_for_dbfield(self, db_field, request=None, **kwargs):
        if isinstance(db_field, GeometryField):
            kwargs.setdefault("form_class", StorageGeometryField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        """Those who may only view a record (reviewers, focal points on shared records) get a
        summary of each shape instead of its full coordinate text, which for a country
        boundary runs to megabytes."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        geometry_names = {f.name for f in self.model._meta.fields if isinstance(f, GeometryField)}

        def summarised(entry):
            if isinstance(entry, (list, tuple)):
                return tuple(summarised(item) for item in entry)
            if entry in geometry_names:
                return f"{entry}{SUMMARY_SUFFIX}"
            return None if entry == "repair_geometry" else entry

        return [
            (
                title,
                {
                    **options,
                    "fields": [
                        item for item in map(summarised, options["fields"]) if item is not None
                    ],
                },
            )
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not self.has_change_permission(request, obj):
            readonly += [
                f"{f.name}{SUMMARY_SUFFIX}"
                for f in self.model._meta.fields
                if isinstance(f, GeometryField)
            ]
        return readonly

    def __getattr__(self, name):
        # `boundary_summary` and the like: read-only displays named in the view-only
        # fieldsets above. Names, not callables, because translation admins expect names.
        if name.endswith(SUMMARY_SUFFIX):
            field_name = name.removesuffix(SUMMARY_SUFFIX)
            field = next((f for f in self.model._meta.fields if f.name == field_name), None)
            if isinstance(field, GeometryField):
                return _geometry_summary(field)
        raise AttributeError(name)


SUMMARY_SUFFIX = "_summary"


def describe_geometry(geometry) -> str:
    """A shape in one line (kind, vertices, extent): a boundary's full text runs to megabytes."""
    if geometry is None:
        return "—"
    if geometry.empty:
        return _("%(kind)s, empty") % {"kind": geometry.geom_type}
    if geometry.geom_type == "Point":
        return f"{geometry.x:.4f}, {geometry.y:.4f}"
    xmin, ymin, xmax, ymax = geometry.extent
    return _("%(kind)s, %(vertices)s vertices, extent %(extent)s") % {
        "kind": geometry.geom_type,
        "vertices": f"{geometry.num_coords:,}",
        "extent": f"{xmin:.4f}, {ymin:.4f} – {xmax:.4f}, {ymax:.4f}",
    }


def _geometry_summary(field):
    def summary(obj):
        return describe_geometry(getattr(obj, field.name))

    summary.short_description = field.verbose_name
    return summary


class ReviewCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_("What should be checked or changed before this record is published?"),
    )


RESTORE_PERMISSION = "governance.restore_records"


class PublicationStateListFilter(admin.SimpleListFilter):
    """The publication state filter, which also keeps deleted records out of the list:
    only those who may restore them (the Secretariat) get a “Deleted” choice to find them."""

    title = _("publication state")
    parameter_name = "publication_state__exact"

    def lookups(self, request, model_admin):
        choices = [c for c in PublicationState.choices if c[0] != PublicationState.DELETED]
        if request.user.has_perm(RESTORE_PERMISSION):
            choices.append((PublicationState.DELETED, _("Deleted (can be restored)")))
        return choices

    def queryset(self, request, queryset):
        if self.value() == PublicationState.DELETED:
            return queryset.deleted()
        queryset = queryset.not_deleted()
        return queryset.filter(publication_state=self.value()) if self.value() else queryset


class PublishableAdminMixin:
    """The publication workflow in the admin: the state is read-only in forms and changes
    only through these actions, which call the governance services (permission, country
    scope and the log of who did what and when). A “View on site” link only where the public
    page exists.

    Deleting a published record marks it deleted (governance.services.record_delete): it
    leaves the public site and the admin's lists, and the Secretariat finds it under
    “Publication state: Deleted” and restores it with an action. Drafts are removed."""

    actions = ["submit_for_review", "publish", "return_to_draft", "archive", "restore_deleted"]
    change_form_template = "admin/governance/publishable_change_form.html"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not request.user.has_perm(RESTORE_PERMISSION):
            queryset = queryset.not_deleted()
        return queryset

    def get_list_filter(self, request):
        return [
            PublicationStateListFilter if entry == "publication_state" else entry
            for entry in super().get_list_filter(request)
        ]

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if request.GET.get(PublicationStateListFilter.parameter_name) == PublicationState.DELETED:
            columns += ["deleted_at", "deleted_by"]
        return columns

    def delete_model(self, request, obj):
        record_delete(user=request.user, queryset=self.model._base_manager.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        record_delete(user=request.user, queryset=queryset)

    def get_deleted_objects(self, objs, request):
        """The delete confirmation: a published record is only marked deleted, so nothing
        that depends on it goes with it."""
        objs = list(objs)
        kept = [obj for obj in objs if obj.is_published or obj.is_deleted]
        removed = [obj for obj in objs if obj not in kept]
        to_delete, model_count, perms_needed, protected = (
            super().get_deleted_objects(removed, request) if removed else ([], {}, set(), [])
        )
        if kept:
            to_delete = [
                *(
                    _("%(record)s — published: marked deleted, the Secretariat can restore it")
                    % {"record": obj}
                    for obj in kept
                ),
                *to_delete,
            ]
            name = self.opts.verbose_name_plural
            model_count = {**model_count, name: model_count.get(name, 0) + len(kept)}
        return to_delete, model_count, perms_needed, protected

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_comment"
        return [
            path(
                "<path:object_id>/comment/",
                self.admin_site.admin_view(self.comment_view),
                name=name,
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.user.has_perm("governance.comment_on_records"):
            extra_context = {
                **(extra_context or {}),
                "comment_url": reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_comment",
                    args=[object_id],
                ),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def comment_view(self, request, object_id):
        """A reviewer's remark on a record it may see, kept in the publication history."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise PermissionDenied
        if not request.user.has_perm("governance.comment_on_records"):
            raise PermissionDenied
        form = ReviewCommentForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                publication_comment(
                    user=request.user, instance=obj, comment=form.cleaned_data["comment"]
                )
            except ValidationError as error:
                form.add_error("comment", error)
            else:
                self.message_user(request, _("Your comment was added."), messages.SUCCESS)
                return redirect(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change", obj.pk
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "form": form,
            "title": _("Comment on %(record)s") % {"record": obj},
        }
        return TemplateResponse(request, "admin/governance/comment.html", context)

    def view_on_site(self, obj):
        if obj.is_published and hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        return None

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "publication_state", "publication_log"]

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if "publication_log" in fields else [*fields, "publication_log"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.fieldsets and obj is not None:
            fieldsets = [*fieldsets, (_("Publication"), {"fields": ["publication_log"]})]
        return fieldsets

    @admin.display(description=_("publication history"))
    def publication_log(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        events = publication_events_for(obj)[:10]
        if not events:
            return _("No workflow steps yet.")
        return format_html_join(
            mark_safe("<br>"),
            "{} — {} ({}){}",
            (
                (
                    f"{event.at:%Y-%m-%d %H:%M}",
                    event.get_action_display(),
                    event.by or _("unknown user"),
                    f": {event.comment}" if event.comment else "",
                )
                for event in events
            ),
        )

    def has_restore_permission(self, request):
        return request.user.has_perm(RESTORE_PERMISSION) and self.has_change_permission(request)

    @admin.action(description=_("Restore selected deleted records"), permissions=["restore"])
    def restore_deleted(self, request, queryset):
        self._transition(request, queryset, record_restore, PublicationState.PUBLISHED)

    def has_submit_permission(self, request):
        return request.user.has_perm("governance.submit_records") and self.has_change_permission(
            request
        )

    def has_publish_permission(self, request):
        return request.user.has_perm("governance.publish_records") and self.has_change_permission(
            request
        )

    @admin.action(description=_("Submit selected records for review"), permissions=["submit"])
    def submit_for_review(self, request, queryset):
        self._transition(request, queryset, publication_submit, PublicationState.IN_REVIEW)

    @admin.action(description=_("Publish selected records"), permissions=["publish"])
    def publish(self, request, queryset):
        self._transition(request, queryset, publication_publish, PublicationState.PUBLISHED)

    @admin.action(description=_("Return selected records to draft"), permissions=["publish"])
    def return_to_draft(self, request, queryset):
        self._transition(request, queryset, publication_return_to_draft, PublicationState.DRAFT)

    @admin.action(description=_("Archive selected records"), permissions=["publish"])
    def archive(self, request, queryset):
        self._transition(request, queryset, publication_archive, PublicationState.ARCHIVED)

    def _transition(self, request, queryset, service, state):
        try:
            changed = service(user=request.user, queryset=queryset)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(n)d record is now %(s)s.", "%(n)d records are now %(s)s.", changed)
            % {"n": changed, "s": state.label.lower()},
            messages.SUCCESS if changed else messages.WARNING,
        )


class RecordHistoryContextHelper(HistoricalRecordContextHelper):
    """Values in a history diff as editors read them: a shape's summary rather than its
    coordinates, a choice's label rather than its code."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, GeometryField):
            return describe_geometry(value)
        if field.choices and not field.many_to_many:
            return dict(field.flatchoices).get(value, value)
        if value in (None, ""):
            return "—"
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """A record's change history in the admin (django-simple-history): who changed which
    fields when, each version against the one before, and a revert to any version.

    A revert is an edit like any other: the version's values fill the record's form, which is
    validated, saved in one transaction with the country-scope checks of `save_related`, and
    recorded in the history in turn. Only the fields of the form change — the publication
    state and deletion marks move only through their services — and only someone who may
    change the record as it now stands may revert it."""

    object_history_template = "admin/common/history/object_history.html"
    object_history_list_template = "admin/common/history/object_history_list.html"
    object_history_form_template = "admin/common/history/object_history_form.html"
    history_list_per_page = 25
    # Changes to these say nothing about the record's content.
    history_diff_excluded_fields = ("updated",)

    def get_historical_record_context_helper(self, request, historical_record):
        return RecordHistoryContextHelper(
            self.model, historical_record, max_displayed_delta_change_chars=300
        )

    def get_history_diff_excluded_fields(self) -> list[str]:
        excluded = list(self.history_diff_excluded_fields)
        # A translated field's own column mirrors its English one (`name` = `name_en`),
        # so only the per-language fields are compared.
        with suppress(NotRegistered):
            excluded += translator.get_options_for_model(self.model).fields
        return excluded

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)
        excluded = self.get_history_diff_excluded_fields()
        for newer, older in pairwise(records):
            delta = newer.diff_against(
                older,
                excluded_fields=excluded,
                foreign_keys_are_objs=foreign_keys_are_objs,
            )
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(delta)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.get_object(request, unquote(object_id))
        if current is None or not self.has_view_permission(request, current):
            raise PermissionDenied
        version = self.model.history.filter(
            **{self.opts.pk.attname: current.pk, "history_id": version_id}
        ).first()
        if version is None:
            raise Http404
        if request.method != "POST":
            extra_context = {**(extra_context or {}), "version": version}
            return super().history_form_view(request, object_id, version_id, extra_context)
        if not self.has_change_permission(request, current):
            raise PermissionDenied
        form = self.get_form(request, current, change=True)(
            request.POST, request.FILES, instance=current
        )
        if not form.is_valid():
            self.message_user(
                request,
                _(
                    "This version cannot be restored as it is: %(errors)s Open the record, "
                    "correct it there, and save."
                )
                % {"errors": form.errors.as_text()},
                messages.ERROR,
            )
            return redirect(request.path)
        with transaction.atomic(using=router.db_for_write(self.model)):
            record = self.save_form(request, form, change=True)
            record._change_reason = _("Reverted to the version of %(date)s") % {
                "date": f"{version.history_date:%Y-%m-%d %H:%M}"
            }
            self.save_model(request, record, form, change=True)
            self.save_related(request, form, [], change=True)
            self.log_change(request, record, self.construct_change_message(request, form, []))
        self.message_user(
            request,
            _("“%(record)s” was reverted to the version of %(date)s.")
            % {"record": record, "date": f"{version.history_date:%Y-%m-%d %H:%M}"},
            messages.SUCCESS,
        )
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_history", record.pk)


class ViewOnlyAdminMixin:
    """Records written only by the portal itself (task bookkeeping, logs): staff may read
    them, never add, edit or delete them in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
