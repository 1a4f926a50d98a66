"""The individuals' admin: proposing a match, confirming or rejecting it as another staff
member with the buttons of its page, the refusals users can cause, the focal points' scope
and the staff movement map."""

import pytest
from django.urls import reverse

from monitoring.models import IdentityMatch, MatchStatus
from monitoring.services import identity_match_propose

from .conftest import CN_STATION, RU_STATION

pytestmark = pytest.mark.django_db
ADD = "/admin/monitoring/identitymatch/add/"


def change_url(match):
    return reverse("admin:monitoring_identitymatch_change", args=[match.pk])


def decide_url(match, step):
    return reverse("admin:monitoring_identitymatch_decide", args=[match.pk, step])


def proposal(tumen, **changes):
    return {
        "individual_a": tumen.g1.pk,
        "individual_b": tumen.l2.pk,
        "evidence_kind": "genotype",
        "evidence_note": "Hair at CN-01 has G1's genotype.",
        "media_a": "",
        "media_b": "",
        **changes,
    }


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_proposed_in_the_admin_and_confirmed_by_another(tumen, alice, boris, client):
    client.force_login(alice)
    response = client.post(ADD, proposal(tumen))
    assert response.status_code == 302, response.content.decode()[:3000]
    match = IdentityMatch.objects.get()
    assert (match.individual_a, match.individual_b, match.proposed_by) == (
        tumen.l2,
        tumen.g1,
        alice,
    )

    # The proposer sees no buttons, and a decision posted anyway is refused with a reason.
    page = client.get(change_url(match)).content.decode()
    assert "You proposed this match" in page
    assert decide_url(match, "confirm") not in page
    refused = client.post(decide_url(match, "confirm"), {"note": ""}, follow=True)
    assert "another staff member must confirm or reject it" in messages_of(refused)
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED

    client.force_login(boris)
    page = client.get(change_url(match)).content.decode()
    assert decide_url(match, "confirm") in page and decide_url(match, "reject") in page
    assert client.get(decide_url(match, "confirm")).status_code == 200
    done = client.post(decide_url(match, "confirm"), {"note": "Same genotype."}, follow=True)
    assert "done" in messages_of(done)
    match.refresh_from_db()
    assert (match.status, match.decided_by) == (MatchStatus.CONFIRMED, boris)
    tumen.l2.refresh_from_db()
    assert tumen.l2.identity is not None
    history = client.get(reverse("admin:monitoring_identitymatch_history", args=[match.pk]))
    assert "Proposed by Alice" in history.content.decode()
    assert "Confirmed by Boris" in history.content.decode()


def test_a_rejected_pair_proposed_again_is_refused_in_the_form(tumen, alice, boris, client):
    match = identity_match_propose(
        user=alice, individual=tumen.l2, other=tumen.g1, evidence_kind="note", evidence_note="?"
    )
    client.force_login(boris)
    no_reason = client.post(decide_url(match, "reject"), {"note": ""})
    assert "Say why the match is rejected." in no_reason.content.decode()
    client.post(decide_url(match, "reject"), {"note": "Different tail pattern."})
    match.refresh_from_db()
    assert match.status == MatchStatus.REJECTED

    client.force_login(alice)
    again = client.post(ADD, proposal(tumen))
    assert again.status_code == 200
    assert f"rejected by Boris on {match.decided_at:%Y-%m-%d %H:%M}" in again.content.decode()
    assert IdentityMatch.objects.count() == 1
    page = client.get(change_url(match)).content.decode()
    assert decide_url(match, "reopen") in page


def test_a_photo_pair_needs_photos_of_the_two_individuals(tumen, alice, client):
    client.force_login(alice)
    response = client.post(
        ADD,
        proposal(tumen, evidence_kind="photo_pair", media_a="IMG-L2-0601", media_b="IMG-X"),
    )
    # IMG-L2-0601 shows L2, not G1 (the first individual here).
    assert "No media “IMG-L2-0601” shows G1" in response.content.decode()
    assert not IdentityMatch.objects.exists()


def test_the_individuals_list_shows_detections_and_countries(tumen, alice, client):
    client.force_login(alice)
    page = client.get("/admin/monitoring/individual/").content.decode()
    assert "CHN (2), RUS (1)" in page  # L1
    assert "March 1, 2015" in page and "April 5, 2015" in page  # L1's first and last
    index = client.get("/admin/").content.decode()
    assert "Camera traps, genetic samples and individuals" in index


def test_focal_points_see_their_countries_individuals_and_pick_any_other(
    tumen, russia_focal_point, client
):
    client.force_login(russia_focal_point)
    page = client.get("/admin/monitoring/individual/").content.decode()
    listed = {code for code in ("L1", "L2", "L3", "G1") if f">{code}<" in page}
    assert listed == {"L1", "L3", "G1"}  # seen in Russia; L2 only in China

    def autocomplete(field):
        response = client.get(
            "/admin/autocomplete/",
            {
                "app_label": "monitoring",
                "model_name": "identitymatch",
                "field_name": field,
                "term": "L2",
            },
        )
        return [item["text"] for item in response.json()["results"]]

    assert autocomplete("individual_a") == []
    assert autocomplete("individual_b") == ["L2 (Tumen camera network)"]
    response = client.post(ADD, proposal(tumen))
    assert response.status_code == 302
    assert IdentityMatch.objects.get().proposed_by == russia_focal_point


def test_the_movement_map_shows_exact_points_only_to_whom_may_see_them(
    tumen, alice, russia_focal_point, client
):
    url = reverse("admin:monitoring_individual_movement_map")
    client.force_login(alice)
    page = client.get(url).content.decode()
    assert f"{CN_STATION[0]}" in page and f"{RU_STATION[0]}" in page
    assert "L1 (Tumen camera network)" in page

    # Russia's focal point: Russia's points exact, China's on the grid.
    client.force_login(russia_focal_point)
    page = client.get(url).content.decode()
    assert f"{RU_STATION[0]}" in page
    assert f"{CN_STATION[0]}" not in page and f"{CN_STATION[1]}" not in page
    assert "L1 (Tumen camera network)" in page


def test_the_pages_of_an_individual_an_identity_and_a_new_proposal(tumen, alice, boris, client):
    match = identity_match_propose(
        user=alice, individual=tumen.l2, other=tumen.g1, evidence_kind="note", evidence_note="!"
    )
    from monitoring.services import identity_match_confirm  # noqa: PLC0415

    identity_match_confirm(user=boris, match=match)
    tumen.l2.refresh_from_db()
    client.force_login(alice)
    page = client.get(reverse("admin:monitoring_individual_change", args=[tumen.l1.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Camera detections" in html and "CN-01" in html and "RU-01" in html
    assert f"{ADD}?individual_a={tumen.l1.pk}" in html
    identity = tumen.l2.identity
    page = client.get(reverse("admin:monitoring_crossborderidentity_change", args=[identity.pk]))
    assert page.status_code == 200
    assert "CHN: " in page.content.decode() and "RUS: " in page.content.decode()
    assert client.get(f"{ADD}?individual_a={tumen.l1.pk}").status_code == 200
    assert client.get("/admin/monitoring/crossborderidentity/").status_code == 200
    assert client.get("/admin/monitoring/identitymatch/").status_code == 200
    # Neither an individual nor a match is deleted here: a rejection must not vanish.
    for name, pk in (("individual", tumen.l1.pk), ("identitymatch", match.pk)):
        assert client.get(reverse(f"admin:monitoring_{name}_delete", args=[pk])).status_code == 403


def test_the_movement_map_is_refused_without_the_exact_points_permission(
    tumen, roles, django_user_model, client
):
    from django.contrib.auth.models import Group  # noqa: PLC0415

    from governance.services import REVIEWER  # noqa: PLC0415

    reviewer = django_user_model.objects.create_user("rev", "rev@example.org", "pw", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=REVIEWER))
    client.force_login(reviewer)
    url = reverse("admin:monitoring_individual_movement_map")
    assert client.get(url).status_code == 403
    assert "Map of animals" not in client.get("/admin/monitoring/individual/").content.decode()


def test_a_focal_point_cannot_propose_for_another_countrys_pair(
    tumen, russia_focal_point, mongolia_focal, client
):
    client.force_login(mongolia_focal)
    response = client.post(ADD, proposal(tumen))
    assert response.status_code == 200  # the form again, with the reason
    assert "Select a valid choice" in response.content.decode()
    client.force_login(russia_focal_point)
    # L2 (China only) as its own side: not one of its individuals.
    response = client.post(ADD, proposal(tumen, individual_a=tumen.l2.pk, individual_b=tumen.g1.pk))
    assert "Select a valid choice" in response.content.decode()
    assert not IdentityMatch.objects.exists()
