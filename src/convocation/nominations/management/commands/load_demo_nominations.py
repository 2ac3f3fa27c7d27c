from django.core.management.base import BaseCommand

from convocation.nominations.demo import load_nomination_demo


class Command(BaseCommand):
    help = (
        "Announce the CSP12 vacancies of the 2026 invitation (WGETI Chair, a Facilitator), "
        "open for nominations. Run after load-demo."
    )

    def handle(self, *args, **options):
        vacancies = load_nomination_demo()
        self.stdout.write(
            f"Demo vacancies: {len(vacancies)} open at /vacancies/; offices at /offices/12/."
        )
