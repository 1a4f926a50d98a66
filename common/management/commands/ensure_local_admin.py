import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create a local superuser for `make run` if none exists and print its password. "
        "For a developer's machine only; production creates users with createsuperuser."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        password_file = settings.BASE_DIR / "var" / "local-admin-password.txt"
        user_model = get_user_model()
        if not user_model.objects.filter(username=username).exists():
            password = secrets.token_urlsafe(12)
            user_model.objects.create_superuser(username=username, email="", password=password)
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n", encoding="utf-8")
            password_file.chmod(0o600)
        if password_file.exists():
            password = password_file.read_text(encoding="utf-8").strip()
            self.stdout.write(f"Admin login: {username} / {password}  (stored in {password_file})")
        else:
            self.stdout.write(
                f"User “{username}” already exists; set a new password with "
                f"`python manage.py changepassword {username}`."
            )
