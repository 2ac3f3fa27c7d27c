"""The ATT demo: the treaty, its bodies, and the two Working Group weeks of the letters.

Facts come from the ATT Secretariat's invitations of 22 January 2024 (CSP10) and
16 January 2026 (CSP12). Loading is idempotent: records are found by their natural keys
and created only when missing, so a second run keeps what an officer has edited since.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db import transaction

from convocation.cycles.models import ConferenceCycle, Office
from convocation.meetings.models import Meeting, Session, SideEvent
from convocation.meetings.revisions import publish_revision
from convocation.people.models import Person
from convocation.treaties.models import Body, State, Treaty, TreatyAction
from convocation.treaties.states import world_states

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")
MORNING = (dt.time(10), dt.time(13))
AFTERNOON = (dt.time(15), dt.time(18))

BODIES = [
    # slug, kind, parent slug, acronym, English, French, Spanish, access
    (
        "wgeti",
        "working_group",
        None,
        "WGETI",
        "Working Group on Effective Treaty Implementation",
        "Groupe de travail sur l'application efficace du Traité",
        "Grupo de Trabajo sobre la Aplicación Eficaz del Tratado",
        "open",
    ),
    (
        "wgeti-articles-6-7",
        "sub_working_group",
        "wgeti",
        "",
        "Sub-working Group on Articles 6&7",
        "Sous-groupe de travail sur les articles 6 et 7",
        "Subgrupo de trabajo sobre los artículos 6 y 7",
        "open",
    ),
    (
        "wgeti-national-practices",
        "sub_working_group",
        "wgeti",
        "",
        "Sub-working Group on exchange of national implementation practices",
        "Sous-groupe de travail sur l'échange de pratiques nationales de mise en œuvre",
        "Subgrupo de trabajo sobre el intercambio de prácticas nacionales de aplicación",
        "open",
    ),
    (
        "wgeti-current-issues",
        "sub_working_group",
        "wgeti",
        "",
        "Sub-working Group on current and emerging implementation issues",
        "Sous-groupe de travail sur les questions actuelles et émergentes de mise en œuvre",
        "Subgrupo de trabajo sobre cuestiones actuales y emergentes de aplicación",
        "open",
    ),
    (
        "wgtu",
        "working_group",
        None,
        "WGTU",
        "Working Group on Treaty Universalization",
        "Groupe de travail sur l'universalisation du Traité",
        "Grupo de Trabajo sobre la Universalización del Tratado",
        "open",
    ),
    (
        "wgtr",
        "working_group",
        None,
        "WGTR",
        "Working Group on Transparency and Reporting",
        "Groupe de travail sur la transparence et l'établissement de rapports",
        "Grupo de Trabajo sobre Transparencia y Presentación de Informes",
        "open",
    ),
    (
        "dief",
        "forum",
        None,
        "DIEF",
        "Diversion Information Exchange Forum",
        "Forum d'échange d'informations sur le détournement",
        "Foro de Intercambio de Información sobre Desvíos",
        "parties_and_signatories",
    ),
]

# A handful of treaty actions, enough to show the three statuses; the full table is loaded
# with ``convocation import-treaty-actions``.
TREATY_ACTIONS = [
    ("ROU", "signature", dt.date(2013, 6, 3)),
    ("ROU", "ratification", dt.date(2014, 4, 2)),
    ("GBR", "signature", dt.date(2013, 6, 3)),
    ("GBR", "ratification", dt.date(2014, 4, 2)),
    ("FRA", "signature", dt.date(2013, 6, 3)),
    ("FRA", "ratification", dt.date(2014, 4, 2)),
    ("CHE", "signature", dt.date(2013, 6, 3)),
    ("CHE", "ratification", dt.date(2015, 1, 30)),
    ("CHN", "accession", dt.date(2020, 7, 6)),
    ("USA", "signature", dt.date(2013, 9, 25)),
]

# day, slot, body slug — as the annexes of the two letters lay them out.
CSP10_SESSIONS = [
    (dt.date(2024, 2, 20), MORNING, "wgeti-articles-6-7"),
    (dt.date(2024, 2, 20), AFTERNOON, "wgeti-national-practices"),
    (dt.date(2024, 2, 21), MORNING, "wgeti-national-practices"),
    (dt.date(2024, 2, 21), AFTERNOON, "wgeti-current-issues"),
    (dt.date(2024, 2, 22), MORNING, "wgtu"),
    (dt.date(2024, 2, 22), AFTERNOON, "dief"),
    (dt.date(2024, 2, 23), MORNING, "wgtr"),
    (dt.date(2024, 2, 23), AFTERNOON, "wgtr"),
]
CSP12_SESSIONS = [
    (dt.date(2026, 3, 16), MORNING, "wgeti-national-practices"),
    (dt.date(2026, 3, 16), AFTERNOON, "wgeti-national-practices"),
    (dt.date(2026, 3, 17), MORNING, "wgeti-current-issues"),
    (dt.date(2026, 3, 17), AFTERNOON, "wgeti-current-issues"),
    (dt.date(2026, 3, 18), MORNING, "wgeti-current-issues"),
    (dt.date(2026, 3, 18), AFTERNOON, "wgtu"),
    (dt.date(2026, 3, 19), MORNING, "wgtr"),
    (dt.date(2026, 3, 19), AFTERNOON, "wgtr"),
]


@dataclass(frozen=True)
class DemoSummary:
    states: int
    meetings: int
    sessions: int


def at_geneva(day: dt.date, moment: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, moment, tzinfo=GENEVA)


def load_states() -> int:
    existing = set(State.objects.values_list("code", flat=True))
    missing = [
        State(code=fact.code, alpha_2=fact.alpha_2, name=fact.name)
        for fact in world_states()
        if fact.code not in existing
    ]
    State.objects.bulk_create(missing)
    return State.objects.count()


def load_treaty() -> Treaty:
    treaty, _ = Treaty.objects.get_or_create(
        code="att",
        defaults={
            "name": "Arms Trade Treaty",
            "name_fr": "Traité sur le commerce des armes",
            "name_es": "Tratado sobre el Comercio de Armas",
            "acronym": "ATT",
            "acronym_fr": "TCA",
            "acronym_es": "TCA",
            "secretariat_address": "Avenue de France 23\nCH-1202 Geneva",
            "website": "https://thearmstradetreaty.org",
            "official_languages": "ar,en,es,fr,ru,zh",
            "entry_into_force": dt.date(2014, 12, 24),
            "entry_into_force_delay_days": 90,
            "document_symbol_pattern": "ATT/{cycle}.{body}/{year}/{office}/{number}/{code}",
        },
    )
    for code, kind, date in TREATY_ACTIONS:
        TreatyAction.objects.get_or_create(
            treaty=treaty, state_id=code, kind=kind, defaults={"date": date}
        )
    return treaty


def load_bodies(treaty: Treaty) -> dict[str, Body]:
    bodies: dict[str, Body] = {}
    for order, (slug, kind, parent, acronym, name, name_fr, name_es, access) in enumerate(
        BODIES, start=1
    ):
        bodies[slug], _ = Body.objects.get_or_create(
            treaty=treaty,
            slug=slug,
            defaults={
                "kind": kind,
                "parent": bodies.get(parent) if parent else None,
                "acronym": acronym,
                "name": name,
                "name_fr": name_fr,
                "name_es": name_es,
                "access": access,
                "order": order,
            },
        )
    return bodies


def load_cycles(treaty: Treaty, bodies: dict[str, Body]) -> dict[int, ConferenceCycle]:
    conferences = {
        9: (dt.date(2023, 8, 21), dt.date(2023, 8, 25), None),
        10: (dt.date(2024, 8, 19), dt.date(2024, 8, 23), dt.date(2023, 11, 20)),
        11: (dt.date(2025, 8, 25), dt.date(2025, 8, 29), None),
        12: (None, None, dt.date(2025, 12, 1)),
    }
    cycles = {}
    for number, (opens, closes, announced) in conferences.items():
        cycles[number], _ = ConferenceCycle.objects.get_or_create(
            treaty=treaty,
            number=number,
            defaults={
                "conference_start": opens,
                "conference_end": closes,
                "announcement_date": announced,
            },
        )

    rusu, _ = Person.objects.get_or_create(
        given_name="Răzvan",
        family_name="Rusu",
        defaults={"honorific": "Ambassador", "state_id": "ROU", "gender": Person.Gender.MALE},
    )
    tsheole, _ = Person.objects.get_or_create(
        given_name="Tsholofelo",
        family_name="Tsheole",
        defaults={"honorific": "Ms.", "gender": Person.Gender.FEMALE},
    )
    Office.objects.get_or_create(
        cycle=cycles[10], title=Office.Title.PRESIDENT, body=None, defaults={"holder": rusu}
    )
    Office.objects.get_or_create(
        cycle=cycles[12], title=Office.Title.PRESIDENT, body=None, defaults={"holder": tsheole}
    )
    # Vacant at the time of the 2026 invitation, which calls for nominations.
    Office.objects.get_or_create(
        cycle=cycles[12], title=Office.Title.CHAIR, body=bodies["wgeti"], defaults={"holder": None}
    )
    Office.objects.get_or_create(
        cycle=cycles[12],
        title=Office.Title.FACILITATOR,
        body=bodies["wgeti-current-issues"],
        defaults={"holder": None},
    )
    return cycles


def load_week(
    *,
    cycle: ConferenceCycle,
    slug: str,
    title: tuple[str, str, str],
    first_day: dt.date,
    last_day: dt.date,
    sessions: list[tuple[dt.date, tuple[dt.time, dt.time], str]],
    bodies: dict[str, Body],
    **policies,
) -> Meeting:
    meeting, _ = Meeting.objects.get_or_create(
        slug=slug,
        defaults={
            "cycle": cycle,
            "kind": Meeting.Kind.WORKING_GROUPS,
            "title": title[0],
            "title_fr": title[1],
            "title_es": title[2],
            "venue": "Centre International de Conférences Genève (CICG)",
            "city": "Geneva",
            "city_fr": "Genève",
            "city_es": "Ginebra",
            "country": "Switzerland",
            "country_fr": "Suisse",
            "country_es": "Suiza",
            "time_zone": "Europe/Zurich",
            "start_date": first_day,
            "end_date": last_day,
            "format": Meeting.Format.IN_PERSON,
            **policies,
        },
    )
    for day, (start, end), body_slug in sessions:
        Session.objects.get_or_create(
            meeting=meeting,
            body=bodies[body_slug],
            start=at_geneva(day, start),
            defaults={"end": at_geneva(day, end)},
        )
    day = first_day
    while day <= last_day:
        SideEvent.objects.get_or_create(meeting=meeting, date=day, defaults={"title": ""})
        day += dt.timedelta(days=1)
    return meeting


@transaction.atomic
def load_demo() -> DemoSummary:
    states = load_states()
    treaty = load_treaty()
    bodies = load_bodies(treaty)
    cycles = load_cycles(treaty, bodies)
    csp10 = load_week(
        cycle=cycles[10],
        slug="att-csp10-wg",
        title=(
            "ATT CSP10 Working Group meetings",
            "Réunions des groupes de travail de la CSP10 du TCA",
            "Reuniones de los grupos de trabajo de la CSP10 del TCA",
        ),
        first_day=dt.date(2024, 2, 20),
        last_day=dt.date(2024, 2, 23),
        sessions=CSP10_SESSIONS,
        bodies=bodies,
        status=Meeting.Status.HELD,
        registration=Meeting.Registration.SOME_SESSIONS,
        livestream=Meeting.Livestream.PUBLIC,
        documents_target_date=None,
    )
    csp12 = load_week(
        cycle=cycles[12],
        slug="att-csp12-wg",
        title=(
            "ATT CSP12 Working Group meetings",
            "Réunions des groupes de travail de la CSP12 du TCA",
            "Reuniones de los grupos de trabajo de la CSP12 del TCA",
        ),
        first_day=dt.date(2026, 3, 16),
        last_day=dt.date(2026, 3, 19),
        sessions=CSP12_SESSIONS,
        bodies=bodies,
        status=Meeting.Status.HELD,
        registration=Meeting.Registration.REQUIRED,
        collects_gender_data=True,
        livestream=Meeting.Livestream.REGISTERED,
        documents_target_date=dt.date(2026, 2, 17),
    )
    # The draft schedule each invitation annexed is the first revision: the baseline later
    # revisions are compared with.
    load_first_revision(csp10, letter_date=dt.date(2024, 1, 22))
    load_first_revision(csp12, letter_date=dt.date(2026, 1, 16))
    return DemoSummary(
        states=states, meetings=Meeting.objects.count(), sessions=Session.objects.count()
    )


def load_first_revision(meeting: Meeting, *, letter_date: dt.date) -> None:
    if meeting.revisions.exists():
        return
    publish_revision(
        meeting=meeting,
        note="The draft schedule annexed to the invitation.",
        by=None,
        at=at_geneva(letter_date, dt.time(12)),
    )
