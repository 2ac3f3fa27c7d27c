"""Officers issuing at the same moment get numbers in a row: no gap, no duplicate.

Threads released together by a barrier each issue one document, each on its own database
connection, as web processes do. This needs row locks: on PostgreSQL the counter's row is
locked with SELECT ... FOR UPDATE. The in-memory SQLite test database is one connection
shared by the threads, which cannot hold parallel transactions, so the test runs on
PostgreSQL only (DATABASE_URL=postgres://...); SQLite serialises whole write transactions
instead (settings: IMMEDIATE), which the single-threaded tests cover.
"""

import threading

import pytest
from django.db import connection, connections

from convocation.documents import services
from convocation.documents.models import Document, DocumentCounter
from tests.documents.conftest import submitted
from tests.registrations.conftest import build_week

ISSUERS = 12


@pytest.fixture
def committed_week(transactional_db):
    return build_week()


def test_parallel_issues_get_consecutive_numbers(committed_week):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks: run with DATABASE_URL=postgres://...")
    meeting = committed_week.meeting
    documents = [
        submitted(meeting, ("wgtu", "dief", None)[n % 3], title=f"Paper {n}")
        for n in range(ISSUERS)
    ]
    barrier = threading.Barrier(ISSUERS)
    errors: list[BaseException] = []

    def issue(document: Document) -> None:
        try:
            barrier.wait(timeout=10)
            services.issue_document(document=document, code=f"P{document.pk}", office=None, by=None)
        except BaseException as error:  # reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(document,)) for document in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    numbers = sorted(Document.objects.values_list("number", flat=True))
    assert numbers == list(range(1, ISSUERS + 1))
    symbols = list(Document.objects.values_list("symbol", flat=True))
    assert len(set(symbols)) == ISSUERS
    assert DocumentCounter.objects.get().last_number == ISSUERS
