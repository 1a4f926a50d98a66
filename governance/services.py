"""Writes with governance rules: roles, country assignments, publication transitions."""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from common.models import PublicationState

from .models import CountryAssignment, PublicationAction, PublicationEvent
from .selectors import record_in_scope, records_editable_by, records_visible_to

SECRETARIAT_EDITOR = "Secretariat editor"
COUNTRY_FOCAL_POINT = "Country focal point"
REVIEWER = "Reviewer"

DOMAIN_APPS = ("protected_areas", "species", "projects", "meetings")
# What a focal point edits (within its countries); the rest of the domain it only views.
FOCAL_POINT_EDITS = {
    "protected_areas": ("protectedarea", "transboundarylink"),
    "species": ("populationestimate", "occurrence"),
    "projects": ("project", "output"),
    "meetings": ("decision",),
}


def _codenames(app_label: str, model: str, actions: Iterable[str]) -> list[tuple[str, str]]:
    return [(app_label, f"{action}_{model}") for action in actions]


def _role_permissions() -> dict[str, list[tuple[str, str]]]:
    secretariat, focal_point, reviewer = [], [], []
    for app_label in DOMAIN_APPS:
        for content_type in ContentType.objects.filter(app_label=app_label):
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
            "add_countryassignment",
            "change_countryassignment",
            "delete_countryassignment",
            "view_countryassignment",
            "view_publicationevent",
        )
    ]
    secretariat += _codenames("auth", "user", ("add", "change", "view"))
    secretariat += _codenames("auth", "group", ("view",))
    focal_point += [(governance, "submit_records")]
    reviewer += [
        (governance, "view_all_countries"),
        (governance, "comment_on_records"),
        (governance, "view_publicationevent"),
    ]
    return {SECRETARIAT_EDITOR: secretariat, COUNTRY_FOCAL_POINT: focal_point, REVIEWER: reviewer}


@transaction.atomic
def roles_setup() -> dict[str, int]:
    """Create or refresh the three role groups so that each holds exactly its permissions.
    Safe to run again (it is run after every migration); returns permissions per role."""
    counts = {}
    for name, codenames in _role_permissions().items():
        permissions = []
        for app_label, codename in codenames:
            try:
                permissions.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
            except Permission.DoesNotExist as exc:
                raise ValidationError(
                    f"Permission {app_label}.{codename} is missing; run `migrate` first."
                ) from exc
        group, _created = Group.objects.get_or_create(name=name)
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

# action → (states it starts from, state it leads to, permission it needs)
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
}


def _transition(*, user, queryset: QuerySet, action: PublicationAction, comment: str) -> int:
    sources, target, permission = TRANSITIONS[action]
    model = queryset.model
    change_permission = f"{model._meta.app_label}.change_{model._meta.model_name}"
    if not (user.has_perm(permission) and user.has_perm(change_permission)):
        raise PermissionDenied(
            _("You do not have permission to mark records as “%(state)s”.")
            % {"state": target.label}
        )
    selected = set(queryset.values_list("pk", flat=True))
    allowed = set(
        records_editable_by(user, model._base_manager.filter(pk__in=selected)).values_list(
            "pk", flat=True
        )
    )
    if selected - allowed:
        raise PermissionDenied(
            _(
                "%(n)d of the selected records are not records of your countries; nothing "
                "was changed."
            )
            % {"n": len(selected - allowed)}
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
    for record in records:
        record.publication_state = target
        record.updated = now
    # One query for the rows and one for their change history, which names the user.
    bulk_update_with_history(
        records,
        model,
        ["publication_state", "updated"],
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
