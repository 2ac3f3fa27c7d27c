"""Hot-path queries compiled once (convocation.prepared) give what the ORM gives."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from convocation.meetings.demo import load_demo
from convocation.meetings.models import Meeting, Session
from convocation.people.models import Person
from convocation.people.queries import person_with_email
from convocation.prepared import Prepared, PreparedQueryError
from convocation.treaties.models import TreatyAction

pytestmark = pytest.mark.django_db

SESSIONS = Prepared(
    lambda meeting, room: (
        Session.objects.filter(meeting_id=meeting, cancelled=False)
        .exclude(room=room)
        .order_by("start", "id")
    ),
    int,
    str,
)
SESSION_TIMES = Prepared(
    lambda meeting: (
        Session.objects.filter(meeting_id=meeting)
        .order_by("start", "id")
        .values_list("id", "start", "end")
    ),
    int,
)


@pytest.fixture
def meeting() -> Meeting:
    load_demo()
    return Meeting.objects.get(slug="att-csp12-wg")


def test_model_rows_are_those_of_the_orm_with_new_values_each_call(meeting):
    other = Meeting.objects.exclude(pk=meeting.pk).first()
    for chosen in (other, meeting):
        expected = list(chosen.sessions.filter(cancelled=False).order_by("start", "id"))
        rows = SESSIONS.rows(chosen.pk, "no such room")
        assert rows == expected and rows
        first = rows[0]
        # Every field comes back converted as the ORM converts it (dates on SQLite too).
        assert isinstance(first.start, dt.datetime) and first.start.tzinfo is not None
        assert [s.end for s in rows] == [s.end for s in expected]
        assert first.body == expected[0].body
    meeting.sessions.filter(pk=rows[0].pk).update(room="Room XXIII")
    assert [s.pk for s in SESSIONS.rows(meeting.pk, "Room XXIII")] == [s.pk for s in rows[1:]]


def test_values_list_rows_are_tuples_converted_as_the_orm_converts_them(meeting):
    expected = list(
        Session.objects.filter(meeting=meeting)
        .order_by("start", "id")
        .values_list("id", "start", "end")
    )
    assert SESSION_TIMES.rows(meeting.pk) == expected
    assert SESSION_TIMES.first(-1) is None


def test_the_queryset_is_built_once_and_later_calls_only_send_their_values(meeting):
    built = []

    def build(pk):
        built.append(pk)
        return Meeting.objects.filter(pk=pk).values_list("slug")

    slugs = Prepared(build, int)
    with CaptureQueriesContext(connection) as queries:
        assert slugs.rows(meeting.pk) == [(meeting.slug,)]
        assert slugs.rows(-5) == []
    assert len(built) == 1 and len(queries) == 2


def test_a_value_that_would_not_reach_the_sql_unchanged_is_refused_when_compiled(meeting):
    contains = Prepared(lambda name: Person.objects.filter(family_name__icontains=name), str)
    with pytest.raises(PreparedQueryError, match="do not reach the SQL"):
        contains.rows("Ana")
    with pytest.raises(PreparedQueryError, match="Expected 1 values"):
        SESSION_TIMES.rows()
    with pytest.raises(PreparedQueryError):
        Prepared(lambda day: Session.objects.filter(start__date=day), dt.date)
    related = Prepared(lambda pk: Session.objects.select_related("body").filter(pk=pk), int)
    with pytest.raises(PreparedQueryError, match="without related rows"):
        related.rows(1)


def test_select_for_update_outside_a_transaction_fails_as_with_the_orm(meeting):
    def orm():
        list(TreatyAction.objects.select_for_update().filter(treaty=meeting.cycle.treaty_id))

    locked = Prepared(
        lambda treaty: TreatyAction.objects.select_for_update().filter(treaty_id=treaty), int
    )
    with transaction.atomic():
        assert locked.rows(meeting.cycle.treaty_id) == list(
            TreatyAction.objects.filter(treaty=meeting.cycle.treaty_id)
        )
    # pytest-django wraps each test in a transaction: leave autocommit off and on as the
    # ORM sees it, by asking the ORM first.
    try:
        orm()
    except TransactionManagementError:
        with pytest.raises(TransactionManagementError):
            locked.rows(meeting.cycle.treaty_id)
    else:
        locked.rows(meeting.cycle.treaty_id)


def test_a_person_is_found_by_email_in_any_case_and_an_empty_address_finds_nobody():
    ana = Person.objects.create(
        given_name="Ana", family_name="Pérez", email="Ana.Perez@example.org"
    )
    Person.objects.create(given_name="No", family_name="Address", email="")
    assert person_with_email("ana.perez@EXAMPLE.org ") == ana
    assert person_with_email("ana@example.org") is None
    assert person_with_email("") is None
    assert person_with_email("  ") is None
