from django.core.management.base import BaseCommand

from convocation.attendance.demo import load_attendance_demo


class Command(BaseCommand):
    help = (
        "Check in most of the demo delegates of the CSP12 week and log turns at the floor, "
        "so that its report has figures. Run after load-demo and load-demo-registrations."
    )

    def handle(self, *args, **options):
        demo = load_attendance_demo()
        self.stdout.write(
            f"Demo attendance loaded: {demo.check_ins} check-ins, "
            f"{demo.interventions} interventions; see /reports/meetings/att-csp12-wg/."
        )
