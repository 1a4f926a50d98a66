"""The details panel: key facts about one published feature, and for staff its admin link."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from projects.models import Project
from protected_areas.models import ProtectedArea, TransboundaryLink
from species.models import Occurrence, Species, SpeciesRange


def _fact(label: str, value) -> list | None:
    return [label, str(value)] if value not in (None, "", []) else None


def _admin_link(user, viewname: str, pk: int) -> dict:
    """The record's admin page, for staff only: nobody else may open it. (The user is read
    only here, once a record was found: a 404 does not depend on who asks.)"""
    return {"admin_url": reverse(viewname, args=[pk])} if user.is_staff else {}


def _protected_area_details(pk: int, *, user) -> dict | None:
    area = (
        ProtectedArea.objects.published()
        .with_country()
        .filter(pk=pk)
        .defer("boundary", "location")
        .first()
    )
    if area is None:
        return None
    area_km2 = area.reported_area_km2 or area.computed_area_km2
    return {
        "title": area.name,
        "subtitle": area.name_local,
        "facts": [
            _fact(_("Country"), area.country.name),
            _fact(_("Designation"), area.designation),
            _fact(_("IUCN category"), area.get_iucn_category_display()),
            _fact(_("Established"), area.status_year),
            _fact(_("Area"), f"{area_km2:,.0f} km²" if area_km2 else None),
            _fact(_("Boundary"), area.get_boundary_quality_display()),
        ],
        "url": area.get_absolute_url(),
        **_admin_link(user, "admin:protected_areas_protectedarea_change", area.pk),
    }


def _transboundary_details(pk: int, *, user) -> dict | None:
    link = (
        TransboundaryLink.objects.published()
        .filter(pk=pk)
        .prefetch_related(
            Prefetch(
                "protected_areas",
                queryset=ProtectedArea.objects.published().only("id", "name").order_by("name"),
            )
        )
        .first()
    )
    if link is None:
        return None
    return {
        "title": link.name,
        "subtitle": _("Transboundary complex"),
        "facts": [
            _fact(_("Cooperation"), link.get_cooperation_status_display()),
            _fact(_("Agreement"), link.agreement_name),
            _fact(_("Agreement year"), link.agreement_year),
        ],
        "members": [
            {"id": area.pk, "name": area.name, "url": area.get_absolute_url()}
            for area in link.protected_areas.all()
        ],
        "url": None,
        **_admin_link(user, "admin:protected_areas_transboundarylink_change", link.pk),
    }


def _species_details(species: Species | None, *, user) -> dict | None:
    if species is None:
        return None
    return {
        "title": species.common_name,
        "subtitle": species.scientific_name,
        "facts": [
            _fact(_("Red List"), species.get_iucn_category_display()),
            _fact(_("Trend"), species.get_iucn_trend_display()),
            _fact(_("Movement"), species.get_movement_display()),
        ],
        "url": species.get_absolute_url(),
        **_admin_link(user, "admin:species_species_change", species.pk),
    }


def _project_details(pk: int, *, user) -> dict | None:
    project = Project.objects.published().filter(pk=pk).defer("sites").first()
    if project is None:
        return None
    return {
        "title": project.title,
        "subtitle": project.acronym,
        "facts": [
            _fact(_("Status"), project.get_status_display()),
            _fact(_("Period"), project.period),
            _fact(_("Summary"), project.summary),
        ],
        "url": project.get_absolute_url(),
        **_admin_link(user, "admin:projects_project_change", project.pk),
    }


def _species_of_record(model, pk: int) -> Species | None:
    record = model.objects.published().select_related("species").filter(pk=pk).first()
    return record.species if record else None


DETAIL_READERS = {
    "protected-areas": _protected_area_details,
    "transboundary": _transboundary_details,
    "species": lambda pk, *, user: _species_details(
        Species.objects.published().filter(pk=pk).first(), user=user
    ),
    "species-ranges": lambda pk, *, user: _species_details(
        _species_of_record(SpeciesRange, pk), user=user
    ),
    "occurrences": lambda pk, *, user: _species_details(
        _species_of_record(Occurrence, pk), user=user
    ),
    "projects": _project_details,
}


def feature_details(layer: str, pk: int, *, user) -> dict | None:
    """Key facts about one published feature for the details panel, or None. A staff user
    gets the record's admin link (`admin_url`) too."""
    details = DETAIL_READERS[layer](pk, user=user)
    if details is None:
        return None
    details["facts"] = [fact for fact in details["facts"] if fact]
    return {"layer": layer, "id": pk, **details}
