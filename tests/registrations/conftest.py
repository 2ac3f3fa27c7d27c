"""A Working Group week a month from now, with one closed session, and who may come to it."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from convocation.meetings.demo import at_geneva, load_demo
from convocation.meetings.models import Meeting, Session
from convocation.registrations.models import RegistrationPolicy
from convocation.registrations.services import RegistrationData
from convocation.treaties.models import Body, Organisation, Treaty, TreatyAction


@dataclass
class Week:
    meeting: Meeting
    policy: RegistrationPolicy
    wgtu: Session
    dief: Session
    wgeti: Session
    civil_society: Organisation
    international: Organisation
    industry: Organisation

    @property
    def dief_day(self) -> dt.date:
        return self.dief.start.astimezone(self.meeting.tz).date()


@pytest.fixture
def week(db) -> Week:
    return build_week()


def build_week() -> Week:
    """The week and its policy in the database; for fixtures of ``db`` or ``transactional_db``."""
    load_demo()
    treaty = Treaty.objects.get(code="att")
    bodies = {body.slug: body for body in Body.objects.filter(treaty=treaty)}
    first_day = timezone.localdate() + dt.timedelta(days=30)
    meeting = Meeting.objects.create(
        cycle_id=treaty.cycles.get(number=12).pk,
        slug="next-wg",
        kind=Meeting.Kind.WORKING_GROUPS,
        title="Next Working Group meetings",
        venue="CICG",
        city="Geneva",
        country="Switzerland",
        start_date=first_day,
        end_date=first_day + dt.timedelta(days=2),
        registration=Meeting.Registration.REQUIRED,
        livestream=Meeting.Livestream.REGISTERED,
        livestream_url="https://example.org/live/next-wg",
        collects_gender_data=True,
    )
    morning, afternoon = (dt.time(10), dt.time(13)), (dt.time(15), dt.time(18))

    def session(day: int, slot, body: str) -> Session:
        date = first_day + dt.timedelta(days=day)
        return Session.objects.create(
            meeting=meeting,
            body=bodies[body],
            start=at_geneva(date, slot[0]),
            end=at_geneva(date, slot[1]),
        )

    wgtu = session(0, morning, "wgtu")
    dief = session(2, morning, "dief")
    wgeti = session(2, afternoon, "wgeti")
    # Kenya's accession takes effect on the DIEF's own day: an Observer State when the week
    # opens, a State Party when the DIEF meets.
    TreatyAction.objects.create(
        treaty=treaty,
        state_id="KEN",
        kind="accession",
        date=dief.start.astimezone(meeting.tz).date() - dt.timedelta(days=90),
    )
    policy = RegistrationPolicy.objects.create(meeting=meeting)
    return Week(
        meeting=meeting,
        policy=policy,
        wgtu=wgtu,
        dief=dief,
        wgeti=wgeti,
        civil_society=Organisation.objects.create(
            name="Control Arms", category=Organisation.Category.CIVIL_SOCIETY
        ),
        international=Organisation.objects.create(
            name="United Nations Office for Disarmament Affairs",
            acronym="UNODA",
            category=Organisation.Category.INTERNATIONAL,
        ),
        industry=Organisation.objects.create(
            name="Example Defence Industries", category=Organisation.Category.INDUSTRY
        ),
    )


def delegate(email: str = "a.delegate@example.org", **overrides) -> RegistrationData:
    values = {
        "honorific": "Ms.",
        "given_name": "Ana",
        "family_name": "Delegate",
        "email": email,
        "position": "First Secretary",
        "role": "member",
        "mode": "in_person",
        "gender": "female",
        "consent": True,
    }
    values.update(overrides)
    return RegistrationData(**values)


def posted_form(**overrides) -> dict:
    """The registration form as a Romanian head of delegation posts it."""
    data = {
        "delegation": "state:ROU",
        "honorific": "Ms.",
        "given_name": "Ana",
        "family_name": "Ionescu",
        "position": "First Secretary",
        "role": "head",
        "mode": "in_person",
        "gender": "female",
        "consent": "on",
    }
    data.update(overrides)
    return data
