"""The admin site: its index grouped by the portal's domains, the machinery for superusers."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

pytestmark = pytest.mark.django_db

SYSTEM_PAGES = [
    "/admin/axes/accessattempt/",
    "/admin/axes/accesslog/",
    "/admin/axes/accessfailurelog/",
    "/admin/django_celery_results/taskresult/",
    "/admin/django_celery_results/groupresult/",
    "/admin/django_celery_beat/periodictask/",
    "/admin/django_celery_beat/crontabschedule/",
    "/admin/django_celery_beat/intervalschedule/",
]


def index_groups(client) -> dict[str, list[str]]:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return {
        str(app["name"]): [model["object_name"] for model in app["models"]]
        for app in response.context["app_list"]
    }


def test_the_superuser_sees_every_domain_in_order_and_the_system(admin_client):
    groups = index_groups(admin_client)
    assert list(groups) == [
        "Protected areas",
        "Species",
        "Projects",
        "Meetings",
        "Programme",
        "Camera traps, genetic samples and individuals",
        "Imports",
        "Users and governance",
        "Dashboards",
        "System",
    ]
    assert groups["Protected areas"] == ["ProtectedArea", "TransboundaryLink", "Country"]
    assert groups["Camera traps, genetic samples and individuals"][:3] == [
        "Individual",
        "IdentityMatch",
        "CrossBorderIdentity",
    ]
    assert groups["Users and governance"] == [
        "User",
        "Group",
        "TOTPDevice",
        "TokenProxy",
        "CountryAssignment",
        "PublicationEvent",
        "AccessLogEntry",
        "TranslationStatus",
    ]
    assert {"TaskResult", "PeriodicTask", "AccessAttempt"} <= set(groups["System"])
    for url in SYSTEM_PAGES:
        assert admin_client.get(url).status_code == 200, url


def test_the_sidebar_is_grouped_the_same_way(admin_client):
    response = admin_client.get(reverse("admin:projects_project_changelist"))
    assert [str(app["name"]) for app in response.context["available_apps"]][:4] == [
        "Protected areas",
        "Species",
        "Projects",
        "Meetings",
    ]


@pytest.mark.parametrize("role", ["secretariat_editor", "mongolia_focal_point", "reviewer"])
def test_editors_never_see_the_machinery_even_with_its_permissions(client, request, role):
    user = request.getfixturevalue(role)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["axes", "django_celery_results", "django_celery_beat"]
        )
    )
    client.force_login(user)
    groups = index_groups(client)
    assert "System" not in groups
    assert {"Protected areas", "Species", "Projects", "Meetings"} <= set(groups)
    for url in SYSTEM_PAGES:
        assert client.get(url).status_code == 403, url


def test_the_secretariat_sees_its_records_and_users(client, secretariat_editor):
    client.force_login(secretariat_editor)
    groups = index_groups(client)
    assert list(groups) == [
        "Protected areas",
        "Species",
        "Projects",
        "Meetings",
        "Programme",
        "Camera traps, genetic samples and individuals",
        "Imports",
        "Users and governance",
    ]


def test_models_and_urls_are_as_before(admin_client):
    assert reverse("admin:django_celery_results_taskresult_changelist") == (
        "/admin/django_celery_results/taskresult/"
    )
    # 31, species presences, the programme's three, translation statuses (issue 10), and
    # imports, GBIF downloads, census series and counts (issue 11), individuals, their
    # identities and matches, monitoring datasets, camera stations, media, camera
    # observations and genetic samples (issue 12)
    assert len(admin.site._registry) == 48
    # One app's page still lists that app alone.
    response = admin_client.get(reverse("admin:app_list", args=["protected_areas"]))
    assert [app["app_label"] for app in response.context["app_list"]] == ["protected_areas"]
