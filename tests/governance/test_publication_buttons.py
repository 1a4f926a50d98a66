"""The workflow on a record's change page: the steps the user may take, as buttons that post
to the same services (and permissions) as the list actions."""

import pytest
from django.test import Client
from django.urls import reverse

from common.models import PublicationState
from governance.models import PublicationEvent
from tests import factories

pytestmark = pytest.mark.django_db


def change_url(record):
    return reverse(
        f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk]
    )


def step_url(record, step):
    name = f"admin:{record._meta.app_label}_{record._meta.model_name}_publication_step"
    return reverse(name, args=[record.pk, step])


def buttons(client, record) -> list[str]:
    response = client.get(change_url(record))
    assert response.status_code == 200
    return [step["label"] for step in response.context["publication_steps"]]


def test_the_secretariat_submits_or_publishes_a_draft_from_its_page(editor_client, records):
    area = records["ru"]["area"]
    assert buttons(editor_client, area) == ["Submit for review", "Publish"]
    page = editor_client.get(change_url(area)).content.decode()
    assert f'action="{step_url(area, "publish")}"' in page
    assert "csrfmiddlewaretoken" in page.split('class="publication-bar"')[1]

    response = editor_client.post(step_url(area, "publish"), follow=True)
    assert response.redirect_chain[-1][0] == change_url(area)
    assert "1 record is now published." in response.content.decode()
    area.refresh_from_db()
    assert area.publication_state == PublicationState.PUBLISHED
    event = PublicationEvent.objects.get(object_id=area.pk)
    assert (event.action, event.by.username) == ("published", "editor")
    # A published record offers the steps that lead on from there.
    assert buttons(editor_client, area) == ["Return to draft", "Archive"]


def test_a_focal_point_only_submits_its_own_countrys_drafts(focal_client, records):
    own, other = records["mn"]["area"], records["ru"]["area"]
    assert buttons(focal_client, own) == ["Submit for review"]
    assert focal_client.post(step_url(own, "publish")).status_code == 403
    own.refresh_from_db()
    assert own.publication_state == PublicationState.DRAFT

    assert focal_client.post(step_url(own, "submit")).status_code == 302
    own.refresh_from_db()
    assert own.publication_state == PublicationState.IN_REVIEW
    assert buttons(focal_client, own) == []  # in review: the Secretariat's turn

    assert focal_client.post(step_url(other, "submit")).status_code in (403, 404)
    other.refresh_from_db()
    assert other.publication_state == PublicationState.DRAFT


def test_a_reviewer_sees_the_state_and_no_button(client, reviewer, records):
    client.force_login(reviewer)
    area = records["ru"]["area"]
    response = client.get(change_url(area))
    assert response.context["publication_state"] == "Draft"
    assert response.context["publication_steps"] == []
    assert client.post(step_url(area, "publish")).status_code == 403
    assert not PublicationEvent.objects.exists()


def test_a_superuser_restores_a_deleted_record_from_its_page(staff_client):
    project = factories.ProjectFactory(publication_state=PublicationState.DELETED)
    assert buttons(staff_client, project) == ["Restore"]
    assert staff_client.post(step_url(project, "restore")).status_code == 302
    project.refresh_from_db()
    assert project.publication_state == PublicationState.PUBLISHED


def test_a_step_that_does_not_apply_changes_nothing(editor_client):
    project = factories.ProjectFactory()  # published
    assert editor_client.post(step_url(project, "submit")).status_code == 403
    assert editor_client.post(step_url(project, "no-such-step")).status_code == 403
    project.refresh_from_db()
    assert project.publication_state == PublicationState.PUBLISHED


def test_steps_are_posted_with_the_csrf_token_never_by_a_link(secretariat_editor):
    project = factories.ProjectFactory(publication_state=PublicationState.DRAFT)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(secretariat_editor)
    assert browser.get(step_url(project, "publish")).status_code == 405
    assert browser.post(step_url(project, "publish")).status_code == 403  # no token
    project.refresh_from_db()
    assert project.publication_state == PublicationState.DRAFT


def test_the_add_page_has_no_publication_bar(editor_client):
    page = editor_client.get(reverse("admin:projects_project_add")).content.decode()
    assert "publication-bar" not in page
