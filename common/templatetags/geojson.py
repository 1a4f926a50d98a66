"""Embedding a GeoJSON text from common.geojson in a page, as `json_script` embeds a value."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# What json_script escapes, so that no text inside the JSON can end the <script> element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def geojson_script(geojson: str, element_id: str):
    """`{{ map_data|geojson_script:"area-map" }}`: the text inside a JSON script element."""
    return format_html(
        '<script id="{}" type="application/json">{}</script>',
        element_id,
        mark_safe(geojson.translate(_SCRIPT_ESCAPES)),
    )
