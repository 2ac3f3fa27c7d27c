"""Who reads which document: participant kinds × document kinds, by rule, query and page.

Each cell is checked three ways: the rule on facts (``may_read``), the query condition the
lists use (``readable``), and the pages: the document's page and its download answer 200, or
404 as for a document that does not exist, and the library lists it or not.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from convocation.cycles.models import Office
from convocation.documents import access, queries
from convocation.documents.models import Document
from convocation.people.models import Person
from convocation.registrations.models import FocalPoint, Registration
from convocation.treaties.models import State, TreatyAction
from convocation.treaties.status import ActionFact, StateStatus, status_on
from tests.documents.conftest import issued, revised, submitted

KINDS = ["open", "closed", "superseded_open", "superseded_closed", "pending"]
EVERYTHING = dict.fromkeys(KINDS, True)
PUBLIC = {**dict.fromkeys(KINDS, False), "open": True, "superseded_open": True}
CLOSED_TOO = {**EVERYTHING, "pending": False}
TABLE = {
    "anonymous": PUBLIC,
    "observer_state_delegate": PUBLIC,
    "state_party_delegate": CLOSED_TOO,
    "signatory_delegate": CLOSED_TOO,
    "ngo_delegate": PUBLIC,
    "focal_point_of_a_party": CLOSED_TOO,
    "office_holder_of_the_body": CLOSED_TOO,
    "staff": EVERYTHING,
}


@dataclass
class World:
    documents: dict[str, Document]
    clients: dict[str, Client]
    users: dict[str, object]


def person(email: str, **values) -> Person:
    return Person.objects.create(given_name="A", family_name=email.split("@")[0], email=email)


def registered(week, email: str, *, state: str | None = None, organisation=None) -> Person:
    someone = person(email)
    Registration.objects.create(
        meeting=week.meeting,
        person=someone,
        state_id=state,
        organisation=organisation,
        category="observer",
        position="Delegate",
        role="member",
        mode="in_person",
        gender="female",
        status=Registration.Status.CONFIRMED,
        consent_given_at=timezone.now(),
    )
    return someone


@pytest.fixture
def world(week) -> World:
    meeting = week.meeting
    open_old = issued(meeting, "wgtu", title="WGTU paper")
    closed_old = issued(meeting, "dief", title="DIEF paper", code="DIEF.WP")
    documents = {
        "open": revised(open_old),
        "closed": revised(closed_old),
        "superseded_open": open_old,
        "superseded_closed": closed_old,
        "pending": submitted(meeting, "wgtu", title="Not yet issued"),
    }
    for document in documents.values():
        document.refresh_from_db()
    User = get_user_model()
    users = {"anonymous": None}
    users["staff"] = User.objects.create_user("officer", is_staff=True)
    registered(week, "observer@example.org", state="BRA")
    registered(week, "party@example.org", state="ROU")
    registered(week, "signatory@example.org", state="USA")
    registered(week, "ngo@example.org", organisation=week.civil_society)
    FocalPoint.objects.create(person=person("focal@example.org"), state_id="GBR")
    Office.objects.create(
        cycle=meeting.cycle,
        title=Office.Title.CHAIR,
        body=documents["closed"].body,
        holder=person("chair@example.org"),
    )
    for kind, email in [
        ("observer_state_delegate", "observer@example.org"),
        ("state_party_delegate", "party@example.org"),
        ("signatory_delegate", "signatory@example.org"),
        ("ngo_delegate", "ngo@example.org"),
        ("focal_point_of_a_party", "focal@example.org"),
        ("office_holder_of_the_body", "chair@example.org"),
    ]:
        users[kind] = User.objects.create_user(email, email=email)
    clients = {}
    for kind, user in users.items():
        clients[kind] = Client()
        if user is not None:
            clients[kind].force_login(user)
    return World(documents, clients, users)


def test_the_world_has_the_statuses_the_table_assumes(world):
    treaty = world.documents["open"].meeting.cycle.treaty
    today = timezone.localdate()

    def status(code):
        facts = [
            ActionFact(kind, date)
            for kind, date in TreatyAction.objects.filter(state_id=code).values_list("kind", "date")
        ]
        return status_on(
            facts,
            today,
            entry_into_force=treaty.entry_into_force,
            delay_days=treaty.entry_into_force_delay_days,
        )

    assert [status(code) for code in ("BRA", "ROU", "USA", "GBR")] == [
        StateStatus.OBSERVER,
        StateStatus.STATE_PARTY,
        StateStatus.SIGNATORY,
        StateStatus.STATE_PARTY,
    ]
    assert world.documents["closed"].body.is_closed
    assert not world.documents["open"].body.is_closed
    assert world.documents["superseded_closed"].is_superseded


@pytest.mark.parametrize("participant", list(TABLE))
def test_access_table(world, participant):
    user = world.users[participant]
    reader = access.reader_for(user) if user is not None else access.ANONYMOUS
    by_rule = {
        kind: access.may_read(reader, access.facts_of(document))
        for kind, document in world.documents.items()
    }
    assert by_rule == TABLE[participant]

    listed = set(queries.issued_for(reader).values_list("pk", flat=True))
    assert {kind: document.pk in listed for kind, document in world.documents.items()} == {
        **TABLE[participant],
        "pending": False,
    }

    client = world.clients[participant]
    by_page = {}
    for kind, document in world.documents.items():
        page = client.get(f"/documents/{document.pk}/")
        download = client.get(f"/documents/{document.pk}/en/")
        if download.status_code == 200:
            assert b"".join(download.streaming_content).startswith(b"%PDF-")
        assert page.status_code == download.status_code, kind
        assert page.status_code in (200, 404)
        by_page[kind] = page.status_code == 200
    assert by_page == TABLE[participant]

    library = client.get("/documents/").content.decode()
    assert {
        kind: f"/documents/{document.pk}/" in library for kind, document in world.documents.items()
    } == {**TABLE[participant], "pending": False}


def test_a_closed_document_is_not_counted_for_those_who_may_not_read_it(world):
    anonymous = world.clients["anonymous"].get("/documents/").content.decode()
    party = world.clients["state_party_delegate"].get("/documents/").content.decode()
    assert "2 documents" in anonymous
    assert "4 documents" in party
    assert "DIEF paper" not in anonymous
    assert "DIEF paper" in party


def test_the_submitter_reads_their_own_pending_document(week, django_user_model, client):
    chair = django_user_model.objects.create_user("chair@example.org", email="chair@example.org")
    document = submitted(week.meeting, "wgtu", by=chair)
    client.force_login(chair)
    assert client.get(f"/documents/{document.pk}/").status_code == 200
    client.force_login(django_user_model.objects.create_user("other@example.org"))
    assert client.get(f"/documents/{document.pk}/").status_code == 404


def test_a_withdrawn_document_is_for_staff_only(week, django_user_model):
    chair = django_user_model.objects.create_user("chair@example.org", email="chair@example.org")
    document = submitted(week.meeting, "wgtu", by=chair)
    document.status = Document.Status.WITHDRAWN
    document.save()
    facts = access.facts_of(document)
    assert not access.may_read(access.reader_for(chair), facts)
    assert access.may_read(access.Reader(is_staff=True), facts)


def test_a_state_reads_a_closed_document_issued_once_it_is_a_party(week, django_user_model):
    """Kenya becomes a State Party on the DIEF's day (see the week): what it may read follows."""
    registered(week, "kenya@example.org", state="KEN")
    user = django_user_model.objects.create_user("kenya@example.org", email="kenya@example.org")
    before = issued(week.meeting, "dief", title="Before", on=week.dief_day - dt.timedelta(days=1))
    on_the_day = issued(week.meeting, "dief", title="On the day", code="X", on=week.dief_day)
    reader = access.reader_for(user)
    assert not access.may_read(reader, access.facts_of(before))
    assert access.may_read(reader, access.facts_of(on_the_day))
    assert list(queries.issued_for(reader).filter(body__slug="dief")) == [on_the_day]


def test_a_registration_in_another_cycle_does_not_open_closed_documents(week, django_user_model):
    other = week.meeting.cycle.treaty.cycles.get(number=10).meetings.get()
    someone = person("rou@example.org")
    Registration.objects.create(
        meeting=other,
        person=someone,
        state=State.objects.get(code="ROU"),
        category="state_party",
        position="Delegate",
        role="member",
        mode="in_person",
        gender="female",
        status=Registration.Status.CONFIRMED,
        consent_given_at=timezone.now(),
    )
    user = django_user_model.objects.create_user("rou@example.org", email="rou@example.org")
    document = issued(week.meeting, "dief", title="DIEF paper")
    assert not access.may_read(access.reader_for(user), access.facts_of(document))


def test_a_refused_registration_does_not_open_closed_documents(week, django_user_model):
    registered(week, "party@example.org", state="ROU")
    Registration.objects.update(status=Registration.Status.WITHDRAWN)
    user = django_user_model.objects.create_user("party@example.org", email="party@example.org")
    document = issued(week.meeting, "dief")
    assert not access.may_read(access.reader_for(user), access.facts_of(document))


@pytest.mark.parametrize(
    ("actions", "expected"),
    [
        ([], None),
        ([("signature", dt.date(2013, 6, 3))], dt.date(2013, 6, 3)),
        ([("accession", dt.date(2020, 7, 6))], dt.date(2020, 10, 4)),
        ([("ratification", dt.date(2013, 7, 1))], dt.date(2014, 12, 24)),
        (
            [("signature", dt.date(2015, 1, 1)), ("ratification", dt.date(2014, 1, 1))],
            dt.date(2014, 12, 24),
        ),
    ],
)
def test_allowed_from_is_the_first_day_as_party_or_signatory(actions, expected):
    facts = [ActionFact(kind, date) for kind, date in actions]
    rule = {"entry_into_force": dt.date(2014, 12, 24), "delay_days": 90}
    assert access.allowed_from(facts, **rule) == expected
    # The same answer as the status, day by day around it.
    if expected is not None:
        for day in (expected - dt.timedelta(days=1), expected):
            allowed = status_on(facts, day, **rule) != StateStatus.OBSERVER
            assert allowed == (day >= expected)
