"""Writes with rules: proposing that two datasets' individuals are one animal, confirming or
rejecting it (another staff member), reopening a rejected proposal, and the cross-border
identities that confirmed matches form.

Every step is saved with its user and a change reason, so the match's history reads as the
workflow: proposed by X, confirmed by Y, with the times. A pair has one row for good: a
rejected pair is refused when proposed again (naming who rejected it and when) and comes
back only through `identity_match_reopen`, with a note.

Focal points propose for the individuals detected in their countries: one side of the pair
must be theirs, the other may be any individual of the same species in another dataset,
which they pick by code and dataset only (its detections stay out of their sight).

Over 400 lines on purpose: the proposal's checks, the decisions and the identities they
form are one workflow, whose rules read best together."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from governance.selectors import records_visible_to

from .models import (
    CrossBorderIdentity,
    EvidenceKind,
    IdentityMatch,
    Individual,
    MatchStatus,
    Media,
)

PROPOSE_PERMISSION = "monitoring.add_identitymatch"
DECIDE_PERMISSION = "monitoring.change_identitymatch"
LABEL_LENGTH = CrossBorderIdentity._meta.get_field("label").max_length
REASON_LENGTH = 100  # simple_history's history_change_reason


def _reason(text: str) -> str:
    return Truncator(text).chars(REASON_LENGTH)


def _who(user) -> str:
    return user.get_full_name() or user.get_username()


def _in_scope(user, individual: Individual) -> bool:
    return records_visible_to(user, Individual.objects.filter(pk=individual.pk)).exists()


def identity_match_check_proposal(
    *,
    user,
    individual: Individual,
    other: Individual,
    evidence_kind: str,
    evidence_note: str = "",
    media: Media | None = None,
    other_media: Media | None = None,
) -> None:
    """Raise a ValidationError (by field) or PermissionDenied if this proposal may not be
    made; the admin's form calls it to show the reasons beside the fields."""
    if not user.has_perm(PROPOSE_PERMISSION):
        raise PermissionDenied(_("You do not have permission to propose identity matches."))
    if not (_in_scope(user, individual) or _in_scope(user, other)):
        raise PermissionDenied(
            _(
                "Neither individual was detected in your countries: propose matches for "
                "your countries' individuals."
            )
        )
    if individual.pk == other.pk:
        raise ValidationError({"individual_b": _("Pick an individual other than the first.")})
    if individual.species_id != other.species_id:
        raise ValidationError(
            {
                "individual_b": _(
                    "%(other)s is a %(other_species)s, %(individual)s a %(species)s: only "
                    "individuals of one species can be one animal."
                )
                % {
                    "other": other.code,
                    "other_species": other.species.common_name,
                    "individual": individual.code,
                    "species": individual.species.common_name,
                }
            }
        )
    if individual.dataset_id == other.dataset_id:
        raise ValidationError(
            {
                "individual_b": _(
                    "Both individuals are of the dataset “%(dataset)s”, whose codes name "
                    "different animals. Pick an individual of another dataset."
                )
                % {"dataset": individual.dataset}
            }
        )
    identity_of = dict(
        Individual.objects.filter(pk__in=[individual.pk, other.pk]).values_list("pk", "identity_id")
    )
    if identity_of[individual.pk] and identity_of[individual.pk] == identity_of[other.pk]:
        raise ValidationError(
            _("%(a)s and %(b)s are already one animal: %(identity)s.")
            % {
                "a": individual.code,
                "b": other.code,
                "identity": CrossBorderIdentity.objects.get(pk=identity_of[other.pk]),
            }
        )
    _check_evidence(evidence_kind, evidence_note, (individual, media), (other, other_media))
    low, high = sorted((individual, other), key=lambda i: i.pk)
    existing = (
        IdentityMatch.objects.filter(individual_a=low, individual_b=high)
        .select_related("proposed_by", "decided_by")
        .first()
    )
    if existing is not None:
        raise ValidationError(_existing_pair_message(existing))


def _check_evidence(kind: str, note: str, *sides: tuple[Individual, Media | None]) -> None:
    if kind not in EvidenceKind.values:
        raise ValidationError({"evidence_kind": _("Choose the kind of evidence.")})
    if kind == EvidenceKind.PHOTO_PAIR:
        for field_name, (individual, media) in zip(("media_a", "media_b"), sides, strict=True):
            if media is None:
                raise ValidationError(
                    {
                        field_name: _(
                            "A photo pair needs a photo of each individual: give the media "
                            "ID of a photo of %(code)s."
                        )
                        % {"code": individual.code}
                    }
                )
            if not media.observations.filter(individual=individual).exists():
                raise ValidationError(
                    {
                        field_name: _(
                            "Media %(media)s shows no observation of %(code)s: give a photo "
                            "of that individual."
                        )
                        % {"media": media.media_id, "code": individual.code}
                    }
                )
    elif not note.strip():
        raise ValidationError(
            {
                "evidence_note": _(
                    "Say what the evidence is: for a genotype match, the genotypes and the "
                    "laboratory; otherwise what shows that they are one animal."
                )
            }
        )


def _existing_pair_message(match: IdentityMatch) -> str:
    values = {
        "proposer": _who(match.proposed_by),
        "proposed": f"{match.proposed_at:%Y-%m-%d %H:%M}",
    }
    if match.status == MatchStatus.REJECTED:
        return _(
            "This pair was rejected by %(decider)s on %(decided)s%(note)s. It cannot be "
            "proposed again; to look at it again, open the rejected match and reopen it "
            "with a note saying what is new."
        ) % {
            "decider": _who(match.decided_by),
            "decided": f"{match.decided_at:%Y-%m-%d %H:%M}",
            "note": f" (“{match.decision_note}”)" if match.decision_note else "",
        }
    if match.status == MatchStatus.CONFIRMED:
        return _(
            "This pair is already confirmed as one animal (by %(decider)s on %(decided)s)."
        ) % {"decider": _who(match.decided_by), "decided": f"{match.decided_at:%Y-%m-%d %H:%M}"}
    return (
        _("This pair was already proposed by %(proposer)s on %(proposed)s and awaits a decision.")
        % values
    )


@transaction.atomic
def identity_match_propose(
    *,
    user,
    individual: Individual,
    other: Individual,
    evidence_kind: str,
    evidence_note: str = "",
    media: Media | None = None,
    other_media: Media | None = None,
) -> IdentityMatch:
    """Propose that two individuals of different datasets are one animal. The pair is stored
    lowest id first, with its photos in the same order."""
    identity_match_check_proposal(
        user=user,
        individual=individual,
        other=other,
        evidence_kind=evidence_kind,
        evidence_note=evidence_note,
        media=media,
        other_media=other_media,
    )
    if evidence_kind != EvidenceKind.PHOTO_PAIR:
        media = other_media = None
    if individual.pk > other.pk:
        individual, other, media, other_media = other, individual, other_media, media
    match = IdentityMatch(
        individual_a=individual,
        individual_b=other,
        evidence_kind=evidence_kind,
        evidence_note=evidence_note.strip(),
        evidence_media_a=media,
        evidence_media_b=other_media,
        proposed_by=user,
        proposed_at=timezone.now(),
    )
    match.full_clean()
    match._history_user = user
    match._change_reason = _reason(_("Proposed by %(user)s") % {"user": _who(user)})
    try:
        # A savepoint: the same pair proposed at the same moment by two people fails here.
        with transaction.atomic():
            match.save()
    except IntegrityError as error:
        raise ValidationError(
            _("This pair was proposed by someone else a moment ago; reload the page.")
        ) from error
    return match


def _locked_for_decision(*, user, match: IdentityMatch, status: str) -> IdentityMatch:
    if not user.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied(_("You do not have permission to decide identity matches."))
    if not records_visible_to(user, IdentityMatch.objects.filter(pk=match.pk)).exists():
        raise PermissionDenied(
            _("Neither individual of this match was detected in your countries.")
        )
    locked = (
        IdentityMatch.objects.select_for_update(of=("self",))
        .select_related("proposed_by", "decided_by", "individual_a", "individual_b")
        .get(pk=match.pk)
    )
    if locked.proposed_by_id == user.pk:
        raise PermissionDenied(
            _(
                "You proposed this match, so another staff member must confirm or reject "
                "it: a second pair of eyes is the rule."
            )
        )
    if locked.status != status:
        raise ValidationError(
            _("This match is %(status)s (by %(user)s on %(at)s); nothing was changed.")
            % {
                "status": locked.get_status_display().lower(),
                "user": _who(locked.decided_by) if locked.decided_by else _who(locked.proposed_by),
                "at": f"{(locked.decided_at or locked.proposed_at):%Y-%m-%d %H:%M}",
            }
        )
    return locked


def _decide(*, user, match: IdentityMatch, status: str, note: str, reason: str) -> IdentityMatch:
    locked = _locked_for_decision(user=user, match=match, status=MatchStatus.PROPOSED)
    locked.status = status
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.full_clean()
    locked._history_user = user
    locked._change_reason = _reason(reason % {"user": _who(user)})
    locked.save()
    return locked


@transaction.atomic
def identity_match_confirm(*, user, match: IdentityMatch, note: str = "") -> IdentityMatch:
    """Confirm a proposal made by someone else: the two individuals become (or join) one
    cross-border identity; two identities that the match joins are merged into one."""
    locked = _decide(
        user=user,
        match=match,
        status=MatchStatus.CONFIRMED,
        note=note,
        reason=_("Confirmed by %(user)s"),
    )
    identity_join(user=user, individuals=[locked.individual_a, locked.individual_b], match=locked)
    return locked


@transaction.atomic
def identity_match_reject(*, user, match: IdentityMatch, note: str) -> IdentityMatch:
    """Reject a proposal made by someone else, saying why; the pair cannot be proposed
    again, only reopened."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the match is rejected.")})
    return _decide(
        user=user,
        match=match,
        status=MatchStatus.REJECTED,
        note=note,
        reason=_("Rejected by %(user)s"),
    )


@transaction.atomic
def identity_match_reopen(*, user, match: IdentityMatch, note: str) -> IdentityMatch:
    """Put a rejected pair up for a decision again, on purpose and with a note (new photos,
    a new genotype). The one who reopens it becomes its proposer, so someone else decides;
    the rejection stays in the history."""
    if not note.strip():
        raise ValidationError({"note": _("Say what is new, to reopen a rejected match.")})
    if not user.has_perm(PROPOSE_PERMISSION):
        raise PermissionDenied(_("You do not have permission to propose identity matches."))
    if not records_visible_to(user, IdentityMatch.objects.filter(pk=match.pk)).exists():
        raise PermissionDenied(
            _("Neither individual of this match was detected in your countries.")
        )
    locked = IdentityMatch.objects.select_for_update().get(pk=match.pk)
    if locked.status != MatchStatus.REJECTED:
        raise ValidationError(_("Only a rejected match can be reopened."))
    now = timezone.now()
    rejection = _(
        "Rejected by %(decider)s on %(decided)s%(why)s. Reopened by %(user)s on %(now)s: %(note)s"
    ) % {
        "decider": _who(locked.decided_by),
        "decided": f"{locked.decided_at:%Y-%m-%d %H:%M}",
        "why": f" (“{locked.decision_note}”)" if locked.decision_note else "",
        "user": _who(user),
        "now": f"{now:%Y-%m-%d %H:%M}",
        "note": note.strip(),
    }
    locked.evidence_note = "\n\n".join(part for part in (locked.evidence_note, rejection) if part)
    locked.status = MatchStatus.PROPOSED
    locked.proposed_by = user
    locked.proposed_at = now
    locked.decided_by = None
    locked.decided_at = None
    locked.decision_note = ""
    locked.full_clean()
    locked._history_user = user
    locked._change_reason = _reason(_("Reopened by %(user)s") % {"user": _who(user)})
    locked.save()
    return locked


def identity_label(identity: CrossBorderIdentity) -> str:
    """“Amur leopard: CN-M12 (China camera network) = RU-L7 (Land of the Leopard)”."""
    members = identity.individuals.select_related("dataset", "species").order_by(
        "dataset__title", "code"
    )
    parts = [f"{m.code} ({Truncator(m.dataset.title).chars(40)})" for m in members]
    return Truncator(f"{identity.species.common_name}: {' = '.join(parts)}").chars(LABEL_LENGTH)


def identity_join(*, user, individuals: list[Individual], match: IdentityMatch) -> None:
    """Make these individuals one cross-border identity: a new one, the one some of them
    already have, or — when they have two — the older one, into which the other is merged
    (its individuals move, it is deleted; the history of both says so). Refuses a join that
    would make two individuals of one dataset one animal: a dataset's codes are distinct."""
    pks = [individual.pk for individual in individuals]
    identity_ids = sorted(
        set(
            Individual.objects.filter(pk__in=pks, identity__isnull=False).values_list(
                "identity_id", flat=True
            )
        )
    )
    members = list(
        Individual.objects.select_for_update()
        .filter(Q(pk__in=pks) | Q(identity_id__in=identity_ids))
        .select_related("dataset")
        .order_by("pk")
    )
    by_dataset: dict[int, Individual] = {}
    for member in members:
        seen = by_dataset.setdefault(member.dataset_id, member)
        if seen.pk != member.pk:
            raise ValidationError(
                _(
                    "Confirming this match would make %(a)s and %(b)s, two individuals of "
                    "the dataset “%(dataset)s”, one animal. Check the other matches of "
                    "their identities first."
                )
                % {"a": seen.code, "b": member.code, "dataset": member.dataset}
            )
    reason = _reason(_("Match #%(match)s confirmed") % {"match": match.pk})
    if identity_ids:
        identity = CrossBorderIdentity.objects.select_for_update().get(pk=identity_ids[0])
    else:
        identity = CrossBorderIdentity(species_id=members[0].species_id, label="…")
        identity.full_clean()
        identity._history_user = user
        identity._change_reason = reason
        identity.save()
    for member in members:
        if member.identity_id != identity.pk:
            member.identity = identity
            member._history_user = user
            member._change_reason = reason
            member.save(update_fields=["identity", "updated"])
    for merged in CrossBorderIdentity.objects.filter(pk__in=identity_ids[1:]):
        merged._history_user = user
        merged._change_reason = _reason(
            _("Merged into %(identity)s by match #%(match)s")
            % {"identity": identity.pk, "match": match.pk}
        )
        merged.delete()
    identity.label = identity_label(identity)
    identity.full_clean()
    identity._history_user = user
    identity._change_reason = reason
    identity.save()
