"""Registrations and withdrawals made at the same moment, by parallel clients.

Over real HTTP: pytest-django's live server (a threaded WSGI server on 127.0.0.1) takes the
POSTs of the registration form from client threads released together by a barrier, each
signed in with its own session cookie and sending a CSRF cookie and token as a browser does.
The in-person capacity must hold: exactly as many confirmed as there are places, the rest on
the waiting list in the order the registrations were made, none lost, none made twice.

Each request and each thread must have a database connection of its own, as in any
deployment. On PostgreSQL they do. The in-memory SQLite test database is different: the
live server hands the test's one connection to all its request threads (pytest-django and
Django's LiveServerTestCase do so, since the database exists only inside that connection),
and parallel transactions on one connection corrupt each other (tried: 159 of 220 requests
answered 500, "cannot start a transaction within a transaction", "no such savepoint"). So on
SQLite the test database is copied to a file for the duration of the load (``own_database``)
and every thread connects to that file, with the settings' IMMEDIATE transactions and busy
timeout, as the site does.
"""

import http.client
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.utils.crypto import get_random_string
from pytest_django.live_server_helper import LiveServer

from convocation.registrations import services
from convocation.registrations.models import Registration
from convocation.treaties.models import State
from tests.registrations.conftest import Week, build_week, delegate

REGISTER = "/meetings/next-wg/register/"
# A browser keeps the CSRF secret in a cookie and sends it back masked with the form; Django
# also accepts the unmasked secret (32 characters), which is what these clients send.
CSRF_SECRET = get_random_string(32)
# Django's test server listens with a backlog of 10 connections: 32 clients connecting at
# once overflow it and some are reset by the kernel before the server accepts them (tried).
# gunicorn's default backlog is 2048; the test server's socket is given a larger one.
LISTEN_BACKLOG = 128


@pytest.fixture
def transactional_week(transactional_db) -> Week:
    """The week of the ``week`` fixture, committed, so that other threads see it."""
    return build_week()


@contextmanager
def own_database(tmp_path: Path) -> Iterator[None]:
    """Within the block, a connection per thread to a database that has them.

    PostgreSQL: nothing to do. In-memory SQLite: the database is copied to a file, which
    every thread then opens (this one included, to check the outcome); the in-memory
    database is untouched and back in use afterwards.
    """
    memory = connections[DEFAULT_DB_ALIAS]
    if not (memory.vendor == "sqlite" and memory.is_in_memory_db()):
        yield
        return
    memory.ensure_connection()
    path = tmp_path / "served.sqlite3"
    with closing(sqlite3.connect(path)) as copy:
        memory.connection.backup(copy)
    databases = connections.settings
    databases[DEFAULT_DB_ALIAS] = {**memory.settings_dict, "NAME": str(path)}
    on_file = connections.create_connection(DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = on_file
    try:
        yield
    finally:
        on_file.close()
        connections[DEFAULT_DB_ALIAS] = memory
        databases[DEFAULT_DB_ALIAS] = memory.settings_dict


@contextmanager
def live_site() -> Iterator[str]:
    """pytest-django's live server on 127.0.0.1 and a free port, for this block only."""
    server = LiveServer("127.0.0.1:0")
    server.thread.httpd.socket.listen(LISTEN_BACKLOG)
    # What pytest-django's fixture does around each test: the server's host is allowed.
    server._live_server_modified_settings.enable()
    try:
        yield server.url
    finally:
        server._live_server_modified_settings.disable()
        server.stop()


def all_at_once(jobs: list[Callable[[], object]], threads: int) -> list[object]:
    """Run the jobs on ``threads`` threads that a barrier releases together; thread n takes
    jobs n, n + threads, n + 2 × threads… in turn. Each thread closes its connections."""
    barrier = threading.Barrier(threads)
    results: list[object] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def work(share: list[Callable[[], object]]) -> None:
        try:
            barrier.wait(timeout=30)
            for job in share:
                result = job()
                with lock:
                    results.append(result)
        except BaseException as error:  # raised again in the test's thread
            with lock:
                failures.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(jobs[n::threads],)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not any(worker.is_alive() for worker in workers), "a thread did not finish in time"
    if failures:
        raise failures[0]
    return results


@dataclass(frozen=True)
class Delegate:
    email: str
    session_cookie: str


def signed_in_delegates(count: int) -> list[Delegate]:
    """``count`` accounts, each signed in: the session cookie its browser would hold."""
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"d{n:03}@example.org", email=f"d{n:03}@example.org") for n in range(count)
    )
    delegates = []
    for user in users:
        client = Client()
        client.force_login(user)
        delegates.append(Delegate(user.email, client.cookies["sessionid"].value))
    return delegates


FORM = {
    "delegation": "state:ROU",
    "honorific": "Ms.",
    "given_name": "Ana",
    "family_name": "Ionescu",
    "position": "First Secretary",
    "role": "member",
    "mode": "in_person",
    "gender": "female",
    "consent": "on",
}


@dataclass(frozen=True)
class Answer:
    delegate: Delegate
    status: int
    location: str


def submit(base_url: str, delegate: Delegate, csrf_token: str | None = CSRF_SECRET) -> Answer:
    """One POST of the registration form, on a connection of its own, as a browser sends it."""
    address = urlsplit(base_url)
    form = FORM if csrf_token is None else {"csrfmiddlewaretoken": csrf_token, **FORM}
    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        conn.request(
            "POST",
            REGISTER,
            body=urlencode(form),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={delegate.session_cookie}; csrftoken={CSRF_SECRET}",
            },
        )
        response = conn.getresponse()
        response.read()
        return Answer(delegate, response.status, response.getheader("Location") or "")
    finally:
        conn.close()


def check_outcome(week: Week, people: list[Delegate], answers: list[Answer], places: int):
    """One registration per person whatever was submitted, and the places first come, first
    served."""
    assert sorted({answer.status for answer in answers}) == [302]
    registrations = list(Registration.objects.filter(meeting=week.meeting).select_related("person"))
    by_email = {registration.person.email: registration for registration in registrations}
    assert len(registrations) == len(people), "one registration for each person, none lost"
    assert set(by_email) == {person.email for person in people}
    # Every answer, a repeat's too, leads to the person's one registration.
    for answer in answers:
        assert answer.location == f"/my/registrations/{by_email[answer.delegate.email].pk}/"

    confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
    waiting = [r for r in registrations if r.status == Registration.Status.WAITLISTED]
    assert len(confirmed) == places
    assert len(waiting) == len(people) - places
    assert {r.mode for r in registrations} == {Registration.Mode.IN_PERSON}
    # The places went in the order the registrations took the lock, and the waiting list
    # starts after the last place: a registration that found none was put on the list at
    # the moment it was counted, after every confirmed one had been made.
    assert max(r.created_at for r in confirmed) <= min(r.created_at for r in waiting)
    # An email for each registration, none for a repeat.
    assert len(mail.outbox) == len(people)


def registrations_from_parallel_clients(
    week: Week, tmp_path: Path, *, people: int, places: int, repeats: int, threads: int
) -> None:
    week.policy.in_person_capacity = places
    week.policy.save()
    delegates = signed_in_delegates(people)
    # The first delegates submit twice at the same moment (a double click, two tabs): both
    # submissions are in the first wave the barrier releases, on two threads.
    submissions = delegates[:repeats] + delegates[:repeats] + delegates[repeats:]
    with own_database(tmp_path), live_site() as url:
        # The live server checks CSRF as the site does: without the token, 403.
        assert submit(url, delegates[-1], csrf_token=None).status == 403
        answers = all_at_once([lambda d=d: submit(url, d) for d in submissions], threads=threads)
        assert len(answers) == people + repeats
        check_outcome(week, delegates, answers, places)


@pytest.mark.django_db(transaction=True)
def test_200_parallel_submissions_for_150_places_confirm_150_and_wait_list_50(
    transactional_week, tmp_path
):
    registrations_from_parallel_clients(
        transactional_week, tmp_path, people=200, places=150, repeats=20, threads=32
    )


@pytest.mark.django_db(transaction=True)
def test_parallel_withdrawals_give_each_freed_place_once_in_waiting_list_order(
    transactional_week, tmp_path
):
    week = transactional_week
    week.policy.in_person_capacity = 10
    week.policy.save()
    romania = State.objects.get(code="ROU")
    made = [
        services.register(week.meeting, delegate(f"d{n:02}@example.org", state=romania), by=None)
        for n in range(25)
    ]
    holders, waiting = made[:10], made[10:]
    assert {r.status for r in holders} == {"confirmed"}
    assert {r.status for r in waiting} == {"waitlisted"}
    mail.outbox.clear()

    def withdraw(registration: Registration):
        return services.withdraw(registration, by=None)

    def newcomer(n: int):
        return services.register(
            week.meeting, delegate(f"new{n}@example.org", state=romania), by=None
        )

    # Each holder withdraws twice at once (a double click), and five newcomers register
    # while the places are being given back.
    jobs = [lambda r=r: withdraw(r) for r in holders * 2]
    jobs += [lambda n=n: newcomer(n) for n in range(5)]
    with own_database(tmp_path):
        all_at_once(jobs, threads=len(jobs))
        statuses = dict(
            Registration.objects.filter(meeting=week.meeting).values_list("person__email", "status")
        )
        promoted = [email for email, status in statuses.items() if status == "confirmed"]
        assert sorted(promoted) == [f"d{n:02}@example.org" for n in range(10, 20)]
        assert [statuses[r.person.email] for r in holders] == ["withdrawn"] * 10
        # The newcomers wait behind those already waiting: no place was left free for them.
        assert [statuses[f"new{n}@example.org"] for n in range(5)] == ["waitlisted"] * 5
        assert [statuses[f"d{n:02}@example.org"] for n in range(20, 25)] == ["waitlisted"] * 5
        # One email per withdrawal, per promotion and per newcomer: nothing happened twice.
        assert len(mail.outbox) == 10 + 10 + 5
