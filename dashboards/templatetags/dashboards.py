"""`{% species_dashboard species %}`: a species page's figures from the dashboard snapshots."""

from django import template

from dashboards.selectors import species_dashboard_figures

register = template.Library()


@register.inclusion_tag("dashboards/_species_figures.html")
def species_dashboard(species):
    return species_dashboard_figures(species_slug=species.slug)
