"""record_person: one person per address, created once, its details as last given.

The suite runs on SQLite and on PostgreSQL, which take different paths (an INSERT ... ON
CONFLICT on PostgreSQL): each test checks both.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convocation.people.models import Person
from convocation.people.records import record_person
from convocation.treaties.models import Organisation, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def romania(db) -> State:
    return State.objects.create(code="ROU", alpha_2="RO", name="Romania")


@pytest.fixture
def institute(db) -> Organisation:
    return Organisation.objects.create(name="Small Arms Survey", category="civil_society")


def details(**changes):
    return {
        "honorific": "Ms.",
        "given_name": "Ana",
        "family_name": "Ionescu",
        "state": None,
        "organisation": None,
        "gender": "female",
        **changes,
    }


def test_a_new_address_makes_a_person_with_the_details_given(romania):
    person, created = record_person("  Ana.Ionescu@MAE.example ", **details(state=romania))

    assert created is True
    stored = Person.objects.get(pk=person.pk)
    assert stored.email == "ana.ionescu@mae.example"
    assert (stored.honorific, stored.given_name, stored.family_name, stored.gender) == (
        "Ms.",
        "Ana",
        "Ionescu",
        "female",
    )
    assert stored.state_id == "ROU" and stored.organisation_id is None
    # The object returned stands for the stored row: it can be saved and related to.
    assert person.email == stored.email and person.state == romania
    assert not person._state.adding


def test_a_known_address_in_another_case_is_the_same_person_with_the_new_details(
    romania, institute
):
    first, _created = record_person("ana@mae.example", **details(state=romania))

    again, created = record_person(
        "ANA@mae.example",
        **details(honorific="Dr", family_name="Ionescu-Pop", organisation=institute),
    )

    assert created is False
    assert again.pk == first.pk
    assert Person.objects.count() == 1
    stored = Person.objects.get(pk=first.pk)
    assert (stored.honorific, stored.family_name) == ("Dr", "Ionescu-Pop")
    assert stored.state_id is None and stored.organisation_id == institute.pk


def test_other_people_are_left_as_they_are(romania):
    other = Person.objects.create(
        email="b@mae.example", given_name="Bogdan", family_name="Pop", honorific="Mr."
    )

    record_person("ana@mae.example", **details(state=romania))
    record_person("ana@mae.example", **details(given_name="Anca"))

    other.refresh_from_db()
    assert (other.given_name, other.family_name, other.honorific) == ("Bogdan", "Pop", "Mr.")
    assert Person.objects.count() == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement write is PostgreSQL's"
)
def test_on_postgresql_the_person_is_written_in_one_statement(romania):
    record_person("ana@mae.example", **details(state=romania))

    with CaptureQueriesContext(connection) as queries:
        record_person("ana@mae.example", **details(given_name="Anca"))

    assert len(queries) == 1
    assert "ON CONFLICT" in queries[0]["sql"]
