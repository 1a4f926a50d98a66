from django.views.generic import DetailView

from common.geojson import feature_collection, geometry_feature
from common.views import FilteredListView

from .forms import ProtectedAreaFilterForm
from .models import ProtectedArea
from .selectors import (
    page_map_basemap,
    protected_area_detail_queryset,
    protected_area_list,
    protected_area_species,
)


class ProtectedAreaListView(FilteredListView):
    template_name = "protected_areas/protectedarea_list.html"
    paginate_by = 40
    filter_form_class = ProtectedAreaFilterForm
    list_selector = protected_area_list


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
                area.boundary,
                kind="boundary",
                name=area.name,
                approximate=area.is_boundary_approximate,
            ),
            geometry_feature(area.location, kind="area", name=area.name),
        ]
        return super().get_context_data(
            partners=partners,
            species_recorded=list(protected_area_species(area)),
            map_data=feature_collection(page_map_basemap(), this_area, partner_points),
            **kwargs,
        )
