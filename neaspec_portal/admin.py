"""The portal's admin site: the index and sidebar grouped by the portal's domains, and the
machinery (login throttling, Celery's results and schedules) for superusers only. Models
and URLs are Django's usual ones; this only orders what the site shows and to whom."""

from django.contrib import admin
from django.db.models.base import ModelBase
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.admin import SuperuserOnlyAdminMixin

# Apps whose models run the site rather than hold its records.
SYSTEM_APPS = {"axes", "django_celery_beat", "django_celery_results"}

# The index's groups, in order, each with its models in the order an editor looks for them
# (“app_label.ModelName”); a model not named here joins its app's group, after these.
GROUPS = [
    (
        "protected_areas",
        _("Protected areas"),
        [
            "protected_areas.ProtectedArea",
            "protected_areas.TransboundaryLink",
            "protected_areas.Country",
        ],
    ),
    (
        "species",
        _("Species"),
        [
            "species.Species",
            "species.PopulationEstimate",
            "species.Occurrence",
            "species.SpeciesRange",
        ],
    ),
    ("projects", _("Projects"), ["projects.Project", "projects.Output"]),
    (
        "meetings",
        _("Meetings"),
        ["meetings.Meeting", "meetings.MeetingDocument", "meetings.Decision"],
    ),
    (
        "programme",
        _("Programme"),
        ["programme.StrategyDocument", "programme.Activity", "programme.ProgrammeFact"],
    ),
    (
        "monitoring",
        _("Camera traps, genetic samples and individuals"),
        [
            "monitoring.Individual",
            "monitoring.IdentityMatch",
            "monitoring.CrossBorderIdentity",
            "monitoring.MonitoringDataset",
            "monitoring.CameraStation",
            "monitoring.CameraObservation",
            "monitoring.GeneticSample",
            "monitoring.Media",
        ],
    ),
    ("imports", _("Imports"), ["imports.Import"]),
    (
        "governance",
        _("Users and governance"),
        [
            "auth.User",
            "auth.Group",
            "otp_totp.TOTPDevice",
            "authtoken.TokenProxy",
            "governance.CountryAssignment",
            "governance.PublicationEvent",
            "governance.AccessLogEntry",
        ],
    ),
    (
        "dashboards",
        _("Dashboards"),
        ["dashboards.DashboardSnapshot", "dashboards.DashboardRebuildRequest"],
    ),
    (
        "system",
        _("System"),
        [
            "django_celery_results.TaskResult",
            "django_celery_results.GroupResult",
            "django_celery_beat.PeriodicTask",
            "django_celery_beat.IntervalSchedule",
            "django_celery_beat.CrontabSchedule",
            "django_celery_beat.SolarSchedule",
            "django_celery_beat.ClockedSchedule",
            "axes.AccessAttempt",
            "axes.AccessFailureLog",
            "axes.AccessLog",
        ],
    ),
]
# Apps that join a group named otherwise.
APP_GROUP = {
    "auth": "governance",
    "otp_totp": "governance",
    # The REST API's tokens (api/), issued to users.
    "authtoken": "governance",
    **dict.fromkeys(SYSTEM_APPS, "system"),
}


class PortalAdminSite(admin.AdminSite):
    site_header = _("NEASPEC Conservation Portal")
    site_title = _("NEASPEC admin")
    index_title = _("Secretariat records")

    def register(self, model_or_iterable, admin_class=None, **options):
        models = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        for model in models:
            model_admin = admin_class or admin.ModelAdmin
            if model._meta.app_label in SYSTEM_APPS and not issubclass(
                model_admin, SuperuserOnlyAdminMixin
            ):
                model_admin = type(
                    model_admin.__name__,
                    (SuperuserOnlyAdminMixin, model_admin),
                    {"__module__": model_admin.__module__},
                )
            super().register(model, model_admin, **options)

    def get_app_list(self, request, app_label=None):
        """The index and the sidebar by domain (one app's own page stays Django's)."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        apps = self._build_app_dict(request)
        groups = {key: {"name": name, "order": order, "models": []} for key, name, order in GROUPS}
        for label, app in sorted(apps.items()):
            key = APP_GROUP.get(label, label)
            group = groups.setdefault(key, {"name": app["name"], "order": [], "models": []})
            group["models"] += app["models"]
        app_list = []
        for key, group in groups.items():
            if not group["models"]:
                continue
            position = {name: index for index, name in enumerate(group["order"])}
            models = sorted(
                group["models"],
                key=lambda m: (
                    position.get(f"{m['model']._meta.app_label}.{m['object_name']}", len(position)),
                    str(m["name"]),
                ),
            )
            app_list.append(
                {
                    "name": group["name"],
                    "app_label": key,
                    # A group of several apps links to its first model's app page.
                    "app_url": reverse(
                        "admin:app_list",
                        kwargs={"app_label": models[0]["model"]._meta.app_label},
                        current_app=self.name,
                    ),
                    "has_module_perms": True,
                    "models": models,
                }
            )
        return app_list
