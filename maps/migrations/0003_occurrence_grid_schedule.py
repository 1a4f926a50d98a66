"""Recount the occurrence grid every five minutes when it is stale (edit it in the admin
under Periodic tasks)."""

import json

from django.db import migrations

TASK_NAME = "Rebuild the map's occurrence grid when stale"


def create(apps, schema_editor):
    alias = schema_editor.connection.alias
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    interval, _ = interval_model.objects.using(alias).get_or_create(every=5, period="minutes")
    task_model.objects.using(alias).get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "maps.tasks.rebuild_stale_occurrence_grid",
            "interval": interval,
            "args": json.dumps([]),
            "description": "Low-zoom occurrence counts; views count live while it is stale.",
        },
    )


def remove(apps, schema_editor):
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    task_model.objects.using(schema_editor.connection.alias).filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("maps", "0002_postgresql_grid_triggers_and_boundary_storage"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
