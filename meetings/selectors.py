"""Reads for the public meeting pages. Every queryset starts from `published()`."""

from django.db.models import Prefetch, QuerySet

from projects.models import Project

from .models import Decision, Meeting


def meeting_list() -> QuerySet[Meeting]:
    return (
        Meeting.objects.published()
        .select_related("host_country")
        .defer("host_country__boundary")
        .order_by("-year", "-start_date", "title")
    )


def meeting_latest() -> Meeting | None:
    return meeting_list().first()


def meeting_detail_queryset() -> QuerySet[Meeting]:
    return (
        Meeting.objects.published()
        .select_related("host_country")
        .defer("host_country__boundary")
        .prefetch_related(
            "documents",
            Prefetch(
                "decisions",
                queryset=Decision.objects.prefetch_related(
                    Prefetch("related_projects", queryset=Project.objects.published())
                ),
            ),
            Prefetch("approved_projects", queryset=Project.objects.published()),
        )
    )
