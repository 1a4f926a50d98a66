"""Who may change what: focal points' countries, and the publication workflow's log."""

import simple_history
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CountryAssignment(models.Model):
    """A country focal point is responsible for the records of one member state; a user
    with several assignments covers several states."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="country_assignments",
        verbose_name=_("user"),
    )
    country = models.ForeignKey(
        "protected_areas.Country",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("country"),
        limit_choices_to={"is_member": True},
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("country assignment")
        verbose_name_plural = _("country assignments")
        ordering = ["user__username", "country__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "country"], name="countryassignment_unique")
        ]
        # Role permissions that belong to no single domain model.
        permissions = [
            ("edit_all_countries", _("Can edit records of every country")),
            ("view_all_countries", _("Can view records of every country")),
            ("submit_records", _("Can submit records for review")),
            ("publish_records", _("Can publish, return and archive records")),
            ("comment_on_records", _("Can comment on records under review")),
            ("restore_records", _("Can see and restore deleted records")),
        ]

    def __str__(self):
        return f"{self.user} → {self.country}"


class PublicationAction(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned to draft")
    ARCHIVED = "archived", _("Archived")
    COMMENTED = "commented", _("Commented")
    DELETED = "deleted", _("Deleted")
    RESTORED = "restored", _("Restored after deletion")


class PublicationEvent(models.Model):
    """One step of a record's publication workflow (or a reviewer's comment): who, when,
    from which state to which. Written only by the services in governance.services."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(db_index=True)
    record = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=16, choices=PublicationAction.choices)
    from_state = models.CharField(_("from state"), max_length=16, blank=True)
    to_state = models.CharField(_("to state"), max_length=16, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="publication_events",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("publication event")
        verbose_name_plural = _("publication events")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="publicationevent_record"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} by {self.by} at {self.at:%Y-%m-%d %H:%M}"


class TranslationOrigin(models.TextChoices):
    SOURCE = "source", _("From a source")
    PORTAL = "portal", _("Translated by the portal team, not yet reviewed")
    REVIEWED = "reviewed", _("Reviewed by a member-state reviewer")


class TranslationStatus(models.Model):
    """Where a record's text in one language comes from: a source (an established name), the
    portal team's translation awaiting review, or a translation a named member-state reviewer
    has checked. Pages say discreetly when a text they show is not yet reviewed."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    origin = models.CharField(_("origin"), max_length=16, choices=TranslationOrigin.choices)
    source = models.CharField(
        _("source"), max_length=500, blank=True, help_text=_("For a text from a source.")
    )
    reviewer = models.CharField(
        _("reviewer"),
        max_length=200,
        blank=True,
        help_text=_("The member-state reviewer's name, and country or institution."),
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("translation status")
        verbose_name_plural = _("translation statuses")
        permissions = [("review_translations", "Can mark translations reviewed")]
        ordering = ["content_type", "object_id", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"],
                name="translationstatus_one_per_language",
            ),
            models.CheckConstraint(
                condition=~models.Q(origin="reviewed")
                | (~models.Q(reviewer="") & models.Q(reviewed_on__isnull=False)),
                name="translationstatus_reviewed_has_reviewer",
                violation_error_message=_("A reviewed translation names its reviewer and date."),
            ),
        ]

    def __str__(self):
        return f"{self.content_type.name} {self.object_id} [{self.language}]: {self.origin}"

    @property
    def is_unreviewed(self) -> bool:
        return self.origin == TranslationOrigin.PORTAL


# Governance has no translated fields, so its history is registered with the model itself
# (the domain apps register theirs in translation.py, after modeltranslation).
simple_history.register(CountryAssignment)


class AccessKind(models.TextChoices):
    EXACT_LOCATIONS = "exact_locations", _("Exact sensitive locations")
    DRAFT = "draft", _("Unpublished record")
    HISTORY = "history", _("Change history")


class AccessLogEntry(models.Model):
    """One read of something the public may not see: exact points of sensitive species, a
    record that is not published, a record's change history. Written once per request by
    governance.access_log; read by the Secretariat in the admin, never changed."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # Kept as it was when the user is deleted or renamed.
    username = models.CharField(_("username"), max_length=150)
    kind = models.CharField(_("what was read"), max_length=16, choices=AccessKind.choices)
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("kind of record"),
    )
    object_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    path = models.CharField(_("address"), max_length=500)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-at"], name="accesslog_user_at"),
            models.Index(fields=["content_type", "object_id"], name="accesslog_record"),
        ]

    def __str__(self):
        return f"{self.username} — {self.get_kind_display()} — {self.at:%Y-%m-%d %H:%M}"
