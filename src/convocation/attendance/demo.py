"""Demo attendance: most of the CSP12 week's delegates checked in, and turns at the floor.

Run after ``load-demo`` and ``load-demo-registrations``; loading again changes nothing.
"""

import random
from dataclasses import dataclass

from django.db import transaction

from convocation.attendance.models import Attendance, AttendancePolicy, Intervention
from convocation.attendance.services import meeting_days
from convocation.meetings.models import Meeting
from convocation.registrations.models import Registration

MEETING = "att-csp12-wg"
# The share of the delegates who check in on each day: fewer as the week goes on.
TURNOUT = [0.85, 0.75, 0.7, 0.6]
TURNS_PER_SESSION = 6


@dataclass(frozen=True)
class AttendanceDemo:
    check_ins: int
    interventions: int


@transaction.atomic
def load_attendance_demo() -> AttendanceDemo:
    meeting = Meeting.objects.get(slug=MEETING)
    AttendancePolicy.objects.get_or_create(meeting=meeting, defaults={"allows_walk_ins": True})
    registrations = list(
        Registration.objects.filter(meeting=meeting, status=Registration.Status.CONFIRMED)
        .select_related("state", "organisation")
        .order_by("pk")
    )
    chance = random.Random(6)
    days = meeting_days(meeting)
    check_ins = [
        Attendance(registration=registration, day=day)
        for number, day in enumerate(days)
        for registration in registrations
        if chance.random() < TURNOUT[min(number, len(TURNOUT) - 1)]
    ]
    made = len(Attendance.objects.bulk_create(check_ins, ignore_conflicts=True))
    turns = 0
    in_person = [r for r in registrations if r.mode == Registration.Mode.IN_PERSON]
    for session in meeting.sessions.order_by("start", "pk"):
        if not in_person or session.interventions.exists():
            continue
        for order in range(1, TURNS_PER_SESSION + 1):
            speaker = chance.choice(in_person)
            # Now and then the officer noted the delegation only.
            noted = chance.random() < 0.85
            Intervention.objects.create(
                session=session,
                order=order,
                state=speaker.state,
                organisation=speaker.organisation,
                speaker=speaker if noted else None,
            )
            turns += 1
    return AttendanceDemo(check_ins=made, interventions=turns)
