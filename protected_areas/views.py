from django.views.generic import DetailView

from .models import ProtectedArea


class ProtectedAreaDetailView(DetailView):
    template_name = "protected_areas/protectedarea_detail.html"

    def get_queryset(self):
        return ProtectedArea.objects.published().select_related("country")
