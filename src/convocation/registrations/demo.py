"""Demo registrations: delegates at the CSP12 week, and a week ahead to try registering.

The people are invented (addresses at example.org); the States, organisations, bodies and
schedule pattern are those of the ATT demo.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from convocation.cycles.models import ConferenceCycle
from convocation.meetings.demo import at_geneva
from convocation.meetings.models import Meeting, Session, SideEvent
from convocation.people.models import Person
from convocation.registrations.models import FocalPoint, Registration, RegistrationPolicy
from convocation.registrations.services import category_for
from convocation.treaties.models import Organisation, State, Treaty

GIVEN = {
    "female": ["Ana", "Maria", "Amina", "Sofia", "Li", "Fatima", "Elena", "Grace", "Ingrid"],
    "male": ["Jonas", "Ahmed", "Carlos", "Wei", "Pierre", "Kwame", "Ivan", "Diego", "Tomas"],
}
FAMILY = [
    "Moreau",
    "Okafor",
    "Silva",
    "Novak",
    "Haddad",
    "Lindqvist",
    "Tanaka",
    "Mensah",
    "Rossi",
    "Kowalski",
    "Nguyen",
    "Alvarez",
    "Dubois",
    "Osei",
    "Petrov",
    "Berg",
]
DELEGATIONS = ["ROU", "GBR", "FRA", "CHE", "CHN", "USA"]
ORGANISATIONS = [
    ("United Nations Office for Disarmament Affairs", "UNODA", Organisation.Category.INTERNATIONAL),
    ("Control Arms", "", Organisation.Category.CIVIL_SOCIETY),
    ("Stimson Center", "", Organisation.Category.CIVIL_SOCIETY),
]
ROLES = ["head", "alternate", "adviser", "member", "member"]


@dataclass(frozen=True)
class RegistrationDemo:
    registrations: int
    open_meeting: str


def _organisations() -> list[Organisation]:
    return [
        Organisation.objects.get_or_create(
            name=name, defaults={"acronym": acronym, "category": category}
        )[0]
        for name, acronym, category in ORGANISATIONS
    ]


def _open_week(treaty: Treaty) -> Meeting:
    """A Working Group week about ten weeks from now, with the CSP12 week's pattern."""
    cycle, _ = ConferenceCycle.objects.get_or_create(treaty=treaty, number=13)
    template = Meeting.objects.get(slug="att-csp12-wg")
    ahead = timezone.localdate() + dt.timedelta(days=70)
    first_day = ahead + dt.timedelta(days=(7 - ahead.weekday()) % 7)  # a Monday
    meeting, created = Meeting.objects.get_or_create(
        slug="att-csp13-wg",
        defaults={
            "cycle": cycle,
            "kind": Meeting.Kind.WORKING_GROUPS,
            "title": "ATT CSP13 Working Group meetings (demonstration)",
            "title_fr": "Réunions des groupes de travail de la CSP13 du TCA (démonstration)",
            "title_es": "Reuniones de los grupos de trabajo de la CSP13 del TCA (demostración)",
            "venue": template.venue,
            "city": template.city,
            "city_fr": template.city_fr,
            "city_es": template.city_es,
            "country": template.country,
            "country_fr": template.country_fr,
            "country_es": template.country_es,
            "start_date": first_day,
            "end_date": first_day + dt.timedelta(days=3),
            "registration": Meeting.Registration.REQUIRED,
            "collects_gender_data": True,
            "livestream": Meeting.Livestream.REGISTERED,
            "livestream_url": "https://example.org/livestream/att-csp13-wg",
        },
    )
    if created:
        offset = first_day - template.start_date
        zone = template.tz
        for session in template.sessions.all():
            start, end = session.start.astimezone(zone), session.end.astimezone(zone)
            Session.objects.create(
                meeting=meeting,
                body=session.body,
                start=at_geneva(start.date() + offset, start.time()),
                end=at_geneva(end.date() + offset, end.time()),
            )
        for day in range(4):
            SideEvent.objects.create(meeting=meeting, date=first_day + dt.timedelta(days=day))
    RegistrationPolicy.objects.get_or_create(
        meeting=meeting,
        defaults={
            "asks_sessions": True,
            "in_person_capacity": 300,
            "categories_needing_approval": ["civil_society", "industry", "academia"],
        },
    )
    return meeting


@transaction.atomic
def load_registration_demo(count: int = 60) -> RegistrationDemo:
    treaty = Treaty.objects.get(code="att")
    organisations = _organisations()
    open_meeting = _open_week(treaty)
    held = Meeting.objects.get(slug="att-csp12-wg")
    RegistrationPolicy.objects.get_or_create(meeting=held)
    states = {state.code: state for state in State.objects.filter(code__in=DELEGATIONS)}
    delegations = [states[code] for code in DELEGATIONS] + organisations
    categories = {delegation: category_for(held, delegation) for delegation in delegations}
    sessions = list(held.sessions.all())
    chance = random.Random(12)
    made = 0
    for number in range(count):
        gender = chance.choice(["female", "male", "female", "male", "not_said"])
        names = GIVEN["female" if gender == "female" else "male"]
        given, family = chance.choice(names), FAMILY[number % len(FAMILY)]
        person, _ = Person.objects.get_or_create(
            email=f"{given}.{family}.{number}@example.org".lower(),
            defaults={"given_name": given, "family_name": family, "gender": gender},
        )
        delegation = delegations[number % len(delegations)]
        registration, created = Registration.objects.get_or_create(
            meeting=held,
            person=person,
            defaults={
                "state": delegation if isinstance(delegation, State) else None,
                "organisation": delegation if isinstance(delegation, Organisation) else None,
                "category": categories[delegation],
                "position": "Delegate",
                "role": ROLES[(number // len(delegations)) % len(ROLES)],
                "mode": "online" if number % 7 == 0 else "in_person",
                "gender": gender,
                "status": Registration.Status.CONFIRMED,
                "consent_given_at": timezone.now(),
            },
        )
        if created:
            registration.sessions.set(
                [
                    s
                    for s in sessions
                    if s.effective_access == "open"
                    or categories[delegation] in ("state_party", "signatory")
                ]
            )
            made += 1
    focal, _ = Person.objects.get_or_create(
        email="focal.point.romania@example.org",
        defaults={
            "honorific": "Mr.",
            "given_name": "Andrei",
            "family_name": "Popescu",
            "state": states["ROU"],
            "gender": "male",
        },
    )
    FocalPoint.objects.get_or_create(person=focal, state=states["ROU"])
    return RegistrationDemo(registrations=made, open_meeting=open_meeting.slug)
