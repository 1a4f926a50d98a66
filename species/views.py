from django.views.generic import DetailView, ListView

from common.maps import feature, feature_collection, member_country_features

from .models import Species
from .selectors import (
    count_series_chart,
    population_chart,
    species_count_series,
    species_detail_queryset,
    species_gbif_downloads,
    species_list,
    species_protected_areas,
)


class SpeciesListView(ListView):
    template_name = "species/species_list.html"

    def get_queryset(self):
        return species_list()


class SpeciesDetailView(DetailView):
    template_name = "species/species_detail.html"

    def get_queryset(self):
        return species_detail_queryset()

    def get_context_data(self, **kwargs):
        species: Species = self.object
        estimates = list(species.population_estimates.all())
        areas = list(species_protected_areas(species))
        ranges = [
            feature(r.geometry, kind="range", name=r.get_season_display())
            for r in species.ranges.all()
        ]
        points = [
            feature(area.location, kind="area", name=area.name, url=area.get_absolute_url())
            for area in areas
        ]
        return super().get_context_data(
            estimates=estimates,
            chart=population_chart(estimates),
            protected_areas=areas,
            gbif_downloads=list(species_gbif_downloads(species)),
            count_charts=[count_series_chart(s) for s in species_count_series(species)],
            map_data=feature_collection(member_country_features(), ranges, points),
            **kwargs,
        )
