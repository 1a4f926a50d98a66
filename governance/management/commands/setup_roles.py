from django.core.management.base import BaseCommand

from governance.services import roles_setup


class Command(BaseCommand):
    help = (
        "Create or refresh the role groups (Secretariat editor, Country focal point, "
        "Reviewer) with their permissions. Idempotent; also run after every `migrate`."
    )

    def handle(self, *args, **options):
        for role, count in roles_setup().items():
            self.stdout.write(f"{role}: {count} permissions")
        self.stdout.write(self.style.SUCCESS("Roles are set up."))
