from django.views.generic import ListView, TemplateView

from common.geojson import feature_collection, geometry_feature
from meetings.selectors import meeting_latest
from protected_areas.models import ProtectedArea
from protected_areas.selectors import page_map_basemap

from .selectors import featured_projects, portal_figures, portal_search


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        areas = ProtectedArea.objects.published().defer("boundary")
        points = [
            geometry_feature(
                area.location, kind="area", name=area.name, url=area.get_absolute_url()
            )
            for area in areas
        ]
        return super().get_context_data(
            figures=portal_figures(),
            latest_meeting=meeting_latest(),
            featured_projects=featured_projects(),
            map_data=feature_collection(page_map_basemap(), points),
            **kwargs,
        )


class SearchView(TemplateView):
    template_name = "search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:200]
        return super().get_context_data(results=portal_search(query=query), **kwargs)


class FilteredListView(ListView):
    """A public list narrowed by a `PublicFilterForm`; `list_selector` takes its filters as
    keyword arguments."""

    filter_form_class = None
    list_selector = None

    def get_queryset(self):
        self.filter_form = self.filter_form_class(self.request.GET or None)
        return type(self).list_selector(**self.filter_form.filters())

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)
