"""Registrants get one email per digest, listing only the documents they may read."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_tasks_db.models import DBTaskResult

from convocation.documents import digest, services, tasks
from convocation.documents.models import Document
from convocation.people.models import Person
from convocation.registrations.models import Delivery, Mailing, Registration
from tests.documents.conftest import issued, submitted


def registrant(week, email, *, state=None, organisation=None, status="confirmed", language="en"):
    person = Person.objects.create(given_name="A", family_name=email[:10], email=email)
    return Registration.objects.create(
        meeting=week.meeting,
        person=person,
        state_id=state,
        organisation=organisation,
        category="state_party" if state else "civil_society",
        position="Delegate",
        role="member",
        mode="in_person",
        gender="female",
        status=status,
        consent_given_at=timezone.now(),
        language=language,
    )


@pytest.fixture
def registrants(week):
    return {
        "party": registrant(week, "party@example.org", state="ROU"),
        "party_fr": registrant(week, "partie@example.org", state="FRA", language="fr"),
        "observer": registrant(week, "observer@example.org", state="BRA"),
        "ngo": registrant(week, "ngo@example.org", organisation=week.civil_society),
        "pending_party": registrant(week, "pending@example.org", state="GBR", status="pending"),
        "withdrawn": registrant(week, "gone@example.org", state="CHE", status="withdrawn"),
    }


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user("officer", is_staff=True)


def inbox() -> dict[str, str]:
    by_address = {}
    for message in mail.outbox:
        (address,) = message.to
        assert address not in by_address, f"{address} got two emails"
        by_address[address] = message.subject + "\n" + message.body
    return by_address


def test_one_digest_email_per_registrant_with_what_each_may_read(
    week, registrants, officer, django_capture_on_commit_callbacks
):
    agenda = issued(week.meeting, "wgtu", title="WGTU draft agenda")
    paper = issued(week.meeting, "wgtu", title="WGTU working paper", code="WP")
    closed = issued(week.meeting, "dief", title="DIEF cases", code="DIEF.WP")
    with django_capture_on_commit_callbacks(execute=True):
        sent = digest.send_digest(week.meeting, by=officer)

    assert {mailing.about for mailing in sent} == {Mailing.Subject.DOCUMENT}
    emails = inbox()
    assert set(emails) == {
        "party@example.org",
        "partie@example.org",
        "observer@example.org",
        "ngo@example.org",
        "pending@example.org",
    }
    for address, text in emails.items():
        assert agenda.symbol in text and paper.symbol in text, address
        assert f"/documents/{agenda.pk}/" in text
    # A confirmed delegate of a State Party reads the DIEF's document; a pending one does not.
    readers_of_closed = {address for address, text in emails.items() if closed.symbol in text}
    assert readers_of_closed == {"party@example.org", "partie@example.org"}
    assert all("DIEF cases" not in emails[a] for a in set(emails) - readers_of_closed)
    assert emails["party@example.org"].startswith("3 documents issued: ")
    assert emails["observer@example.org"].startswith("2 documents issued: ")
    # In the registrant's language: the date of issue as French writes it.
    with translation.override("fr"):
        french_day = date_format(agenda.issued_on, "DATE_FORMAT")
    with translation.override("en"):
        english_day = date_format(agenda.issued_on, "DATE_FORMAT")
    assert french_day != english_day
    assert french_day in emails["partie@example.org"]
    assert english_day in emails["party@example.org"]
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 5


def test_a_digest_lists_only_what_was_issued_since_the_last(
    week, registrants, officer, django_capture_on_commit_callbacks
):
    first = issued(week.meeting, "wgtu", title="First")
    with django_capture_on_commit_callbacks(execute=True):
        digest.send_digest(week.meeting, by=officer)
    mail.outbox.clear()

    assert digest.send_digest(week.meeting, by=officer) == []
    assert mail.outbox == []

    second = issued(week.meeting, "wgtu", title="Second", code="B")
    with django_capture_on_commit_callbacks(execute=True):
        digest.send_digest(week.meeting, by=officer)
    text = inbox()["ngo@example.org"]
    assert second.symbol in text
    assert first.symbol not in text
    assert not Document.objects.filter(digest_sent_at__isnull=True).exists()


def test_a_digest_of_closed_documents_only_goes_to_those_who_may_read_them(
    week, registrants, officer, django_capture_on_commit_callbacks
):
    issued(week.meeting, "dief", title="DIEF only")
    with django_capture_on_commit_callbacks(execute=True):
        digest.send_digest(week.meeting, by=officer)
    assert set(inbox()) == {"party@example.org", "partie@example.org"}


def test_issuing_schedules_the_digest_a_few_minutes_later_where_the_queue_can_wait(
    week, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DOCUMENTS_DIGEST_DELAY_MINUTES = 10
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        issued(week.meeting, "wgtu")
    task = DBTaskResult.objects.get()
    assert task.task_path == "convocation.documents.tasks.send_documents_digest"
    assert task.args_kwargs == {"args": [week.meeting.pk], "kwargs": {}}
    assert before + dt.timedelta(minutes=10) <= task.run_after
    assert task.run_after <= timezone.now() + dt.timedelta(minutes=10)


def test_with_a_queue_that_cannot_wait_the_digest_waits_for_the_secretariat(
    week, registrants, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issued(week.meeting, "wgtu")
    assert mail.outbox == []
    assert digest.pending_count(week.meeting) == 1


def test_the_task_sends_the_digest_in_the_name_of_the_last_issuer(
    week, registrants, officer, django_capture_on_commit_callbacks
):
    services.issue_document(document=submitted(week.meeting), code="A", office=None, by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.send_documents_digest.enqueue(week.meeting.pk)
    # One mailing per language here: nobody reads a closed document in this digest.
    assert result.return_value == 2
    assert set(Mailing.objects.values_list("created_by", flat=True)) == {officer.pk}
    assert len(inbox()) == 5
