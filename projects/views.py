from django.db.models import Prefetch
from django.views.generic import DetailView

from .models import Output, Project


class ProjectDetailView(DetailView):
    template_name = "projects/project_detail.html"

    def get_queryset(self):
        return (
            Project.objects.published()
            .select_related("approved_at")
            .prefetch_related(
                "species",
                "countries",
                "protected_areas",
                Prefetch("outputs", queryset=Output.objects.published()),
            )
        )
