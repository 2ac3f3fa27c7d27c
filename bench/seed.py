"""Create the benchmark's second meeting, ``bench-400``: att-csp12-wg copied, with 400 sessions.

Run after ``convocation migrate`` and ``convocation load-demo``, with the same environment
(DATABASE_URL, CONVOCATION_DATA_DIR) as the server. The meeting's fields are copied from
att-csp12-wg; its 400 sessions are 20 days × 5 time slots × 4 rooms, each given one of the
demo's bodies in turn; there is one side event ("tbc") a day, as the demo has. Idempotent:
when bench-400 already has exactly its 400 sessions nothing is written, otherwise it is
rebuilt.
"""

import datetime as dt
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convocation.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402

from convocation.meetings.demo import at_geneva  # noqa: E402
from convocation.meetings.models import Meeting, Session, SideEvent  # noqa: E402
from convocation.meetings.revisions import publish_revision  # noqa: E402
from convocation.treaties.models import Body  # noqa: E402

SOURCE = "att-csp12-wg"
SLUG = "bench-400"
DAYS = 20
SLOTS = [(dt.time(h), dt.time(h + 1, 30)) for h in (9, 11, 13, 15, 17)]
ROOMS = ["Room 1", "Room 2", "Room 3", "Room 4"]
SESSIONS = DAYS * len(SLOTS) * len(ROOMS)  # 400


@transaction.atomic
def seed() -> Meeting:
    source = Meeting.objects.get(slug=SOURCE)
    existing = Meeting.objects.filter(slug=SLUG).first()
    if existing is not None and existing.sessions.count() == SESSIONS:
        if not existing.revisions.exists():
            publish_revision(meeting=existing, note="Benchmark schedule.", by=None)
        return existing
    Meeting.objects.filter(slug=SLUG).delete()

    bodies = list(Body.objects.filter(treaty=source.cycle.treaty).order_by("order", "id"))
    if not bodies:
        sys.exit("bench/seed.py: the demo has no bodies; run `convocation load-demo` first")

    meeting = Meeting.objects.get(slug=SOURCE)
    meeting.pk = None
    meeting.id = None
    meeting._state.adding = True
    meeting.slug = SLUG
    meeting.title = f"{source.title} (benchmark, {SESSIONS} sessions)"
    meeting.end_date = source.start_date + dt.timedelta(days=DAYS - 1)
    meeting.save()

    sessions = []
    n = 0
    for offset in range(DAYS):
        day = meeting.start_date + dt.timedelta(days=offset)
        for start, end in SLOTS:
            for room in ROOMS:
                sessions.append(
                    Session(
                        meeting=meeting,
                        body=bodies[n % len(bodies)],
                        start=at_geneva(day, start),
                        end=at_geneva(day, end),
                        room=room,
                    )
                )
                n += 1
    Session.objects.bulk_create(sessions)
    SideEvent.objects.bulk_create(
        SideEvent(meeting=meeting, date=meeting.start_date + dt.timedelta(days=offset), title="")
        for offset in range(DAYS)
    )
    # Like the demo's weeks, a published revision: the page then reads the same records for
    # 8 sessions and for 400, and the query counts compare like with like.
    publish_revision(meeting=meeting, note="Benchmark schedule.", by=None)
    return meeting


if __name__ == "__main__":
    meeting = seed()
    print(
        f"{meeting.slug}: {meeting.sessions.count()} sessions, "
        f"{meeting.side_events.count()} side events, "
        f"{meeting.start_date} – {meeting.end_date}"
    )
