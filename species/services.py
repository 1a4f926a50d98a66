"""Writes of the records focal points add (population estimates and occurrences) from
outside the admin, e.g. the REST API, under the admin's rules: the user's add permission,
the model's full validation, and the user's countries (governance), checked after the
save inside the same transaction so that a refusal leaves nothing behind. A new record is
a draft, whatever the caller asked for; it is published through the workflow."""

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from common.models import PublicationState
from governance.services import record_assert_in_scope

from .models import Occurrence, PopulationEstimate

Record = TypeVar("Record", bound=Model)


def _record_create(*, user, record: Record, reason: str) -> Record:
    meta = record._meta
    if not (user.is_active and user.has_perm(f"{meta.app_label}.add_{meta.model_name}")):
        raise PermissionDenied(
            _("You do not have permission to add %(records)s.")
            % {"records": meta.verbose_name_plural}
        )
    record.publication_state = PublicationState.DRAFT
    record.full_clean()
    # Change history names the user, whatever request (if any) carried the write.
    record._history_user = user
    record._change_reason = reason
    record.save()
    record_assert_in_scope(user=user, instance=record)
    return record


@transaction.atomic
def occurrence_create(*, user, values: dict[str, Any], reason: str = "") -> Occurrence:
    """A new occurrence (a draft) with these field values, written as `user`."""
    return _record_create(user=user, record=Occurrence(**values), reason=reason)


@transaction.atomic
def population_estimate_create(
    *, user, values: dict[str, Any], reason: str = ""
) -> PopulationEstimate:
    """A new population estimate (a draft) with these field values, written as `user`."""
    return _record_create(user=user, record=PopulationEstimate(**values), reason=reason)
