from django.conf import settings
from django.utils.translation import get_language
from django.views.generic import TemplateView

from projects.models import Project
from protected_areas.models import CooperationStatus, Country, IUCNCategory
from species.models import Season, Species, SpeciesRange

from .tile_grid import MAP_TILES_UP_TO_ZOOM, TILE_MAX_ZOOM


class MapView(TemplateView):
    """The full-window map. Its state (view, layers, filters) lives in the URL, read and
    written by static/js/map/map.js, so a link reproduces what the sender saw."""

    template_name = "maps/map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        countries = list(Country.objects.members().order_by("name").only("iso_a3", "name"))
        context["map_config"] = {
            # The API lives outside the language prefix: the script asks it for this language.
            "language": get_language(),
            "countryNames": {country.iso_a3: country.name for country in countries},
            "tilesUrl": settings.MAP_TILES_URL,
            "tilesAttribution": settings.MAP_TILES_ATTRIBUTION,
            "center": list(settings.LEAFLET_CONFIG["DEFAULT_CENTER"]),
            "zoom": settings.LEAFLET_CONFIG["DEFAULT_ZOOM"],
            "minZoom": settings.LEAFLET_CONFIG["MIN_ZOOM"],
            "maxZoom": settings.LEAFLET_CONFIG["MAX_ZOOM"],
            "isStaff": self.request.user.is_staff,
            # Continental views draw protected areas and occurrences from vector tiles.
            "tiles": {"upToZoom": MAP_TILES_UP_TO_ZOOM, "maxZoom": TILE_MAX_ZOOM},
            # In one order in every language: a species' colour is its place in this list, so
            # a shared view shows each species in the same colour to every reader. (The page's
            # menu sorts them by name in the reader's language.)
            "species": [
                {"slug": slug, "name": name, "migratory": movement == "migratory"}
                for slug, name, movement in Species.objects.published()
                .order_by("slug")
                .values_list("slug", "common_name", "movement")
            ],
            # Only these have a range to draw: without any, the layer is off and says so
            # rather than showing toggles and a season legend over nothing.
            "rangeSpecies": sorted(
                set(SpeciesRange.objects.published().values_list("species__slug", flat=True))
            ),
            # Projects are drawn at their own sites: without any, that layer says so too.
            "projectSites": Project.objects.published().filter(sites__isnull=False).exists(),
            "iucnCategories": dict(IUCNCategory.choices),
            "cooperationStatuses": dict(CooperationStatus.choices),
            "seasons": dict(Season.choices),
        }
        context["countries"] = countries
        context["projects"] = (
            Project.objects.published().order_by("title").only("slug", "title", "acronym")
        )
        return context
