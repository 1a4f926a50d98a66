"""One rebuild-request row per indicator, and the periodic rebuild (hourly; edit it in the
admin under Periodic tasks)."""

import json

from django.db import migrations

INDICATORS = [
    "transboundary-pairs",
    "border-protection",
    "range-protection",
    "population-trends",
    "project-portfolio",
    "meeting-follow-up",
]
TASK_NAME = "Rebuild all dashboards"


def create(apps, schema_editor):
    alias = schema_editor.connection.alias
    request = apps.get_model("dashboards", "DashboardRebuildRequest")
    for indicator in INDICATORS:
        request.objects.using(alias).get_or_create(indicator=indicator)
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    interval, _ = interval_model.objects.using(alias).get_or_create(every=1, period="hours")
    task_model.objects.using(alias).get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "dashboards.tasks.rebuild_all_dashboards",
            "interval": interval,
            "args": json.dumps([]),
            "description": "Recompute every dashboard indicator from the published records.",
        },
    )


def remove(apps, schema_editor):
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    task_model.objects.using(schema_editor.connection.alias).filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_snapshots"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
