from django.core.management.base import BaseCommand

from convocation.registrations.demo import load_registration_demo


class Command(BaseCommand):
    help = (
        "Load demo delegates registered for the CSP12 week, a focal point for Romania, and a "
        "Working Group week ahead that is open for registration. Run after load-demo."
    )

    def handle(self, *args, **options):
        demo = load_registration_demo()
        self.stdout.write(
            f"Demo registrations loaded: {demo.registrations} new; "
            f"/meetings/{demo.open_meeting}/ is open for registration."
        )
