"""The admin's Imports section: upload → dry-run report → confirm, with a progress bar
while a task works on the file (static JS polling a small JSON view; nothing inline)."""

import json

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from common.sql import SimplifyPreserveTopology
from governance.selectors import record_in_scope, user_country_ids
from protected_areas.models import ProtectedArea

from .forms import BoundaryUploadForm, ImportUploadForm
from .models import Import, ImportFormat, ImportStatus
from .queueing import import_queue_apply, import_queue_check
from .report import OUTCOME_LABELS, OUTCOMES, PROPOSED
from .services import import_confirm, import_create, import_recheck

ROWS_PER_PAGE = 200
# The admin page of the record a row of each format wrote.
RECORD_ADMIN = {
    ImportFormat.WDPA: "admin:protected_areas_protectedarea_change",
    ImportFormat.OSM: "admin:protected_areas_protectedarea_change",
    ImportFormat.BOUNDARY: "admin:protected_areas_protectedarea_change",
    ImportFormat.GBIF: "admin:species_occurrence_change",
    ImportFormat.CENSUS: "admin:species_sitecount_change",
    # A package's rows that name a record are its stations (the rest are counted).
    ImportFormat.CAMTRAP_DP: "admin:monitoring_camerastation_change",
    ImportFormat.GENETIC: "admin:monitoring_geneticsample_change",
}


@admin.register(Import)
class ImportAdmin(admin.ModelAdmin):
    list_display = ["created", "original_name", "format", "status", "message", "created_by"]
    list_filter = ["format", "status"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["created_by"]
    date_hierarchy = "created"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).defer("report")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # An import is the record of what was done to the data: kept.
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/progress/", wrap(self.progress_view), name="imports_import_progress"),
            path("<int:pk>/confirm/", wrap(self.confirm_view), name="imports_import_confirm"),
            path("<int:pk>/recheck/", wrap(self.recheck_view), name="imports_import_recheck"),
            path(
                "boundary/<int:area_pk>/",
                wrap(self.boundary_upload_view),
                name="imports_boundary_upload",
            ),
            *super().get_urls(),
        ]

    # -- upload ------------------------------------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                run = import_create(
                    user=request.user,
                    format=form.cleaned_data["format"],
                    file=form.cleaned_data["file"],
                    options=form.options(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                import_queue_check(import_run=run)
                return redirect("admin:imports_import_change", run.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Upload a file to import"),
            "form": form,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/imports/upload.html", context)

    def boundary_upload_view(self, request, area_pk):
        """A new boundary for one protected area, from its admin page."""
        area = ProtectedArea.objects.select_related("country").filter(pk=area_pk).first()
        if area is None:
            raise Http404
        may_edit = request.user.has_perm("protected_areas.change_protectedarea") and (
            record_in_scope(request.user, area)
        )
        if not (may_edit and self.has_add_permission(request)):
            raise PermissionDenied
        form = BoundaryUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            run = import_create(
                user=request.user,
                format=ImportFormat.BOUNDARY,
                file=form.cleaned_data["upload"],
                options=form.options(area.pk),
            )
            import_queue_check(import_run=run)
            return redirect("admin:imports_import_change", run.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("A new boundary for %(area)s") % {"area": area},
            "area": area,
            "form": form,
        }
        return TemplateResponse(request, "admin/imports/boundary_upload.html", context)

    # -- the report --------------------------------------------------------------------------

    def _get_run(self, request, pk) -> Import:
        run = self.get_queryset(request).defer(None).filter(pk=unquote(str(pk))).first()
        if run is None or not self.has_view_permission(request, run):
            raise Http404
        return run

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = self._get_run(request, object_id)
        rows = run.report.get("rows", [])
        outcome = request.GET.get("outcome", "")
        shown = [row for row in rows if row["outcome"] == outcome] if outcome else rows
        page = Paginator(shown, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        for row in page:
            row["admin_url"] = self._record_url(run, row)
            row["outcome_label"] = OUTCOME_LABELS.get(row["outcome"], row["outcome"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(run),
            "run": run,
            "page": page,
            "outcome": outcome,
            "outcomes": [
                (name, OUTCOME_LABELS[name], run.counts.get(name, 0)) for name in OUTCOMES
            ],
            "proposals": [row for row in rows if row["outcome"] == PROPOSED],
            # OpenStreetMap and boundary files give shapes to existing records only.
            "may_create": run.format in (ImportFormat.WDPA,),
            "can_confirm": run.can_apply and self._may_run(request, run),
            "can_recheck": run.status not in (ImportStatus.APPLIED, ImportStatus.APPLYING)
            and self._may_run(request, run),
            "preview": self._preview(run, rows),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/imports/report.html", context)

    @staticmethod
    def _preview(run: Import, rows: list[dict]) -> dict | None:
        """The shapes of a boundary upload and the record's current boundary, for the map."""
        if run.format != ImportFormat.BOUNDARY:
            return None
        area = (
            ProtectedArea.objects.filter(pk=run.options.get("area"))
            .annotate(outline=AsGeoJSON(SimplifyPreserveTopology("boundary", 0.0005)))
            .values("outline", "name")
            .first()
        )
        shapes = [
            {"row": row["row"], "label": row["label"], "geometry": row["preview"]}
            for row in rows
            if row.get("preview")
        ]
        current = json.loads(area["outline"]) if area and area["outline"] else None
        return {"current": current, "shapes": shapes, "area": area["name"] if area else ""}

    def _record_url(self, run: Import, row: dict) -> str:
        if not row.get("record_id"):
            return ""
        try:
            return reverse(RECORD_ADMIN[run.format], args=[row["record_id"]])
        except (KeyError, NoReverseMatch):
            return ""

    def _may_run(self, request, run: Import) -> bool:
        return self.has_add_permission(request) and (
            run.created_by_id == request.user.pk or user_country_ids(request.user) is None
        )

    def progress_view(self, request, pk):
        run = self._get_run(request, pk)
        return JsonResponse(
            {
                "status": run.status,
                "label": run.get_status_display(),
                "running": run.is_running,
                "done": run.progress_done,
                "total": run.progress_total,
                "message": run.message,
            }
        )

    # -- confirm, check again ----------------------------------------------------------------

    @staticmethod
    def _decisions(request, run: Import) -> dict[str, str]:
        decisions = {}
        if run.format == ImportFormat.BOUNDARY:
            # One shape is chosen (a radio button) among those proposed.
            chosen = request.POST.get("shape", "")
            for row in run.report.get("rows", []):
                if row["outcome"] == PROPOSED and str(row["row"]) == chosen:
                    decisions[chosen] = str(row["candidates"][0]["id"])
            return decisions
        for row in run.report.get("rows", []):
            if row["outcome"] == PROPOSED:
                answer = request.POST.get(f"proposal-{row['row']}", "skip")
                if answer != "skip":
                    decisions[str(row["row"])] = answer
        return decisions

    def confirm_view(self, request, pk):
        return require_POST(self._confirm)(request, pk)

    def _confirm(self, request, pk):
        run = self._get_run(request, pk)
        if not self._may_run(request, run):
            raise PermissionDenied
        try:
            run = import_confirm(
                import_run=run, user=request.user, decisions=self._decisions(request, run)
            )
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(
                request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR
            )
        else:
            import_queue_apply(import_run=run)
            run.refresh_from_db()
            if run.is_running:
                self.message_user(request, _("The import is being applied."), messages.INFO)
        return redirect("admin:imports_import_change", run.pk)

    def recheck_view(self, request, pk):
        return require_POST(self._recheck)(request, pk)

    def _recheck(self, request, pk):
        run = self._get_run(request, pk)
        if not self._may_run(request, run):
            raise PermissionDenied
        try:
            run = import_recheck(import_run=run, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(
                request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR
            )
        else:
            import_queue_check(import_run=run)
        return redirect("admin:imports_import_change", run.pk)
