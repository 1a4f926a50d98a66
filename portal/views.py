from django.templatetags.static import static
from django.views.generic import RedirectView, TemplateView

from common.geojson import feature_collection
from common.views import FilteredListView
from dashboards.models import Indicator
from meetings.selectors import meeting_latest
from programme.selectors import programme_facts
from protected_areas.selectors import home_map_points, page_map_basemap

from .documents import document_library
from .forms import DocumentFilterForm
from .selectors import featured_projects, portal_figures, portal_search, site_map_records


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            figures=portal_figures(),
            # The Secretariat's own counts, with their source, beside the portal's figures.
            secretariat_figures=[fact for fact in programme_facts() if fact.portal_records],
            latest_meeting=meeting_latest(),
            featured_projects=featured_projects(),
            map_data=feature_collection(page_map_basemap(), home_map_points()),
            **kwargs,
        )


class SearchView(TemplateView):
    template_name = "portal/search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:200]
        return super().get_context_data(results=portal_search(query=query), **kwargs)


class DocumentLibraryView(FilteredListView):
    """Meeting documents and project outputs, by type, year and language, searchable."""

    template_name = "portal/document_list.html"
    paginate_by = 25
    filter_form_class = DocumentFilterForm
    list_selector = document_library


class SiteMapView(TemplateView):
    """The sitemap for people: every public page and record, linked in the reader's language
    (sitemap.xml stays the one for search engines)."""

    template_name = "portal/site_map.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            records=site_map_records(), dashboards=Indicator.choices, **kwargs
        )


class FaviconView(RedirectView):
    """/favicon.ico, which browsers and the admin ask for without a <link>."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.ico")
