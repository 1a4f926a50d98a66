"""sitemap.xml: every public page in every language, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from meetings.models import Meeting
from programme.models import StrategyDocument
from projects.models import Project
from protected_areas.models import ProtectedArea
from species.models import Species


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class PageSitemap(PortalSitemap):
    priority = 0.8

    def items(self):
        return [
            "home",
            "projects:list",
            "species:list",
            "protected_areas:list",
            "meetings:list",
            "programme:list",
            "documents",
            "site_map",
        ]

    def location(self, item):
        return reverse(item)


class RecordSitemap(PortalSitemap):
    def __init__(self, model):
        self.model = model

    def items(self):
        queryset = self.model.objects.published().order_by("pk")
        if self.model is ProtectedArea:
            queryset = queryset.defer("boundary")
        return queryset

    def lastmod(self, item):
        return item.updated


SITEMAPS = {
    "pages": PageSitemap,
    "projects": RecordSitemap(Project),
    "species": RecordSitemap(Species),
    "protected-areas": RecordSitemap(ProtectedArea),
    "meetings": RecordSitemap(Meeting),
    "programme": RecordSitemap(StrategyDocument),
}
