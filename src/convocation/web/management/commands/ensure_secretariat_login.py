from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create a Secretariat login with full rights, or leave it as it is when it exists "
        "(for the demo; production logins are made with createsuperuser)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)

    def handle(self, *args, username: str, password: str, **options):
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
            self.stdout.write(f"Secretariat login {username!r} created.")
        else:
            self.stdout.write(f"Secretariat login {username!r} exists; left unchanged.")
