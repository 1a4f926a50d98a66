"""Celery tasks: thin wrappers that take an import's id and call the services.

Both are safe to run twice: each service first claims the import with a conditional update
(a dry run only from "queued", an apply only while "applying"), and an apply is one
transaction. They do not retry: a failed import says why on its page, and the editor runs
the dry run again once the cause is fixed."""

from celery import shared_task
from django.conf import settings

from .models import Import
from .services import import_apply, import_check


@shared_task(time_limit=settings.IMPORT_TASK_TIME_LIMIT, acks_late=True)
def check_import(import_id: int) -> str:
    run = Import.objects.get(pk=import_id)
    return import_check(import_run=run).status


@shared_task(time_limit=settings.IMPORT_TASK_TIME_LIMIT, acks_late=True)
def apply_import(import_id: int) -> str:
    run = Import.objects.get(pk=import_id)
    return import_apply(import_run=run).status
