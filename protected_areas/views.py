from django.views.generic import DetailView

from common.maps import feature, feature_collection, member_country_features
from common.views import FilteredListView
from species.selectors import count_series_chart, protected_area_count_series

from .forms import ProtectedAreaFilterForm
from .models import ProtectedArea
from .selectors import protected_area_detail_queryset, protected_area_list, protected_area_species


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
            feature(other.location, kind="partner", name=other.name, url=other.get_absolute_url())
            for entry in partners
            for other in entry["areas"]
        ]
        this_area = [
            feature(
                area.page_boundary,
                kind="boundary",
                name=area.name,
                approximate=area.is_boundary_approximate,
            ),
            feature(area.location, kind="area", name=area.name),
        ]
        return super().get_context_data(
            partners=partners,
            species_recorded=list(protected_area_species(area)),
            count_charts=[count_series_chart(s) for s in protected_area_count_series(area)],
            map_data=feature_collection(member_country_features(), this_area, partner_points),
            **kwargs,
        )
