from django.core.management.base import BaseCommand

from convocation.side_events.demo import load_side_event_demo


class Command(BaseCommand):
    help = (
        "Load a side-event policy and demo side events for the open demonstration week. "
        "Run after load-demo-registrations, which creates that week."
    )

    def handle(self, *args, **options):
        demo = load_side_event_demo()
        if demo is None:
            self.stdout.write("No open demonstration week (run load-demo-registrations first).")
            return
        self.stdout.write(
            f"Demo side events: {demo.proposals} new proposals; "
            f"/meetings/{demo.meeting}/side-events/ lists the published ones."
        )
