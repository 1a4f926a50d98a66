from django.views.generic import DetailView, ListView

from common.geojson import feature_collection, geometry_feature
from monitoring.selectors import species_transborder_summary
from protected_areas.selectors import page_map_basemap

from .models import Species
from .selectors import (
    count_series_chart,
    population_chart,
    species_areas_with_presences,
    species_count_series,
    species_detail_queryset,
    species_gbif_downloads,
    species_list,
    species_records,
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
        areas = species_areas_with_presences(species)
        ranges = [
            geometry_feature(r.geometry, kind="range", name=r.get_season_display())
            for r in species.ranges.all()
        ]
        points = [
            geometry_feature(
                area.location, kind="area", name=area.name, url=area.get_absolute_url()
            )
            for area in areas
        ]
        return super().get_context_data(
            estimates=estimates,
            chart=population_chart(estimates),
            protected_areas=areas,
            records=species_records(species),
            gbif_downloads=list(species_gbif_downloads(species)),
            count_charts=[count_series_chart(s) for s in species_count_series(species)],
            map_data=feature_collection(page_map_basemap(), ranges, points),
            individuals=species_transborder_summary(species),
            **kwargs,
        )
