from django.core.management.base import BaseCommand

from convocation.registrations import emails, mailings


class Command(BaseCommand):
    help = (
        "Queue again every email to registrants with recipients still pending, after a worker "
        "was stopped; nobody who already received it receives it again. With --confirmations, "
        "also the confirmations of registrations that never went."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--confirmations",
            action="store_true",
            help="Also queue the confirmations not yet sent, for meetings still to come.",
        )

    def handle(self, *args, confirmations: bool = False, **options):
        resumed = mailings.resume_mailings()
        self.stdout.write(f"{len(resumed)} mailing(s) queued again.")
        if confirmations:
            count = emails.resume_confirmations()
            self.stdout.write(f"{count} confirmation(s) queued again.")
