from django.views.generic import DetailView

from common.geojson import feature_collection, geometry_feature
from common.views import FilteredListView
from projects.selectors import projects_at
from species.selectors import (
    count_series_chart,
    protected_area_count_series,
    protected_areas_holding,
    species_at_area_with_presences,
)

from .forms import ProtectedAreaFilterForm
from .models import ProtectedArea
from .selectors import page_map_basemap, protected_area_detail_queryset, protected_area_list


def protected_areas_filtered(*, species: str = "", **filters):
    """The list page's areas: those of `protected_area_list`, narrowed to where a species
    is present (by the species app's rule) when one is chosen."""
    areas = protected_area_list(**filters)
    if species:
        areas = protected_areas_holding(areas, [species])
    return areas


class ProtectedAreaListView(FilteredListView):
    template_name = "protected_areas/protectedarea_list.html"
    paginate_by = 40
    filter_form_class = ProtectedAreaFilterForm
    list_selector = protected_areas_filtered


class ProtectedAreaDetailView(DetailView):
    template_name = "protected_areas/protectedarea_detail.html"

    def get_queryset(self):
        return protected_area_detail_queryset()

    def get_context_data(self, **kwargs):
        area: ProtectedArea = self.object
        partners = []
        for link in area.transboundary_links.all():
            others = [other for other in link.protected_areas.all() if other.pk != area.pk]
            partners.append({"link": link, "areas": others})
        partner_points = [
            geometry_feature(
                other.location, kind="partner", name=other.name, url=other.get_absolute_url()
            )
            for entry in partners
            for other in entry["areas"]
        ]
        this_area = [
            geometry_feature(
                area.page_boundary,
                kind="boundary",
                name=area.name,
                approximate=area.is_boundary_approximate,
            ),
            geometry_feature(area.location, kind="area", name=area.name),
        ]
        return super().get_context_data(
            partners=partners,
            species_recorded=species_at_area_with_presences(area),
            projects=list(projects_at(area)),
            count_charts=[count_series_chart(s) for s in protected_area_count_series(area)],
            map_data=feature_collection(page_map_basemap(), this_area, partner_points),
            **kwargs,
        )
