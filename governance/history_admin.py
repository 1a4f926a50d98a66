"""A record's change history in the admin (django-simple-history), with revert."""

from contextlib import suppress
from itertools import pairwise

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.gis.db.models import GeometryField
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from common.admin import describe_geometry

from .access_log import AccessLoggedAdminMixin, access_note
from .models import AccessKind


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


class HistoryAdmin(AccessLoggedAdminMixin, SimpleHistoryAdmin):
    """A record's change history in the admin (django-simple-history): who changed which
    fields when, each version against the one before, and a revert to any version.

    A revert is an edit like any other: the version's values fill the record's form, which is
    validated, saved in one transaction with the country-scope checks of `save_related`, and
    recorded in the history in turn. Only the fields of the form change — the publication
    state and deletion marks move only through their services — and only someone who may
    change the record as it now stands may revert it.

    Reading a history page, or the change page of an unpublished record, is written to the
    access log (governance.access_log)."""

    object_history_template = "admin/governance/history/object_history.html"
    object_history_list_template = "admin/governance/history/object_history_list.html"
    object_history_form_template = "admin/governance/history/object_history_form.html"
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
        access_note(request, kind=AccessKind.HISTORY, record=current)
        self._note_record(request, current)
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
