from django import template
from django.conf import settings

from common.images import image_thumbnail_url

register = template.Library()


@register.filter
def thumbnail_url(file) -> str:
    return image_thumbnail_url(file)


@register.simple_tag
def map_tiles_url() -> str:
    """The optional basemap; empty when switched off (the member-state outlines then serve
    as the basemap)."""
    return settings.MAP_TILES_URL


@register.simple_tag
def map_tiles_attribution() -> str:
    return settings.MAP_TILES_ATTRIBUTION
