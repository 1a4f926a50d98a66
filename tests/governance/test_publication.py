"""draft → in review → published (→ archived), with who and when; only `published()` is public."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from common.models import PublicationState
from governance.models import PublicationEvent
from governance.selectors import publication_events_for
from governance.services import (
    publication_archive,
    publication_comment,
    publication_publish,
    publication_return_to_draft,
    publication_submit,
)
from meetings.models import Meeting
from projects.models import Project
from protected_areas.models import ProtectedArea
from species.models import Species
from tests import factories

pytestmark = pytest.mark.django_db


def test_setup_roles_is_idempotent(db):
    from django.contrib.auth.models import Group  # noqa: PLC0415

    call_command("setup_roles", stdout=None)
    first = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    call_command("setup_roles", stdout=None)
    second = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    assert first == second
    assert set(first) == {"Secretariat editor", "Country focal point", "Reviewer"}
    assert "publish_records" in first["Secretariat editor"]
    assert "publish_records" not in first["Country focal point"]
    assert "submit_records" in first["Country focal point"]
    assert "change_protectedarea" in first["Country focal point"]
    assert "change_species" not in first["Country focal point"]
    assert not {c for c in first["Reviewer"] if c.startswith(("change_", "add_", "delete_"))}


def test_the_full_workflow_records_who_and_when(mongolia_focal_point, secretariat_editor, records):
    area = records["mn"]["area"]
    one = ProtectedArea.objects.filter(pk=area.pk)
    started = timezone.now()
    assert publication_submit(user=mongolia_focal_point, queryset=one) == 1
    assert publication_publish(user=secretariat_editor, queryset=one) == 1
    assert ProtectedArea.objects.published().filter(pk=area.pk).exists()
    assert publication_archive(user=secretariat_editor, queryset=one) == 1
    assert not ProtectedArea.objects.published().filter(pk=area.pk).exists()
    assert publication_return_to_draft(user=secretariat_editor, queryset=one) == 1
    finished = timezone.now()
    events = list(publication_events_for(area))[::-1]
    assert [(e.action, e.from_state, e.to_state, e.by.username) for e in events] == [
        ("submitted", "draft", "in_review", "mn-focal"),
        ("published", "in_review", "published", "editor"),
        ("archived", "published", "archived", "editor"),
        ("returned", "archived", "draft", "editor"),
    ]
    assert all(started <= e.at <= finished for e in events)


def test_a_transition_skips_records_not_in_its_starting_state(secretariat_editor):
    published = factories.ProjectFactory()
    draft = factories.ProjectFactory(publication_state="draft")
    both = Project.objects.filter(pk__in=[published.pk, draft.pk])
    assert publication_archive(user=secretariat_editor, queryset=both) == 1
    assert PublicationEvent.objects.count() == 1
    draft.refresh_from_db()
    assert draft.publication_state == "draft"


def test_a_reviewer_reads_drafts_everywhere_comments_and_changes_nothing(client, reviewer, records):
    client.force_login(reviewer)
    listing = client.get(reverse("admin:protected_areas_protectedarea_changelist"))
    assert {a.name for a in listing.context["cl"].result_list} == {"Area mn", "Area ru"}
    russian = records["ru"]["area"]
    page = client.get(reverse("admin:protected_areas_protectedarea_change", args=[russian.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    with pytest.raises(PermissionDenied):
        publication_publish(user=reviewer, queryset=ProtectedArea.objects.filter(pk=russian.pk))
    event = publication_comment(user=reviewer, instance=russian, comment="Check the area.")
    assert event.action == "commented" and event.by == reviewer


def test_the_secretariat_publishes_through_the_admin_action(editor_client, records):
    drafts = [records["mn"]["area"], records["ru"]["area"]]
    response = editor_client.post(
        reverse("admin:protected_areas_protectedarea_changelist"),
        {"action": "publish", "_selected_action": [a.pk for a in drafts]},
        follow=True,
    )
    assert "2 records are now published." in response.content.decode()
    page = editor_client.get(
        reverse("admin:protected_areas_protectedarea_change", args=[drafts[0].pk])
    ).content.decode()
    assert "Published" in page and "(editor)" in page  # the publication history on the form


def test_the_state_cannot_be_set_by_posting_the_form(editor_client, records):
    from tests.admin.test_admin_pages import protected_area_form  # noqa: PLC0415

    area = records["mn"]["area"]
    response = editor_client.post(
        reverse("admin:protected_areas_protectedarea_change", args=[area.pk]),
        protected_area_form(area, name="Renamed area", publication_state="published"),
    )
    assert response.status_code == 302  # saved: the form was valid
    area.refresh_from_db()
    assert area.name == "Renamed area"
    assert area.publication_state == "draft"


PUBLIC_PAGES = {
    ProtectedArea: (factories.ProtectedAreaFactory, lambda o: o.get_absolute_url()),
    Species: (factories.SpeciesFactory, lambda o: o.get_absolute_url()),
    Project: (factories.ProjectFactory, lambda o: o.get_absolute_url()),
    Meeting: (factories.MeetingFactory, lambda o: o.get_absolute_url()),
}


@pytest.mark.parametrize("model", PUBLIC_PAGES, ids=lambda m: m.__name__)
@pytest.mark.parametrize(
    "state",
    [PublicationState.DRAFT, PublicationState.IN_REVIEW, PublicationState.ARCHIVED],
)
def test_unpublished_records_never_reach_anonymous_readers(client, model, state):
    make, url = PUBLIC_PAGES[model]
    record = make(publication_state=state)
    assert client.get(url(record)).status_code == 404
    assert not model.objects.published().filter(pk=record.pk).exists()
    model.objects.filter(pk=record.pk).update(publication_state=PublicationState.PUBLISHED)
    assert client.get(url(record)).status_code == 200


def test_the_secretariat_manages_roles_but_cannot_grant_superuser_status(
    editor_client, mongolia_focal_point, django_user_model
):
    page = editor_client.get(reverse("admin:auth_user_change", args=[mongolia_focal_point.pk]))
    form = page.context["adminform"].form
    assert "groups" in form.fields
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
    root = django_user_model.objects.create_superuser("root", "r@example.org", "pw")
    for view in ("change", "password_change", "delete"):
        url = reverse(f"admin:auth_user_{view}", args=[root.pk])
        assert editor_client.post(url, {"password1": "x", "password2": "x"}).status_code in (
            302,
            403,
        )
    root.refresh_from_db()
    assert root.check_password("pw") and root.is_superuser


def test_a_reviewer_comments_through_the_admin(client, reviewer, records):
    client.force_login(reviewer)
    russian = records["ru"]["area"]
    change_url = reverse("admin:protected_areas_protectedarea_change", args=[russian.pk])
    comment_url = reverse("admin:protected_areas_protectedarea_comment", args=[russian.pk])
    assert comment_url in client.get(change_url).content.decode()
    assert client.post(comment_url, {"comment": "  "}).status_code == 200
    response = client.post(comment_url, {"comment": "The area figure needs a source."})
    assert response.status_code == 302
    (event,) = publication_events_for(russian)
    assert (event.action, event.by, event.comment) == (
        "commented",
        reviewer,
        "The area figure needs a source.",
    )
    assert "The area figure needs a source." in client.get(change_url).content.decode()


def test_a_focal_point_cannot_comment_on_another_countrys_record(focal_client, records):
    russian = records["ru"]["area"]
    url = reverse("admin:protected_areas_protectedarea_comment", args=[russian.pk])
    assert focal_client.post(url, {"comment": "Hello"}).status_code == 403
    assert not PublicationEvent.objects.exists()


def test_view_only_pages_summarise_shapes_instead_of_dumping_them(client, reviewer, records):
    client.force_login(reviewer)
    area = records["ru"]["area"]
    page = client.get(
        reverse("admin:protected_areas_protectedarea_change", args=[area.pk])
    ).content.decode()
    assert "MultiPolygon, 5 vertices, extent" in page
    assert "MULTIPOLYGON" not in page
    country = client.get(reverse("admin:protected_areas_country_change", args=[area.country_id]))
    assert country.status_code == 200 and "MULTIPOLYGON" not in country.content.decode()
