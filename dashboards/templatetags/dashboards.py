"""`{% species_dashboard species %}`: a species page's figures from the dashboard snapshots."""

from django import template

from dashboards.selectors import species_dashboard_figures

register = template.Library()


@register.inclusion_tag("dashboards/_species_figures.html")
def species_dashboard(species):
    return species_dashboard_figures(species_slug=species.slug)


@register.filter
def under(row, headers):
    """A table row's cells paired with their column headers: `{% for header, cell in
    row|under:headers %}` (a phone shows each cell under its header's name)."""
    headers = list(headers)
    return [(headers[i] if i < len(headers) else "", cell) for i, cell in enumerate(row)]
