"""Cross-border identity matches: one staff member proposes, another decides; a rejected
pair does not come back silently; confirmed matches form (and merge) identities; focal
points act for their countries' individuals only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from monitoring.models import CrossBorderIdentity, IdentityMatch, MatchStatus
from monitoring.services import (
    identity_match_confirm,
    identity_match_propose,
    identity_match_reject,
    identity_match_reopen,
)

from .factories import IndividualFactory

pytestmark = pytest.mark.django_db


def propose(user, individual, other, **kwargs):
    kwargs.setdefault("evidence_kind", "genotype")
    kwargs.setdefault("evidence_note", "Same microsatellite genotype at 12 loci.")
    return identity_match_propose(user=user, individual=individual, other=other, **kwargs)


def test_a_match_proposed_by_one_and_confirmed_by_another_forms_an_identity(tumen, alice, boris):
    match = propose(alice, tumen.g1, tumen.l2)
    # Stored lowest id first, whichever way it was proposed.
    assert (match.individual_a, match.individual_b) == (tumen.l2, tumen.g1)
    assert match.status == MatchStatus.PROPOSED and match.proposed_by == alice

    identity_match_confirm(user=boris, match=match, note="Agreed.")

    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED
    assert match.decided_by == boris and match.decided_at >= match.proposed_at
    tumen.l2.refresh_from_db()
    tumen.g1.refresh_from_db()
    assert tumen.l2.identity == tumen.g1.identity is not None
    assert tumen.l2.identity.label == (
        "Amur leopard: L2 (Tumen camera network) = G1 (Tumen scat genotypes)"
    )
    # The history tells the workflow: who, what, when.
    steps = list(match.history.order_by("history_date"))
    assert [(s.status, s.history_user, s.history_change_reason) for s in steps] == [
        ("proposed", alice, "Proposed by Alice"),
        ("confirmed", boris, "Confirmed by Boris"),
    ]
    assert tumen.l2.history.first().history_user == boris


def test_the_proposer_cannot_decide_and_is_told_why(tumen, alice):
    match = propose(alice, tumen.l2, tumen.g1)
    for decide in (identity_match_confirm, identity_match_reject):
        with pytest.raises(PermissionDenied, match="another staff member must confirm"):
            decide(user=alice, match=match, note="It is him.")
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED and match.decided_by is None


def test_a_rejected_pair_cannot_be_proposed_again_only_reopened(tumen, alice, boris):
    match = propose(alice, tumen.l2, tumen.g1)
    identity_match_reject(user=boris, match=match, note="Different rosettes on the flank.")

    with pytest.raises(ValidationError) as refused:
        propose(alice, tumen.g1, tumen.l2)
    message = " ".join(refused.value.messages)
    match.refresh_from_db()
    assert "rejected by Boris on " + f"{match.decided_at:%Y-%m-%d %H:%M}" in message
    assert "Different rosettes on the flank." in message
    assert IdentityMatch.objects.count() == 1

    with pytest.raises(ValidationError, match="Say what is new"):
        identity_match_reopen(user=alice, match=match, note=" ")
    reopened = identity_match_reopen(user=alice, match=match, note="New photo of the right flank.")
    assert reopened.status == MatchStatus.PROPOSED and reopened.proposed_by == alice
    assert "Rejected by Boris" in reopened.evidence_note
    assert "New photo of the right flank." in reopened.evidence_note
    reasons = list(
        match.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["Proposed by Alice", "Rejected by Boris", "Reopened by Alice"]
    # The one who reopened it is now its proposer: the other decides.
    with pytest.raises(PermissionDenied):
        identity_match_confirm(user=alice, match=reopened)
    identity_match_confirm(user=boris, match=reopened)


def test_a_rejection_needs_a_reason(tumen, alice, boris):
    match = propose(alice, tumen.l2, tumen.g1)
    with pytest.raises(ValidationError, match="Say why"):
        identity_match_reject(user=boris, match=match, note="")


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("same dataset", "Pick an individual of another dataset"),
        ("other species", "only individuals of one species can be one animal"),
        ("photo without media", "A photo pair needs a photo of each individual"),
        ("note missing", "Say what the evidence is"),
    ],
)
def test_proposals_that_make_no_sense_are_refused(tumen, alice, case, message):
    other, kwargs = tumen.g1, {}
    if case == "same dataset":
        other = tumen.l1
    elif case == "other species":
        other = IndividualFactory(dataset=tumen.scats, code="T9")  # another species
    elif case == "photo without media":
        kwargs = {"evidence_kind": "photo_pair", "media": tumen.photo_l2}
    else:
        kwargs = {"evidence_note": ""}
    with pytest.raises(ValidationError, match=message):
        propose(alice, tumen.l2, other, **kwargs)
    assert not IdentityMatch.objects.exists()


def test_confirmed_matches_merge_identities(tumen, alice, boris):
    third = IndividualFactory(dataset=tumen.draft, species=tumen.leopard, code="X5")
    fourth = IndividualFactory(species=tumen.leopard, code="Y7")
    identity_match_confirm(user=boris, match=propose(alice, tumen.l2, tumen.g1))
    identity_match_confirm(user=boris, match=propose(alice, third, fourth))
    assert CrossBorderIdentity.objects.count() == 2
    kept = min(CrossBorderIdentity.objects.values_list("pk", flat=True))

    identity_match_confirm(user=alice, match=propose(boris, tumen.g1, fourth))

    identity = CrossBorderIdentity.objects.get()
    assert identity.pk == kept
    assert sorted(identity.individuals.values_list("code", flat=True)) == ["G1", "L2", "X5", "Y7"]
    merged = CrossBorderIdentity.history.filter(history_type="-").get()
    assert merged.history_change_reason.startswith(f"Merged into {kept}")


def test_a_merge_that_would_join_two_individuals_of_one_dataset_is_refused(tumen, alice, boris):
    identity_match_confirm(user=boris, match=propose(alice, tumen.l2, tumen.g1))
    match = propose(alice, tumen.l1, tumen.g1)
    with pytest.raises(ValidationError, match="two individuals of the dataset"):
        identity_match_confirm(user=boris, match=match)
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED  # rolled back with the refused merge


def test_a_pair_already_one_animal_is_not_proposed(tumen, alice, boris):
    identity_match_confirm(user=boris, match=propose(alice, tumen.l2, tumen.g1))
    with pytest.raises(ValidationError, match="already one animal"):
        propose(boris, tumen.g1, tumen.l2)


def test_focal_points_propose_for_their_countries_individuals(
    tumen, russia_focal_point, mongolia_focal, alice
):
    # G1 was sampled in Russia: the Russian focal point proposes it with China's L2,
    # which it may pick although L2 was never seen in Russia.
    match = propose(russia_focal_point, tumen.g1, tumen.l2)
    # Mongolia's focal point has no individual here: it can neither propose nor decide.
    with pytest.raises(PermissionDenied, match="Neither individual"):
        propose(mongolia_focal, tumen.l1, tumen.l2)
    with pytest.raises(PermissionDenied, match="Neither individual"):
        identity_match_confirm(user=mongolia_focal, match=match)
    # Nor may the Russian focal point propose for two Chinese individuals.
    with pytest.raises(PermissionDenied, match="Neither individual"):
        propose(russia_focal_point, tumen.l2, IndividualFactory(species=tumen.leopard))
    identity_match_confirm(user=alice, match=match)
