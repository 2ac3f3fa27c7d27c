"""Demo side events for the open demonstration week (``att-csp13-wg``, from the registration demo).

A policy (two rooms a day, the usual lunchtime and evening times, no hybrid), one side event
accepted and published in the schedule, one virtual side event whose link is for registered
delegates, and one proposal awaiting the Secretariat. Idempotent by title.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from convocation.meetings.demo import at_geneva
from convocation.meetings.models import Meeting, SideEvent
from convocation.side_events import services
from convocation.side_events.models import SideEventPolicy, SideEventProposal

OPEN_WEEK = "att-csp13-wg"
LUNCH = (dt.time(13, 15), dt.time(14, 45))
EVENING = (dt.time(18, 15), dt.time(19, 45))


@dataclass(frozen=True)
class SideEventDemo:
    meeting: str
    proposals: int


PROPOSALS = [
    # day offset, time, format, link shown, accept?, title, organisers
    (
        0,
        LUNCH,
        SideEventProposal.Format.IN_PERSON,
        SideEvent.LinkShown.PUBLIC,
        True,
        "Gender-based violence and the ATT risk assessment",
        "Control Arms",
    ),
    (
        1,
        EVENING,
        SideEventProposal.Format.VIRTUAL,
        SideEvent.LinkShown.REGISTERED,
        True,
        "Post-shipment verification: experiences of States Parties",
        "Stimson Center",
    ),
    (
        2,
        LUNCH,
        SideEventProposal.Format.IN_PERSON,
        SideEvent.LinkShown.PUBLIC,
        False,
        "Diversion risks of small arms ammunition",
        "Stimson Center",
    ),
]


@transaction.atomic
def load_side_event_demo() -> SideEventDemo | None:
    meeting = Meeting.objects.filter(slug=OPEN_WEEK).first()
    if meeting is None:
        return None
    SideEventPolicy.objects.get_or_create(
        meeting=meeting,
        defaults={
            "proposals_close_at": at_geneva(
                meeting.start_date - dt.timedelta(days=14), dt.time(23, 59)
            ),
            "rooms_per_day": 2,
            "room_names": "Room 3\nRoom 4",
            "allows_hybrid": False,
        },
    )
    made = 0
    for offset, (start, end), format, shown, accept, title, organisers in PROPOSALS:
        if SideEventProposal.objects.filter(meeting=meeting, title=title).exists():
            continue
        virtual = format == SideEventProposal.Format.VIRTUAL
        proposal = SideEventProposal.objects.create(
            meeting=meeting,
            title=title,
            organisers=organisers,
            date=meeting.start_date + dt.timedelta(days=offset),
            starts_at=start,
            ends_at=end,
            format=format,
            expected_audience="Delegates of States and civil society, about 40 people",
            contact_name="Demo organiser",
            contact_email="side.events@example.org",
            access_link="https://example.org/side-event/join" if virtual else "",
            link_shown=shown,
        )
        if accept:
            # Demo contacts are not written to.
            services.accept_proposal(proposal=proposal, by=None, notify=False)
        made += 1
    return SideEventDemo(meeting=meeting.slug, proposals=made)
