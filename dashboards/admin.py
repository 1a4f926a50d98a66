from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from common.admin import ViewOnlyAdminMixin

from .models import DashboardRebuildRequest, DashboardSnapshot
from .queueing import dashboards_rebuild_now


def _rebuild(modeladmin, request, indicators):
    queued, error = dashboards_rebuild_now(indicators=indicators)
    if queued:
        modeladmin.message_user(
            request, _("Rebuild queued: %s.") % ", ".join(queued), messages.SUCCESS
        )
    if error:
        modeladmin.message_user(
            request,
            _(
                "The task queue could not be reached (%s); the dashboards keep their last "
                "figures. Start Redis and a worker, or run `python manage.py "
                "rebuild_dashboards` on the server."
            )
            % error,
            messages.ERROR,
        )


@admin.register(DashboardSnapshot)
class DashboardSnapshotAdmin(admin.ModelAdmin):
    list_display = ["indicator", "computed_at", "checked_at", "duration_seconds", "database"]
    list_filter = ["indicator", "database"]
    date_hierarchy = "computed_at"
    readonly_fields = [
        "indicator",
        "parameters",
        "computed_at",
        "checked_at",
        "duration_seconds",
        "database",
        "data",
        "data_sha256",
    ]
    actions = ["rebuild"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            queryset = queryset.defer("data")
        return queryset

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Rebuild the indicators of the selected snapshots now"))
    def rebuild(self, request, queryset):
        _rebuild(self, request, set(queryset.values_list("indicator", flat=True)))


@admin.register(DashboardRebuildRequest)
class DashboardRebuildRequestAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["indicator", "pending", "requested_at"]
    actions = ["rebuild"]

    @admin.action(description=_("Rebuild the selected indicators now"))
    def rebuild(self, request, queryset):
        _rebuild(self, request, set(queryset.values_list("indicator", flat=True)))
