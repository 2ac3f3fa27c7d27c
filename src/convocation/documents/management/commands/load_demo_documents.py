from django.core.management.base import BaseCommand

from convocation.documents.demo import MEETING, load_demo_documents


class Command(BaseCommand):
    help = (
        "Load demo documents for the CSP12 Working Group week: draft agendas, a working "
        "paper, a revision, a DIEF document and a submission awaiting review. Run after load-demo."
    )

    def handle(self, *args, **options):
        made = load_demo_documents()
        self.stdout.write(
            f"Demo documents loaded: {made} new; see /meetings/{MEETING}/documents/ "
            "and /documents/."
        )
