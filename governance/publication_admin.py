"""The publication workflow in the admin of every publishable record: the actions that move
a record between states (in the list, and as buttons on its change page), the reviewers'
comments, the deleted records' filter and restore."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.models import PublicationState

from .models import PublicationAction
from .selectors import publication_events_for
from .services import (
    TRANSITIONS,
    publication_archive,
    publication_comment,
    publication_publish,
    publication_return_to_draft,
    publication_submit,
    record_delete,
    record_restore,
)


class ReviewCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_("What should be checked or changed before this record is published?"),
    )


RESTORE_PERMISSION = "governance.restore_records"


@dataclass(frozen=True)
class PublicationStep:
    """A workflow step offered as a button on a record's change page: the same service and
    permission (`has_<permission>_permission`) as the list action of the same name."""

    name: str
    label: str
    action: PublicationAction
    service: Callable
    permission: str
    primary: bool = False

    @property
    def sources(self) -> tuple[str, ...]:
        return TRANSITIONS[self.action][0]

    @property
    def target(self) -> PublicationState:
        return TRANSITIONS[self.action][1]


PUBLICATION_STEPS = (
    PublicationStep(
        "submit",
        _("Submit for review"),
        PublicationAction.SUBMITTED,
        publication_submit,
        "submit",
        primary=True,
    ),
    PublicationStep(
        "publish",
        _("Publish"),
        PublicationAction.PUBLISHED,
        publication_publish,
        "publish",
        primary=True,
    ),
    PublicationStep(
        "restore", _("Restore"), PublicationAction.RESTORED, record_restore, "restore", primary=True
    ),
    PublicationStep(
        "return-to-draft",
        _("Return to draft"),
        PublicationAction.RETURNED,
        publication_return_to_draft,
        "publish",
    ),
    PublicationStep(
        "archive", _("Archive"), PublicationAction.ARCHIVED, publication_archive, "publish"
    ),
)


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
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/comment/",
                self.admin_site.admin_view(self.comment_view),
                name=f"{prefix}_comment",
            ),
            path(
                "<path:object_id>/publication/<slug:step>/",
                self.admin_site.admin_view(self.publication_step_view),
                name=f"{prefix}_publication_step",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if request.user.has_perm("governance.comment_on_records"):
            extra_context["comment_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_comment", args=[object_id]
            )
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context["publication_state"] = obj.get_publication_state_display()
            extra_context["publication_state_code"] = obj.publication_state
            extra_context["publication_steps"] = [
                {
                    "label": step.label,
                    "primary": step.primary,
                    "url": reverse(
                        f"admin:{self.opts.app_label}_{self.opts.model_name}_publication_step",
                        args=[object_id, step.name],
                    ),
                }
                for step in self.publication_steps(request, obj)
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def publication_steps(self, request, obj) -> list[PublicationStep]:
        """The steps this user may take on this record in its present state."""
        if not self.has_change_permission(request, obj):
            return []
        return [
            step
            for step in PUBLICATION_STEPS
            if obj.publication_state in step.sources
            and getattr(self, f"has_{step.permission}_permission")(request)
        ]

    def publication_step_view(self, request, object_id, step):
        """A workflow button of the change page (POST only; the admin checks the CSRF token):
        the list action's service, on this one record."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        allowed = {s.name: s for s in self.publication_steps(request, obj)}
        if step not in allowed:
            raise PermissionDenied
        chosen = allowed[step]
        self._transition(
            request, self.get_queryset(request).filter(pk=obj.pk), chosen.service, chosen.target
        )
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", obj.pk)

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
