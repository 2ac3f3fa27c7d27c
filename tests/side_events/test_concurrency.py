"""Two officers accept side events for the same room and time at the same moment.

The acceptance reads the day's bookings, then writes its own; without the row lock on the
meeting's side-event policy, both would read a free room and both would book it. Each
thread reads its bookings and then waits a moment, so that without the lock the race is
certain; with it, the second waits for the first to commit and is refused.

Needs a database where each thread has its own connection and rows can be locked:
PostgreSQL. SQLite locks the whole database for a write instead, which serialises the two
anyway and proves nothing about ``select_for_update``.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection

from convocation.side_events import services
from convocation.side_events.models import SideEventProposal
from tests.side_events.conftest import build_week, proposal

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="row locks (select_for_update) need PostgreSQL: run with DATABASE_URL=postgres://…",
)


def test_two_acceptances_for_one_room_at_once_book_it_once(transactional_db, monkeypatch):
    week = build_week()
    first = proposal(week, title="First")
    second = proposal(week, title="Second")
    read_bookings = services.bookings_of

    def slow_bookings(*args, **kwargs):
        found = read_bookings(*args, **kwargs)
        time.sleep(0.5)  # the other thread reads now, if nothing holds it back
        return found

    monkeypatch.setattr(services, "bookings_of", slow_bookings)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def accept(item: SideEventProposal) -> None:
        try:
            barrier.wait()
            services.accept_proposal(proposal=item, by=None, room="Room 3", notify=False)
            outcomes[item.title] = "accepted"
        except services.SideEventError as error:
            outcomes[item.title] = error.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(item,)) for item in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    accepted = [title for title, outcome in outcomes.items() if outcome == "accepted"]
    refused = [outcome for outcome in outcomes.values() if outcome != "accepted"]
    assert len(accepted) == 1
    assert len(refused) == 1
    assert refused[0].startswith("Room 3 is already taken on")
    assert SideEventProposal.objects.filter(status="accepted", room="Room 3").count() == 1
    assert week.meeting.side_events.filter(room="Room 3").count() == 1
