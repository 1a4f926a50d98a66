"""Writes with governance rules: roles, country assignments, publication transitions."""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from common.models import PublicationState
from governance.signals import publication_changed

from .models import (
    CountryAssignment,
    PublicationAction,
    PublicationEvent,
    TranslationOrigin,
)
from .selectors import record_in_scope, records_editable_by, records_visible_to

SECRETARIAT_EDITOR = "Secretariat editor"
COUNTRY_FOCAL_POINT = "Country focal point"
REVIEWER = "Reviewer"

DOMAIN_APPS = ("protected_areas", "species", "projects", "meetings", "programme", "monitoring")
# What a country's camera-trap and genetic-sample imports write (imports/formats/), and
# the identity matches: focal points propose matches for their countries' individuals, and
# decide those proposed by others (monitoring.services: never their own).
MONITORING_EDITS = (
    "monitoringdataset", "camerastation", "media", "cameraobservation", "geneticsample",
    "individual", "identitymatch",
)  # fmt: skip
# What a focal point edits (within its countries); the rest of the domain it only views.
FOCAL_POINT_EDITS = {
    "protected_areas": ("protectedarea", "transboundarylink"),
    "species": ("populationestimate", "occurrence", "speciespresence", "countseries", "sitecount"),
    "projects": ("project", "output"),
    "meetings": ("decision",),
    "monitoring": MONITORING_EDITS,
}


def _codenames(app_label: str, model: str, actions: Iterable[str]) -> list[tuple[str, str]]:
    return [(app_label, f"{action}_{model}") for action in actions]


def _role_permissions(using: str) -> dict[str, list[tuple[str, str]]]:
    secretariat, focal_point, reviewer = [], [], []
    for app_label in DOMAIN_APPS:
        for content_type in ContentType.objects.db_manager(using).filter(app_label=app_label):
            model = content_type.model
            if model.startswith("historical"):
                # Change history is read and reverted through its record's admin, under
                # the record's own permissions; nobody edits history rows themselves.
                continue
            secretariat += _codenames(app_label, model, ("add", "change", "delete", "view"))
            reviewer += _codenames(app_label, model, ("view",))
            if model in FOCAL_POINT_EDITS.get(app_label, ()):
                focal_point += _codenames(app_label, model, ("add", "change", "view"))
            else:
                focal_point += _codenames(app_label, model, ("view",))
    governance = "governance"
    secretariat += [
        (governance, codename)
        for codename in (
            "edit_all_countries",
            "view_all_countries",
            "submit_records",
            "publish_records",
            "comment_on_records",
            "restore_records",
            "add_countryassignment",
            "change_countryassignment",
            "delete_countryassignment",
            "view_countryassignment",
            "view_publicationevent",
            "view_accesslogentry",
            "view_translationstatus",
            "change_translationstatus",
            "review_translations",
        )
    ]
    # Imports (the imports app, named by its label): the Secretariat and focal points upload
    # files, whose rows are then held to the same permissions and countries as edits.
    secretariat += _codenames("imports", "import", ("add", "view"))
    focal_point += _codenames("imports", "import", ("add", "view"))
    secretariat += _codenames("auth", "user", ("add", "change", "view"))
    secretariat += _codenames("auth", "group", ("view",))
    # Exact points of sensitive species: the Secretariat's everywhere, a focal point's in its
    # own countries (species.models.exact_location_countries); reviewers see them generalised.
    secretariat += [("species", "view_exact_location")]
    focal_point += [(governance, "submit_records"), ("species", "view_exact_location")]
    reviewer += [
        (governance, "view_all_countries"),
        (governance, "comment_on_records"),
        (governance, "view_publicationevent"),
        (governance, "view_translationstatus"),
        (governance, "review_translations"),
    ]
    return {SECRETARIAT_EDITOR: secretariat, COUNTRY_FOCAL_POINT: focal_point, REVIEWER: reviewer}


def roles_setup(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Create or refresh the three role groups so that each holds exactly its permissions.
    Safe to run again (it is run after every migration, in the database migrated);
    returns permissions per role."""
    counts = {}
    with transaction.atomic(using=using):
        for name, codenames in _role_permissions(using).items():
            permissions = []
            for app_label, codename in codenames:
                try:
                    permissions.append(
                        Permission.objects.db_manager(using).get(
                            content_type__app_label=app_label, codename=codename
                        )
                    )
                except Permission.DoesNotExist as exc:
                    raise ValidationError(
                        f"Permission {app_label}.{codename} is missing; run `migrate` first."
                    ) from exc
            group, _created = Group.objects.db_manager(using).get_or_create(name=name)
            group.permissions.set(permissions)
            counts[name] = len(permissions)
    return counts


@transaction.atomic
def focal_point_assign(*, user, countries: Iterable[Model]) -> None:
    """Make `user` the focal point of exactly these member states (staff, in the group)."""
    countries = list(countries)
    not_members = [country.name for country in countries if not country.is_member]
    if not_members:
        raise ValidationError(
            {
                "country": _("Only member states have focal points, not %(names)s.")
                % {"names": ", ".join(not_members)}
            }
        )
    group, _created = Group.objects.get_or_create(name=COUNTRY_FOCAL_POINT)
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.full_clean()
        user.save(update_fields=["is_staff"])
    user.country_assignments.exclude(country__in=countries).delete()
    for country in countries:
        CountryAssignment.objects.get_or_create(user=user, country=country)
    if hasattr(user, "_country_ids_cache"):
        del user._country_ids_cache


def record_assert_in_scope(*, user, instance: Model) -> None:
    """Refuse a write that leaves a record outside the user's countries. Call it after the
    record (and its many-to-many members) are saved, inside the same transaction, so the
    refusal rolls the write back."""
    if not record_in_scope(user, instance):
        raise PermissionDenied(
            _("%(record)s is not a record of your countries; you cannot change it.")
            % {"record": instance}
        )


# -- Publication workflow -------------------------------------------------------------------

# action → (states it starts from, state it leads to, permission it needs; "{model}" stands
# for the record's app label and model name)
TRANSITIONS = {
    PublicationAction.SUBMITTED: (
        (PublicationState.DRAFT,),
        PublicationState.IN_REVIEW,
        "governance.submit_records",
    ),
    PublicationAction.PUBLISHED: (
        (PublicationState.DRAFT, PublicationState.IN_REVIEW, PublicationState.ARCHIVED),
        PublicationState.PUBLISHED,
        "governance.publish_records",
    ),
    PublicationAction.RETURNED: (
        (PublicationState.IN_REVIEW, PublicationState.PUBLISHED, PublicationState.ARCHIVED),
        PublicationState.DRAFT,
        "governance.publish_records",
    ),
    PublicationAction.ARCHIVED: (
        (PublicationState.PUBLISHED,),
        PublicationState.ARCHIVED,
        "governance.publish_records",
    ),
    PublicationAction.DELETED: (
        (PublicationState.PUBLISHED,),
        PublicationState.DELETED,
        "{app_label}.delete_{model_name}",
    ),
    PublicationAction.RESTORED: (
        (PublicationState.DELETED,),
        PublicationState.PUBLISHED,
        "governance.restore_records",
    ),
}


def _assert_may_write(*, user, model, pks: set, permission: str, refusal: str) -> None:
    """Refuse (nothing changed) unless the user holds `permission` and the model's change
    permission, and every record is one of its countries."""
    change_permission = f"{model._meta.app_label}.change_{model._meta.model_name}"
    if not (user.has_perm(permission) and user.has_perm(change_permission)):
        raise PermissionDenied(refusal)
    allowed = set(
        records_editable_by(user, model._base_manager.filter(pk__in=pks)).values_list(
            "pk", flat=True
        )
    )
    if pks - allowed:
        raise PermissionDenied(
            _(
                "%(n)d of the selected records are not records of your countries; nothing "
                "was changed."
            )
            % {"n": len(pks - allowed)}
        )


def _transition(*, user, queryset: QuerySet, action: PublicationAction, comment: str) -> int:
    sources, target, permission = TRANSITIONS[action]
    model = queryset.model
    selected = set(queryset.values_list("pk", flat=True))
    _assert_may_write(
        user=user,
        model=model,
        pks=selected,
        permission=permission.format(
            app_label=model._meta.app_label, model_name=model._meta.model_name
        ),
        refusal=_("You do not have permission to mark records as “%(state)s”.")
        % {"state": target.label},
    )
    # Lock the rows before reading their states, so two editors acting at once cannot both
    # move the same record (or log a step that did not happen).
    records = list(
        model._base_manager.select_for_update()
        .filter(pk__in=selected, publication_state__in=sources)
        .order_by("pk")
    )
    previous = {record.pk: record.publication_state for record in records}
    pks = sorted(previous)
    now = timezone.now()
    # Who deleted a record and when; cleared when it is restored.
    marks = {
        PublicationAction.DELETED: {"deleted_at": now, "deleted_by": user},
        PublicationAction.RESTORED: {"deleted_at": None, "deleted_by": None},
    }.get(action, {})
    for record in records:
        record.publication_state = target
        record.updated = now
        for name, value in marks.items():
            setattr(record, name, value)
    # One query for the rows and one for their change history, which names the user.
    bulk_update_with_history(
        records,
        model,
        ["publication_state", "updated", *marks],
        default_user=user,
        default_change_reason=str(action.label),
        default_date=now,
        manager=model._base_manager,
    )
    content_type = ContentType.objects.get_for_model(model)
    PublicationEvent.objects.bulk_create(
        PublicationEvent(
            content_type=content_type,
            object_id=pk,
            action=action,
            from_state=previous[pk],
            to_state=target,
            by=user,
            at=now,
            comment=comment,
        )
        for pk in pks
    )
    if pks:
        publication_changed.send(sender=model, pks=pks)
    return len(pks)


@transaction.atomic
def publication_submit(*, user, queryset: QuerySet, comment: str = "") -> int:
    """Draft → in review. Focal points submit records of their countries; returns how many
    records moved (records not in draft are left as they are)."""
    return _transition(
        user=user, queryset=queryset, action=PublicationAction.SUBMITTED, comment=comment
    )


@transaction.atomic
def publication_publish(*, user, queryset: QuerySet, comment: str = "") -> int:
    """Draft, in review or archived → published: the records become public. Secretariat only."""
    return _transition(
        user=user, queryset=queryset, action=PublicationAction.PUBLISHED, comment=comment
    )


@transaction.atomic
def publication_return_to_draft(*, user, queryset: QuerySet, comment: str = "") -> int:
    """In review, published or archived → draft (sent back, or withdrawn from the public)."""
    return _transition(
        user=user, queryset=queryset, action=PublicationAction.RETURNED, comment=comment
    )


@transaction.atomic
def publication_archive(*, user, queryset: QuerySet, comment: str = "") -> int:
    """Published → archived: kept, but no longer public."""
    return _transition(
        user=user, queryset=queryset, action=PublicationAction.ARCHIVED, comment=comment
    )


@transaction.atomic
def publication_comment(*, user, instance: Model, comment: str) -> PublicationEvent:
    """A reviewer's (or editor's) remark on a record, kept in its publication history."""
    if not user.has_perm("governance.comment_on_records"):
        raise PermissionDenied(_("You do not have permission to comment on records."))
    queryset = type(instance)._base_manager.filter(pk=instance.pk)
    if not records_visible_to(user, queryset).exists():
        raise PermissionDenied(_("This record is not one you can see."))
    event = PublicationEvent(
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        action=PublicationAction.COMMENTED,
        from_state=instance.publication_state,
        to_state=instance.publication_state,
        by=user,
        comment=comment.strip(),
    )
    if not event.comment:
        raise ValidationError({"comment": _("Write the comment before sending it.")})
    event.full_clean()
    event.save()
    return event


# -- Deletion and restore -------------------------------------------------------------------


@transaction.atomic
def record_delete(*, user, queryset: QuerySet) -> tuple[int, int]:
    """Delete records the way the admin's delete does, with one difference: a published
    record is not removed but marked deleted (who, when), which takes it off every public
    path and lets the Secretariat restore it. Drafts and other unpublished records are
    removed as before (their change history keeps their last version). Returns (marked
    deleted, removed); refuses the whole lot if one record is outside the user's reach."""
    model = queryset.model
    selected = set(queryset.values_list("pk", flat=True))
    permission = f"{model._meta.app_label}.delete_{model._meta.model_name}"
    _assert_may_write(
        user=user,
        model=model,
        pks=selected,
        permission=permission,
        refusal=_("You do not have permission to delete these records."),
    )
    records = model._base_manager.filter(pk__in=selected)
    published = records.filter(publication_state=PublicationState.PUBLISHED)
    marked = _transition(
        user=user, queryset=published, action=PublicationAction.DELETED, comment=""
    )
    removed = 0
    for record in records.exclude(
        publication_state__in=[PublicationState.PUBLISHED, PublicationState.DELETED]
    ):
        record._history_user = user
        record.delete()
        removed += 1
    return marked, removed


@transaction.atomic
def record_restore(*, user, queryset: QuerySet, comment: str = "") -> int:
    """Deleted → published again: undoes `record_delete`. Secretariat only; returns how
    many records were restored."""
    return _transition(
        user=user, queryset=queryset, action=PublicationAction.RESTORED, comment=comment
    )


@transaction.atomic
def translation_mark_reviewed(*, user, queryset: QuerySet) -> int:
    """Mark translations reviewed by this user (a member-state reviewer), today. The
    reviewer's name is the user's full name, else the username. Returns how many changed."""
    if not user.has_perm("governance.review_translations"):
        raise PermissionDenied(_("You may not mark translations reviewed."))
    today = timezone.localdate()
    name = user.get_full_name() or user.get_username()
    changed = 0
    for status in queryset.exclude(origin=TranslationOrigin.SOURCE):
        status.origin = TranslationOrigin.REVIEWED
        status.reviewer = name
        status.reviewed_on = today
        status.full_clean()
        status.save()
        changed += 1
    return changed
