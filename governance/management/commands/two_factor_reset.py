from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from governance.two_factor import two_factor_reset


class Command(BaseCommand):
    help = (
        "Remove a user's two-factor authenticators (a lost phone); the user sets up a new one "
        "at the next sign-in to the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{user_model.USERNAME_FIELD: username})
        except user_model.DoesNotExist:
            raise CommandError(f"There is no user “{username}”.") from None
        removed = two_factor_reset(user=user)
        self.stdout.write(self.style.SUCCESS(f"Removed {removed} authenticator(s) of {username}."))
