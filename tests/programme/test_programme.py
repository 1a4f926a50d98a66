"""The programme as records: strategy documents, their activities and the projects that
implement them, and the programme's facts beside what the portal records (issue 10)."""

import pytest
from django.core.management import call_command

from common.models import PublicationState
from dataset.services import DEFAULT_DIRECTORY
from programme.models import ActivityProject, ProgrammeFact, StrategyDocument
from projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("neaspec_dataset")
def test_the_strategy_and_the_plans_are_loaded_with_their_meetings_once():
    strategy = StrategyDocument.objects.get(slug="nature-conservation-strategy-2007")
    assert strategy.adopted_at.number == "SOM-12"
    assert strategy.goals.count() == 3
    assert strategy.target_species.count() == 6
    plan = StrategyDocument.objects.get(slug="strategic-plan-2016-2020")
    assert plan.adopted_at.number == "SOM-20"
    assert plan.activities.count() == 5
    assert ProgrammeFact.objects.filter(key="protected-areas-along-borders", value_min=100).exists()
    counts = (StrategyDocument.objects.count(), ActivityProject.objects.count())
    call_command("load_neaspec", "--directory", str(DEFAULT_DIRECTORY), stdout=None)
    assert (StrategyDocument.objects.count(), ActivityProject.objects.count()) == counts


@pytest.mark.usefixtures("neaspec_dataset")
def test_the_plan_page_shows_each_activity_with_its_projects_and_the_basis(client):
    plan = StrategyDocument.objects.get(slug="strategic-plan-2016-2020")
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    big_cats = Project.objects.get(slug="transboundary-big-cats-2020-2023")
    assert big_cats.get_absolute_url() in html
    assert "The portal team’s reading, not stated by the Secretariat" in html
    assert "SOM-20" in html or plan.adopted_at.title in html


@pytest.mark.usefixtures("neaspec_dataset")
def test_a_project_page_shows_the_activity_it_implements(client):
    big_cats = Project.objects.get(slug="transboundary-big-cats-2020-2023")
    html = client.get(big_cats.get_absolute_url()).content.decode()
    assert "Implements" in html
    assert StrategyDocument.objects.get(slug="strategic-plan-2016-2020").get_absolute_url() in html


@pytest.mark.usefixtures("neaspec_dataset")
def test_the_programme_page_lists_published_documents_and_facts_with_source(client):
    plan = StrategyDocument.objects.get(slug="strategic-plan-2016-2020")
    plan.publication_state = PublicationState.DRAFT
    plan.save()
    response = client.get("/programme/")
    html = response.content.decode()
    assert plan not in response.context["object_list"]
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert "100+ protected areas along international borders" in html
    assert "Workshop on Nature Conservation and Transboundary Cooperation" in html
    assert "This portal records 0 protected areas in all, on borders or not." not in html
    assert "protected areas in all, on borders or not." in html


@pytest.mark.usefixtures("neaspec_dataset")
def test_the_sitemap_lists_the_programme_pages(client):
    xml = client.get("/sitemap.xml").content.decode()
    assert "/programme/strategic-plan-2016-2020/" in xml


def test_the_secretariat_adds_a_later_plan_in_the_admin(admin_client):
    response = admin_client.get("/admin/programme/strategydocument/add/")
    assert response.status_code == 200
    assert admin_client.get("/admin/programme/activity/").status_code == 200


@pytest.mark.usefixtures("neaspec_dataset")
def test_the_home_page_gives_the_secretariats_count_with_its_source(client):
    html = client.get("/").content.decode()
    assert "The Secretariat: 100+ protected areas along international borders" in html
    assert "Workshop on Nature Conservation and Transboundary Cooperation" in html
    assert 'href="/programme/"' in html
