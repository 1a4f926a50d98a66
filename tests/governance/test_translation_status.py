"""Translation provenance: pages say discreetly when a text is the portal team's translation
not yet reviewed, and reviewers mark translations reviewed in the admin (issue 10)."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from governance.models import TranslationOrigin, TranslationStatus
from governance.services import roles_setup, translation_mark_reviewed
from projects.models import Project
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
UNREVIEWED = "Translated by the portal team, not yet reviewed."


def status_for(record, language, origin=TranslationOrigin.PORTAL, **fields):
    return TranslationStatus.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        language=language,
        origin=origin,
        **fields,
    )


def test_an_unreviewed_translation_is_said_to_be_one_in_its_language_only(client):
    project = ProjectFactory(title="Crane flyway")
    project.title_ru = "Пролётный путь журавлей"
    project.save()
    status_for(project, "ru")
    assert UNREVIEWED not in client.get(project.get_absolute_url()).content.decode()
    russian = client.get("/ru" + project.get_absolute_url()).content.decode()
    assert "Пролётный путь журавлей" in russian
    assert "not yet reviewed" in russian or "translation-note" in russian


def test_a_reviewer_marks_a_translation_reviewed_with_name_and_date(django_user_model):
    roles_setup()
    project = ProjectFactory()
    status = status_for(project, "ja")
    reviewer = django_user_model.objects.create_user(
        "sato", first_name="Hanako", last_name="Sato", is_staff=True
    )
    reviewer.groups.add(Group.objects.get(name="Reviewer"))
    assert translation_mark_reviewed(user=reviewer, queryset=TranslationStatus.objects.all()) == 1
    status.refresh_from_db()
    assert (status.origin, status.reviewer) == ("reviewed", "Hanako Sato")
    assert status.reviewed_on is not None


def test_someone_without_the_review_right_cannot_mark_reviewed(django_user_model):
    status_for(ProjectFactory(), "ko")
    visitor = django_user_model.objects.create_user("visitor", is_staff=True)
    with pytest.raises(PermissionDenied):
        translation_mark_reviewed(user=visitor, queryset=TranslationStatus.objects.all())


def test_the_admin_action_marks_reviewed(admin_client):
    project = ProjectFactory()
    status = status_for(project, "mn")
    response = admin_client.post(
        reverse("admin:governance_translationstatus_changelist"),
        {"action": "mark_reviewed", "_selected_action": [status.pk]},
        follow=True,
    )
    assert "1 translations marked reviewed." in response.content.decode()
    status.refresh_from_db()
    assert status.origin == "reviewed"


@pytest.mark.usefixtures("neaspec_dataset")
def test_the_projects_come_in_six_languages_marked_unreviewed(client):
    project = Project.objects.get(slug="snow-leopard-mongolia-russia-2022-2023")
    for language in ("zh_hans", "ja", "ko", "mn", "ru"):
        assert getattr(project, f"title_{language}"), language
        assert getattr(project, f"summary_{language}"), language
    statuses = TranslationStatus.objects.filter(object_id=project.pk, language="ru")
    assert [s.origin for s in statuses] == ["portal"]
    english = client.get(project.get_absolute_url()).content.decode()
    assert project.title_en in english
    assert "translation-note" not in english
    russian = client.get("/ru" + project.get_absolute_url()).content.decode()
    assert project.title_ru in russian
    assert "Перевод команды портала, ещё не проверен." in russian


@pytest.mark.usefixtures("neaspec_dataset")
def test_the_loader_never_undoes_a_review(admin_user):
    project = Project.objects.get(slug="snow-leopard-mongolia-russia-2022-2023")
    status = TranslationStatus.objects.get(
        object_id=project.pk,
        language="ja",
        content_type=ContentType.objects.get_for_model(Project),
    )
    translation_mark_reviewed(
        user=admin_user, queryset=TranslationStatus.objects.filter(pk=status.pk)
    )
    project.title_ja = "Reviewed title"
    project.save()
    call_command("load_neaspec", "--update", stdout=None)
    project.refresh_from_db()
    status.refresh_from_db()
    assert (project.title_ja, status.origin) == ("Reviewed title", "reviewed")
