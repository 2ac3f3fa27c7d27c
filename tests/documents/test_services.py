"""Issuing with a symbol, revisions and corrigenda, withdrawal, and the target date."""

import datetime as dt

import pytest

from convocation.cycles.models import Office
from convocation.documents import services
from convocation.documents.models import Document, DocumentCounter
from convocation.documents.timeliness import Timeliness, timeliness
from convocation.meetings.demo import at_geneva
from tests.documents.conftest import issued, revised, submitted


def chair_of(meeting, slug: str) -> Office:
    body = meeting.cycle.treaty.bodies.get(slug=slug)
    return Office.objects.get_or_create(cycle=meeting.cycle, title="chair", body=body)[0]


def test_issuing_gives_the_next_number_and_the_symbol(week):
    DocumentCounter.objects.create(treaty=week.meeting.cycle.treaty, last_number=775)
    office = chair_of(week.meeting, "wgtu")
    document = issued(week.meeting, "wgtu", office=office, on=dt.date(2024, 2, 1))
    assert (document.status, document.number, document.symbol, document.issued_on) == (
        Document.Status.ISSUED,
        776,
        "ATT/CSP12.WGTU/2024/CHAIR/776/DrAgenda",
        dt.date(2024, 2, 1),
    )
    assert document.office == office


def test_numbers_run_across_bodies_and_meetings_without_gaps(week):
    symbols = [
        issued(week.meeting, slug, code="P").symbol
        for slug in ("wgtu", "dief", None, "wgeti-current-issues")
    ]
    year = at_geneva(dt.date.today(), dt.time(12)).year
    assert symbols == [
        f"ATT/CSP12.WGTU/{year}/SECR/1/P",
        f"ATT/CSP12.DIEF/{year}/SECR/2/P",
        f"ATT/CSP12/{year}/SECR/3/P",
        f"ATT/CSP12.WGETI/{year}/SECR/4/P",
    ]


def test_a_failed_issue_gives_its_number_back(week, monkeypatch):
    first = submitted(week.meeting)
    monkeypatch.setattr(Document, "save", lambda *a, **k: (_ for _ in ()).throw(OSError("x")))
    with pytest.raises(OSError):
        services.issue_document(document=first, code="A", office=None, by=None)
    monkeypatch.undo()
    assert services.issue_document(document=first, code="A", office=None, by=None).number == 1


def test_the_day_of_issue_is_the_meetings_day(week):
    # 23:30 UTC on 31 December is already 1 January in Geneva.
    late_evening = dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC)
    document = services.issue_document(
        document=submitted(week.meeting), code="A", office=None, by=None, now=late_evening
    )
    assert document.issued_on == dt.date(2026, 1, 1)
    assert "/2026/" in document.symbol


def test_an_issued_document_is_not_issued_again(week):
    document = issued(week.meeting)
    with pytest.raises(services.DocumentError) as refused:
        services.issue_document(document=document, code="B", office=None, by=None)
    assert refused.value.errors == {"__all__": "Only a submitted document can be issued."}
    assert DocumentCounter.objects.get().last_number == 1


def test_a_bad_short_code_is_refused_before_a_number_is_taken(week):
    with pytest.raises(services.DocumentError) as refused:
        services.issue_document(
            document=submitted(week.meeting), code="Dr Agenda", office=None, by=None
        )
    assert list(refused.value.errors) == ["code"]
    assert not DocumentCounter.objects.exists()


def test_an_office_of_another_cycle_is_refused(week):
    other_cycle = week.meeting.cycle.treaty.cycles.get(number=10)
    president = Office.objects.get(cycle=other_cycle, title="president")
    with pytest.raises(services.DocumentError) as refused:
        services.issue_document(
            document=submitted(week.meeting), code="A", office=president, by=None
        )
    assert refused.value.errors == {"office": "This office is not one of the meeting's cycle."}


def test_revision_history_keeps_every_version_and_marks_the_superseded(week, client):
    first = issued(week.meeting, title="Draft agenda")
    second = revised(first, title="Draft agenda, revised")
    correction = revised(second, kind="corrigendum")
    third = revised(correction)
    base = first.symbol
    chain = list(
        Document.objects.filter(base_symbol=base)
        .order_by("id")
        .values_list("symbol", "superseded_by__symbol", "number")
    )
    assert chain == [
        (base, f"{base}.Rev1", first.number),
        (f"{base}.Rev1", f"{base}.Rev1.Corr1", first.number),
        (f"{base}.Rev1.Corr1", f"{base}.Rev2", first.number),
        (f"{base}.Rev2", None, first.number),
    ]
    assert third.revision_of == correction
    for version in (first, second, correction, third):
        response = client.get(f"/documents/{version.pk}/en/")
        assert response.status_code == 200
        b"".join(response.streaming_content)
    page = client.get(f"/documents/{first.pk}/").content.decode()
    assert f"This version is superseded by {base}.Rev1." in page
    for symbol in (base, f"{base}.Rev1", f"{base}.Rev1.Corr1", f"{base}.Rev2"):
        assert symbol in page
    assert DocumentCounter.objects.get().last_number == 1


def test_only_the_latest_version_is_revised(week):
    first = issued(week.meeting)
    revised(first)
    first.refresh_from_db()
    with pytest.raises(services.DocumentError) as refused:
        revised(first)
    assert refused.value.errors == {"__all__": "A later version exists: revise the latest version."}


def test_a_submission_is_not_revised(week):
    with pytest.raises(services.DocumentError):
        revised(submitted(week.meeting))


def test_withdrawing_a_submission_and_not_an_issued_document(week):
    document = services.withdraw_document(document=submitted(week.meeting))
    assert document.status == Document.Status.WITHDRAWN
    with pytest.raises(services.DocumentError):
        services.withdraw_document(document=issued(week.meeting))


TARGET = dt.date(2026, 2, 17)


@pytest.mark.parametrize(
    ("status", "issued_on", "target", "today", "expected"),
    [
        ("issued", TARGET, TARGET, TARGET, Timeliness.ISSUED),
        ("issued", TARGET + dt.timedelta(days=1), TARGET, TARGET, Timeliness.ISSUED_LATE),
        ("submitted", None, TARGET, TARGET, Timeliness.PENDING),
        ("submitted", None, TARGET, TARGET + dt.timedelta(days=1), Timeliness.LATE),
        ("submitted", None, None, TARGET, Timeliness.PENDING),
        ("issued", TARGET, None, TARGET, Timeliness.ISSUED),
        ("withdrawn", None, TARGET, TARGET + dt.timedelta(days=9), Timeliness.WITHDRAWN),
    ],
)
def test_timeliness_against_the_target_date(status, issued_on, target, today, expected):
    assert timeliness(status=status, issued_on=issued_on, target=target, today=today) == expected
