"""A Working Group week a month from now, taking side-event proposals for ten more days."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from convocation.meetings.demo import at_geneva, load_demo
from convocation.meetings.models import Meeting, Session, SideEvent
from convocation.side_events.models import SideEventPolicy, SideEventProposal
from convocation.treaties.models import Body, Treaty

MORNING, AFTERNOON = (dt.time(10), dt.time(13)), (dt.time(15), dt.time(18))
LUNCH = (dt.time(13, 15), dt.time(14, 45))


@dataclass
class Week:
    meeting: Meeting
    policy: SideEventPolicy

    @property
    def monday(self) -> dt.date:
        return self.meeting.start_date


def build_week() -> Week:
    load_demo()
    treaty = Treaty.objects.get(code="att")
    bodies = {body.slug: body for body in Body.objects.filter(treaty=treaty)}
    ahead = timezone.localdate() + dt.timedelta(days=30)
    monday = ahead + dt.timedelta(days=(7 - ahead.weekday()) % 7)
    meeting = Meeting.objects.create(
        cycle_id=treaty.cycles.get(number=12).pk,
        slug="side-wg",
        kind=Meeting.Kind.WORKING_GROUPS,
        title="Working Group meetings with side events",
        venue="CICG",
        city="Geneva",
        country="Switzerland",
        start_date=monday,
        end_date=monday + dt.timedelta(days=1),
    )
    for day in range(2):
        date = monday + dt.timedelta(days=day)
        for (start, end), body in ((MORNING, "wgtu"), (AFTERNOON, "wgeti")):
            Session.objects.create(
                meeting=meeting,
                body=bodies[body],
                start=at_geneva(date, start),
                end=at_geneva(date, end),
            )
        SideEvent.objects.create(meeting=meeting, date=date)  # "tbc"
    policy = SideEventPolicy.objects.create(
        meeting=meeting,
        proposals_close_at=timezone.now() + dt.timedelta(days=10),
        rooms_per_day=2,
        room_names="Room 3\nRoom 4",
    )
    return Week(meeting, policy)


@pytest.fixture
def week(db) -> Week:
    return build_week()


def proposal(week: Week, **fields) -> SideEventProposal:
    values = {
        "meeting": week.meeting,
        "title": "Ammunition stockpiles",
        "organisers": "Control Arms",
        "date": week.monday,
        "starts_at": LUNCH[0],
        "ends_at": LUNCH[1],
        "format": SideEventProposal.Format.IN_PERSON,
        "expected_audience": "Delegates, about 40",
        "contact_name": "Ada Contact",
        "contact_email": "ada@example.org",
    }
    values.update(fields)
    return SideEventProposal.objects.create(**values)


def form_data(week: Week, **fields) -> dict:
    data = {
        "title": "Ammunition stockpiles",
        "organisers": "Control Arms",
        "co_sponsors": "Stimson Center",
        "description": "",
        "date": week.monday.isoformat(),
        "starts_at": "13:15",
        "ends_at": "14:45",
        "format": "in_person",
        "expected_audience": "Delegates, about 40",
        "contact_name": "Ada Contact",
        "contact_email": "ada@example.org",
        "access_link": "",
        "link_shown": "public",
    }
    data.update(fields)
    return data
