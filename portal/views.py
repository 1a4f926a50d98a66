from django.views.generic import TemplateView

from common.maps import feature, feature_collection, member_country_features
from meetings.selectors import meeting_latest
from protected_areas.models import ProtectedArea

from .selectors import featured_projects, portal_figures, portal_search


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        areas = ProtectedArea.objects.published().defer("boundary")
        points = [
            feature(area.location, kind="area", name=area.name, url=area.get_absolute_url())
            for area in areas
        ]
        return super().get_context_data(
            figures=portal_figures(),
            latest_meeting=meeting_latest(),
            featured_projects=featured_projects(),
            map_data=feature_collection(member_country_features(), points),
            **kwargs,
        )


class SearchView(TemplateView):
    template_name = "portal/search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:200]
        return super().get_context_data(results=portal_search(query=query), **kwargs)
