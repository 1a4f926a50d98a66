from django.db.models import Prefetch
from django.views.generic import DetailView

from projects.models import Project

from .models import Meeting


class MeetingDetailView(DetailView):
    template_name = "meetings/meeting_detail.html"

    def get_queryset(self):
        return (
            Meeting.objects.published()
            .select_related("host_country")
            .prefetch_related(
                "documents",
                "decisions",
                Prefetch("approved_projects", queryset=Project.objects.published()),
            )
        )
