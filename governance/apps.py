from contextlib import suppress

from django.apps import AppConfig
from django.core.exceptions import ValidationError
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self):
        post_migrate.connect(setup_roles_after_migrate, sender=self)


def setup_roles_after_migrate(sender, using, **kwargs):
    """Keep the role groups in step with the permissions after every `migrate`, in the
    database it migrated (the benchmark migrates its own)."""
    from governance.services import roles_setup  # noqa: PLC0415

    # When some apps are migrated backwards or not at all, `setup_roles` can be run later.
    with suppress(ValidationError):
        roles_setup(using=using)
