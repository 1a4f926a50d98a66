import pytest
from django.contrib.auth.models import Group
from django.contrib.gis.geos import Point

from governance.services import (
    REVIEWER,
    SECRETARIAT_EDITOR,
    focal_point_assign,
    roles_setup,
)
from tests import factories


@pytest.fixture
def roles(db):
    roles_setup()


def _user_in_group(django_user_model, username, group_name):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=group_name))
    return django_user_model.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def mongolia_focal_point(roles, mongolia, django_user_model):
    user = django_user_model.objects.create_user("mn-focal", "mn@example.org", "pw")
    focal_point_assign(user=user, countries=[mongolia])
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def secretariat_editor(roles, django_user_model):
    return _user_in_group(django_user_model, "editor", SECRETARIAT_EDITOR)


@pytest.fixture
def reviewer(roles, django_user_model):
    return _user_in_group(django_user_model, "reviewer", REVIEWER)


@pytest.fixture
def focal_client(client, mongolia_focal_point):
    client.force_login(mongolia_focal_point)
    return client


@pytest.fixture
def editor_client(client, secretariat_editor):
    client.force_login(secretariat_editor)
    return client


@pytest.fixture
def records(mongolia, russia):
    """One record of each country-scoped kind in Mongolia and in Russia."""
    result = {}
    for country, tag in ((mongolia, "mn"), (russia, "ru")):
        area = factories.ProtectedAreaFactory(
            name=f"Area {tag}", country=country, publication_state="draft"
        )
        species = factories.SpeciesFactory()
        lon, lat = area.location.x, area.location.y
        project = factories.ProjectFactory(title=f"Project {tag}", publication_state="draft")
        project.countries.set([country])
        decision = factories.DecisionFactory(reference=f"Decision {tag}")
        decision.related_projects.set([project])
        result[tag] = {
            "area": area,
            "estimate": factories.PopulationEstimateFactory(
                species=species, scope="country", country=country, source_citation=f"Est {tag}"
            ),
            "occurrence": factories.OccurrenceFactory(
                species=species, location=Point(lon, lat, srid=4326), dataset=f"Traps {tag}"
            ),
            "loose_occurrence": factories.OccurrenceFactory(
                species=species,
                location=Point(lon + 0.5, lat + 0.5, srid=4326),
                dataset=f"Loose {tag}",
            ),
            "project": project,
            "output": factories.OutputFactory(project=project, title=f"Output {tag}"),
            "decision": decision,
        }
        result[tag]["occurrence"].protected_area = area
        result[tag]["occurrence"].save()
    return result
