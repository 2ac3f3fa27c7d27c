"""A small meeting whose every figure is counted by hand in the tests.

The Working Group week of ``tests/registrations/conftest.py`` with twelve registrations,
their check-ins and six turns at the floor:

| # | delegation | category | role | mode | gender | status | checked in |
|---|---|---|---|---|---|---|---|
| 1 | France | State Party | head | in person | female | confirmed | days 1, 2 |
| 2 | France | State Party | alternate | in person | male | confirmed | day 1 |
| 3 | France | State Party | member | online | female | confirmed | — |
| 4 | United Kingdom | State Party | head | in person | male | confirmed | day 1 |
| 5 | United Kingdom | State Party | adviser | in person | female | confirmed | — |
| 6 | United States | Signatory | head | in person | female | confirmed | day 2 |
| 7 | United States | Signatory | member | in person | female | confirmed | day 1 |
| 8 | Control Arms | civil society | member | online | self-described | confirmed | day 1 |
| 9 | Control Arms | civil society | head | in person | female | confirmed | day 3 |
| 10 | UNODA | international | head | in person | not said | confirmed | — |
| 11 | Example Defence | industry | member | in person | male | pending | — |
| 12 | Kenya | Observer | head | in person | female | withdrawn | day 1 |

Turns: WGTU: #1, #4, the United States (speaker not noted), #1 again; DIEF: #9, #10.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from convocation.attendance.models import Attendance, Intervention
from convocation.people.models import Person
from convocation.registrations.models import Registration
from convocation.treaties.models import State
from tests.registrations.conftest import Week, build_week

ROWS = [
    # delegation, category, role, mode, gender, status, days checked in
    ("FRA", "state_party", "head", "in_person", "female", "confirmed", [0, 1]),
    ("FRA", "state_party", "alternate", "in_person", "male", "confirmed", [0]),
    ("FRA", "state_party", "member", "online", "female", "confirmed", []),
    ("GBR", "state_party", "head", "in_person", "male", "confirmed", [0]),
    ("GBR", "state_party", "adviser", "in_person", "female", "confirmed", []),
    ("USA", "signatory", "head", "in_person", "female", "confirmed", [1]),
    ("USA", "signatory", "member", "in_person", "female", "confirmed", [0]),
    ("civil_society", "civil_society", "member", "online", "self_described", "confirmed", [0]),
    ("civil_society", "civil_society", "head", "in_person", "female", "confirmed", [2]),
    ("international", "international", "head", "in_person", "not_said", "confirmed", []),
    ("industry", "industry", "member", "in_person", "male", "pending", []),
    ("KEN", "observer", "head", "in_person", "female", "withdrawn", [0]),
]
NAMES = [
    ("Amélie", "Zabriskie"),
    ("Bruno", "Quennell"),
    ("Chloé", "Vantongeren"),
    ("Desmond", "Ravenscroft"),
    ("Eilidh", "Farquharson"),
    ("Felicity", "Oyelaran"),
    ("Gwendolyn", "Pemberton"),
    ("Harper", "Illingworth"),
    ("Ingeborg", "Sandoval"),
    ("Jordan", "Kettleborough"),
    ("Kasimir", "Wolfenden"),
    ("Lerato", "Mbatha"),
]


@dataclass
class Sample:
    week: Week
    registrations: list[Registration]
    officer: object

    @property
    def meeting(self):
        return self.week.meeting

    def day(self, number: int) -> dt.date:
        return self.week.meeting.start_date + dt.timedelta(days=number)


def add_registration(meeting, delegation, number: int, **values) -> Registration:
    given, family = NAMES[number % len(NAMES)]
    person = Person.objects.create(
        given_name=given,
        family_name=family,
        email=f"{given[0].lower()}.{family.lower()}.{number}@example.org",
        gender=values["gender"],
    )
    return Registration.objects.create(
        meeting=meeting,
        person=person,
        state=delegation if isinstance(delegation, State) else None,
        organisation=None if isinstance(delegation, State) else delegation,
        position="Delegate",
        consent_given_at=timezone.now(),
        **values,
    )


def build_sample() -> Sample:
    week = build_week()
    officer = get_user_model().objects.create_user(
        "door-officer", password="a-long-test-password", is_staff=True
    )
    organisations = {
        "civil_society": week.civil_society,
        "international": week.international,
        "industry": week.industry,
    }
    made = []
    for number, (delegation, category, role, mode, gender, status, days) in enumerate(ROWS):
        registration = add_registration(
            week.meeting,
            organisations.get(delegation) or State.objects.get(code=delegation),
            number,
            category=category,
            role=role,
            mode=mode,
            gender=gender,
            status=status,
        )
        for day in days:
            Attendance.objects.create(
                registration=registration,
                day=week.meeting.start_date + dt.timedelta(days=day),
                checked_in_by=officer,
            )
        made.append(registration)
    usa = State.objects.get(code="USA")
    turns = [
        (week.wgtu, made[0]),
        (week.wgtu, made[3]),
        (week.wgtu, usa),
        (week.wgtu, made[0]),
        (week.dief, made[8]),
        (week.dief, made[9]),
    ]
    for order, (session, who) in enumerate(turns, start=1):
        speaker = who if isinstance(who, Registration) else None
        delegation = speaker.delegation if speaker else who
        Intervention.objects.create(
            session=session,
            order=order,
            speaker=speaker,
            state=delegation if isinstance(delegation, State) else None,
            organisation=None if isinstance(delegation, State) else delegation,
            logged_by=officer,
        )
    return Sample(week=week, registrations=made, officer=officer)


@pytest.fixture
def sample(db) -> Sample:
    return build_sample()
