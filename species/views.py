from django.views.generic import DetailView

from .models import Species


class SpeciesDetailView(DetailView):
    template_name = "species/species_detail.html"

    def get_queryset(self):
        return Species.objects.published().prefetch_related(
            "population_estimates__country",
            "population_estimates__protected_area",
            "range_countries",
        )
