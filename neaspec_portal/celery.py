import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neaspec_portal.settings.local")

app = Celery("neaspec_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
