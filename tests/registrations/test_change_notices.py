"""The change notice of a schedule revision, and the delegate's own calendar feed."""

import datetime as dt
from collections import Counter

import pytest
from django.core import mail
from django.utils import translation
from icalendar import Calendar

from convocation.meetings import revisions
from convocation.meetings.calendar import session_uid
from convocation.meetings.models import ScheduleRevision, Session
from convocation.registrations import change_notices, mailings, services
from convocation.registrations.models import Mailing, Registration
from convocation.treaties.models import State
from tests.registrations.conftest import delegate

SITE = "https://convocation.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user("officer", is_staff=True)


@pytest.fixture
def people(week):
    """Who comes to what: chosen sessions, or none (every session open to the delegation)."""
    week.policy.asks_sessions = True
    week.policy.save()

    def register(email, sessions=(), **overrides) -> Registration:
        if "organisation" not in overrides:
            overrides.setdefault("state", State.objects.get(code="ROU"))
        # Registered without running the confirmation emails: the outbox holds notices only.
        return services.register(
            week.meeting,
            delegate(email, session_ids=[s.pk for s in sessions], **overrides),
            by=None,
        )

    people = {
        "wgtu": register("wgtu@example.org", [week.wgtu]),
        "dief": register("dief@example.org", [week.dief]),
        "all": register("all@example.org"),
        "unoda": register("unoda@example.org", organisation=week.international),
        "french": register("french@example.org", [week.wgtu], language="fr"),
        "withdrawn": register("withdrawn@example.org", [week.wgtu]),
    }
    services.withdraw(people["withdrawn"], by=None)
    return people


def publish(week, officer, note, capture) -> ScheduleRevision:
    with capture(execute=True):
        return revisions.publish_revision(meeting=week.meeting, note=note, by=officer)


def move(session: Session, **delta) -> None:
    session.start += dt.timedelta(**delta)
    session.end += dt.timedelta(**delta)
    session.save()


def outbox_by_address() -> dict[str, mail.EmailMessage]:
    return {message.to[0]: message for message in mail.outbox}


def attached_calendar(message) -> Calendar:
    [(name, content, mimetype)] = [
        (part.get_filename(), part.get_payload(decode=True), part.get_content_type())
        for part in message.attachments
    ]
    assert (name, mimetype) == ("next-wg.ics", "text/calendar")
    return Calendar.from_ical(content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_first_revision_sends_no_notice(
    week, people, officer, django_capture_on_commit_callbacks
):
    revision = publish(week, officer, "First draft.", django_capture_on_commit_callbacks)
    assert revision.notice_mailing_id is None
    assert mail.outbox == []


def test_a_move_is_noticed_once_to_each_registrant_of_the_session_and_no_one_else(
    week, people, officer, django_capture_on_commit_callbacks
):
    publish(week, officer, "First draft.", django_capture_on_commit_callbacks)
    move(week.wgtu, days=1)
    revision = publish(
        week, officer, "The WGTU meets a day later.", django_capture_on_commit_callbacks
    )
    # Those who chose the WGTU, and those who chose nothing and may attend it; not the
    # delegate of the DIEF alone, nor the one who withdrew.
    assert Counter(m.to[0] for m in mail.outbox) == {
        "wgtu@example.org": 1,
        "all@example.org": 1,
        "unoda@example.org": 1,
        "french@example.org": 1,
    }
    mailing = Mailing.objects.get(pk=revision.notice_mailing_id)
    assert mailing.about == Mailing.Subject.SCHEDULE
    assert set(mailing.deliveries.values_list("status", flat=True)) == {"sent"}
    # Run again, queued again, resumed: nobody gets it twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert change_notices.queue_change_notice(revision, revisions.changes_of(revision))
        mailings.resume_mailings()
        mailings.send_pending(mailing.pk)
    assert len(mail.outbox) == 4
    assert mailing.deliveries.count() == 4


def test_the_notice_says_what_changed_with_the_note_and_the_links(
    week, people, officer, django_capture_on_commit_callbacks
):
    publish(week, officer, "First draft.", django_capture_on_commit_callbacks)
    move(week.wgtu, days=1)
    revision = publish(
        week, officer, "The WGTU meets a day later.", django_capture_on_commit_callbacks
    )
    message = outbox_by_address()["wgtu@example.org"]
    [change] = revisions.changes_of(revision)
    words = revisions.describe(change, week.meeting.tz)
    assert words.startswith("WGTU moved from ")
    assert message.subject == "Schedule revision 2: Next Working Group meetings"
    assert message.body.startswith("Dear Ms. Ana Delegate,\n")
    assert "The WGTU meets a day later." in message.body
    assert f"- {words}\n" in message.body
    assert f"{SITE}/meetings/next-wg/revisions/2/" in message.body
    registration = people["wgtu"]
    assert f"{SITE}{change_notices.feed_path(registration)}" in message.body
    assert f"{SITE}/my/registrations/{registration.pk}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and words in html
    delivery = Mailing.objects.get(pk=revision.notice_mailing_id).deliveries.get(
        email="wgtu@example.org"
    )
    assert message.extra_headers["Message-ID"] == mailings.message_id(delivery)


def test_the_notice_is_written_in_the_registrants_language(
    week, people, officer, django_capture_on_commit_callbacks
):
    publish(week, officer, "First draft.", django_capture_on_commit_callbacks)
    move(week.wgtu, days=1)
    revision = publish(week, officer, "Note.", django_capture_on_commit_callbacks)
    [change] = revisions.changes_of(revision)
    with translation.override("fr"):
        french = revisions.describe(change, week.meeting.tz)
    body = outbox_by_address()["french@example.org"].body
    assert french in body
    assert french != revisions.describe(change, week.meeting.tz)  # the days are French


def test_the_attached_calendar_keeps_the_uid_and_raises_the_sequence(
    week, people, officer, django_capture_on_commit_callbacks
):
    publish(week, officer, "First draft.", django_capture_on_commit_callbacks)
    move(week.wgtu, days=1)
    publish(week, officer, "The WGTU moves.", django_capture_on_commit_callbacks)
    found = events(attached_calendar(outbox_by_address()["wgtu@example.org"]))
    assert list(found) == [session_uid(week.wgtu)]
    event = found[session_uid(week.wgtu)]
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == week.wgtu.start
    # The one who chose no session gets every session open to them; only the WGTU changed.
    everything = events(attached_calendar(outbox_by_address()["all@example.org"]))
    assert set(everything) == {session_uid(s) for s in (week.wgtu, week.dief, week.wgeti)}
    assert int(everything[session_uid(week.dief)]["SEQUENCE"]) == 0


def test_a_cancellation_is_noticed_to_its_registrants_with_the_event_cancelled(
    week, people, officer, django_capture_on_commit_callbacks
):
    publish(week, officer, "First draft.", django_capture_on_commit_callbacks)
    week.dief.cancelled = True
    week.dief.save()
    publish(week, officer, "The DIEF is cancelled.", django_capture_on_commit_callbacks)
    # UNODA may not attend the closed DIEF: it is not told.
    assert sorted(outbox_by_address()) == ["all@example.org", "dief@example.org"]
    message = outbox_by_address()["dief@example.org"]
    assert "DIEF on " in message.body and " cancelled\n" in message.body
    event = events(attached_calendar(message))[session_uid(week.dief)]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


# The personal feed --------------------------------------------------------------------------


def feed(client, registration) -> Calendar:
    response = client.get(change_notices.feed_path(registration))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_the_personal_feed_updates_in_place_after_a_revision(
    client, week, people, officer, django_capture_on_commit_callbacks
):
    registration = people["all"]
    publish(week, officer, "First draft.", django_capture_on_commit_callbacks)
    before = events(feed(client, registration))
    move(week.wgtu, days=1)
    week.dief.cancelled = True
    week.dief.save()
    publish(week, officer, "Changes.", django_capture_on_commit_callbacks)
    after = events(feed(client, registration))
    assert set(after) == set(before)
    assert int(after[session_uid(week.wgtu)]["SEQUENCE"]) == 1
    assert after[session_uid(week.wgtu)].decoded("DTSTART") == week.wgtu.start
    assert str(after[session_uid(week.dief)]["STATUS"]) == "CANCELLED"
    assert int(after[session_uid(week.wgeti)]["SEQUENCE"]) == 0


def test_the_personal_feed_needs_its_signed_address(client, week, people):
    registration = people["wgtu"]
    path = change_notices.feed_path(registration)
    assert path.startswith(f"/my/calendar/{registration.pk}:")
    assert client.get(f"/my/calendar/{registration.pk}.ics").status_code == 404
    forged = path.replace(f"/my/calendar/{registration.pk}:", f"/my/calendar/{people['dief'].pk}:")
    assert client.get(forged).status_code == 404


def test_a_withdrawn_delegates_feed_has_no_events(client, week, people):
    assert events(feed(client, people["withdrawn"])) == {}


def test_the_registration_page_links_the_personal_feed(client, week, people, django_user_model):
    registration = people["wgtu"]
    client.force_login(django_user_model.objects.create_user("ana", email="wgtu@example.org"))
    html = client.get(f"/my/registrations/{registration.pk}/").content.decode()
    assert f'href="{change_notices.feed_path(registration)}"' in html


def test_a_delegate_not_yet_confirmed_has_the_sessions_as_tentative(client, week, people):
    confirmed = people["wgtu"]
    assert confirmed.status == Registration.Status.CONFIRMED
    shown = events(feed(client, confirmed))
    assert set(shown) == {session_uid(week.wgtu)}
    assert "STATUS" not in shown[session_uid(week.wgtu)]
    for status in (Registration.Status.WAITLISTED, Registration.Status.PENDING):
        Registration.objects.filter(pk=confirmed.pk).update(status=status)
        confirmed.refresh_from_db()
        tentative = events(feed(client, confirmed))
        assert set(tentative) == {session_uid(week.wgtu)}
        assert str(tentative[session_uid(week.wgtu)]["STATUS"]) == "TENTATIVE"

    # A cancelled session stays cancelled, whatever the registration's status.
    week.wgtu.cancelled = True
    week.wgtu.save()
    cancelled = events(feed(client, confirmed))
    assert str(cancelled[session_uid(week.wgtu)]["STATUS"]) == "CANCELLED"
