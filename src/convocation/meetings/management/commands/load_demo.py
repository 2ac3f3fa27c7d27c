from django.core.management.base import BaseCommand

from convocation.meetings.demo import load_demo


class Command(BaseCommand):
    help = "Load the ATT demo: States, bodies, cycles and the CSP10 and CSP12 Working Group weeks."

    def handle(self, *args, **options):
        summary = load_demo()
        self.stdout.write(
            f"ATT demo loaded: {summary.states} States, {summary.meetings} meetings, "
            f"{summary.sessions} sessions."
        )
