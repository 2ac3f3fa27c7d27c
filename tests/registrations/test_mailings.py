"""Emails to the registrants of a meeting or of a session: each recipient gets it once."""

import datetime as dt
import smtplib
from collections import Counter

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.mail.backends import locmem
from django.core.management import call_command

from convocation.letters.models import Letter, LetterFile
from convocation.registrations import mailings, services
from convocation.registrations.models import Delivery, Mailing, Registration
from convocation.treaties.models import State
from tests.registrations.conftest import delegate

SITE = "https://convocation.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user("officer", is_staff=True)


def register(week, email: str, **overrides) -> Registration:
    # Registered without running the confirmation emails: the outbox holds only the mailing.
    if "organisation" not in overrides:
        overrides.setdefault("state", State.objects.get(code="ROU"))
    return services.register(week.meeting, delegate(email, **overrides), by=None)


def new_mailing(week, officer, **fields) -> Mailing:
    return Mailing.objects.create(
        meeting=week.meeting,
        subject="Room change",
        body="The WGTU meets in Room 2.\nSee https://example.org/rooms",
        created_by=officer,
        **fields,
    )


def recipients_in_outbox() -> Counter:
    return Counter(address for message in mail.outbox for address in message.to)


def test_the_registrants_of_a_meeting_are_those_still_registered(week, officer):
    week.policy.categories_needing_approval = ["civil_society"]
    week.policy.in_person_capacity = 1
    week.policy.save()
    confirmed = register(week, "confirmed@example.org")
    waiting = register(week, "waiting@example.org")
    pending = register(week, "pending@example.org", organisation=week.civil_society)
    withdrawn = register(week, "withdrawn@example.org", mode="online")
    services.withdraw(withdrawn, by=None)
    assert (waiting.status, pending.status) == ("waitlisted", "pending")
    mailing = new_mailing(week, officer)
    assert mailings.recipients(mailing) == [confirmed, waiting, pending]


def test_the_registrants_of_a_session_chose_it_or_chose_none_and_may_attend_it(week, officer):
    week.policy.asks_sessions = True
    week.policy.save()
    chose_dief = register(week, "dief@example.org", session_ids=[week.dief.pk])
    register(week, "wgtu@example.org", session_ids=[week.wgtu.pk])
    romania_all = register(week, "romania@example.org")
    register(week, "unoda@example.org", organisation=week.international)
    india_all = register(week, "india@example.org", state=State.objects.get(code="IND"))
    kenya_all = register(week, "kenya@example.org", state=State.objects.get(code="KEN"))
    dief = new_mailing(week, officer, session=week.dief)
    # UNODA and India (an Observer State) may not attend the DIEF; Kenya is a Party by then.
    assert mailings.recipients(dief) == [chose_dief, romania_all, kenya_all]
    wgeti = new_mailing(week, officer, session=week.wgeti)
    assert [r.person.email for r in mailings.recipients(wgeti)] == [
        "romania@example.org",
        "unoda@example.org",
        "india@example.org",
        "kenya@example.org",
    ]
    assert india_all.sessions.count() == 0


def test_queuing_writes_one_delivery_per_address_and_sends_each_once(
    week, officer, django_capture_on_commit_callbacks
):
    for name in ("ana", "bea", "carla"):
        register(week, f"{name}@example.org")
    mailing = new_mailing(week, officer)
    with django_capture_on_commit_callbacks(execute=True):
        assert mailings.queue_mailing(mailing) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert mailings.queue_mailing(mailing) == 0
    assert mailing.deliveries.count() == 3
    assert recipients_in_outbox() == {
        "ana@example.org": 1,
        "bea@example.org": 1,
        "carla@example.org": 1,
    }
    assert set(mailing.deliveries.values_list("status", "attempts")) == {("sent", 1)}
    assert all(d.sent_at is not None for d in mailing.deliveries.all())
    mailing.refresh_from_db()
    assert mailing.queued_at is not None


def test_queuing_again_adds_only_those_who_registered_since(
    week, officer, django_capture_on_commit_callbacks
):
    register(week, "ana@example.org")
    mailing = new_mailing(week, officer)
    with django_capture_on_commit_callbacks(execute=True):
        mailings.queue_mailing(mailing)
    register(week, "bea@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert mailings.queue_mailing(mailing) == 1
    assert recipients_in_outbox() == {"ana@example.org": 1, "bea@example.org": 1}


def test_the_message_is_the_officers_with_a_footer_in_the_delegates_language(
    week, officer, django_capture_on_commit_callbacks
):
    week.meeting.title_fr = "Prochaines réunions"
    week.meeting.save()
    registration = register(week, "ana@example.org", language="fr")
    mailing = new_mailing(week, officer)
    with django_capture_on_commit_callbacks(execute=True):
        mailings.queue_mailing(mailing)
    [message] = mail.outbox
    delivery = mailing.deliveries.get()
    assert message.subject == "Room change"
    assert message.body.startswith("The WGTU meets in Room 2.\nSee https://example.org/rooms\n")
    assert "Prochaines réunions" in message.body
    assert f"{SITE}/my/registrations/{registration.pk}/" in message.body
    assert f"{SITE}/meetings/next-wg/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<a href="https://example.org/rooms"' in html
    assert message.extra_headers["Message-ID"] == (
        f"<mailing-{mailing.pk}.delivery-{delivery.pk}@convocation.example.org>"
    )


class WorkerStopsAfterThree(locmem.EmailBackend):
    """The worker is stopped after three messages went, before the fourth reaches the server."""

    def send_messages(self, messages):
        if len(mail.outbox) >= 3:
            raise SystemExit(1)
        return super().send_messages(messages)


def test_a_worker_stopped_mid_mailing_and_resumed_sends_each_recipient_exactly_once(
    week, officer, settings, django_capture_on_commit_callbacks
):
    addresses = [f"delegate{n}@example.org" for n in range(7)]
    for address in addresses:
        register(week, address)
    mailing = new_mailing(week, officer)
    settings.EMAIL_BACKEND = f"{__name__}.WorkerStopsAfterThree"
    with django_capture_on_commit_callbacks(execute=True):
        mailings.queue_mailing(mailing)
    assert len(mail.outbox) == 3
    assert Counter(mailing.deliveries.values_list("status", flat=True)) == {
        "sent": 3,
        "pending": 4,
    }
    # The stop rolled back the fourth delivery's mark: no attempt is counted against it.
    assert set(mailing.deliveries.filter(status="pending").values_list("attempts", flat=True)) == {
        0
    }

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("resume_mailings", stdout=(out := _Output()))
    assert out.text == "1 mailing(s) queued again.\n"
    assert recipients_in_outbox() == dict.fromkeys(addresses, 1)
    assert set(mailing.deliveries.values_list("status", flat=True)) == {"sent"}
    # Nothing left: resuming again queues nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("resume_mailings", stdout=(out := _Output()))
    assert out.text == "0 mailing(s) queued again.\n"
    assert len(mail.outbox) == len(addresses)


class _Output:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


class AcceptedThenStopped(locmem.EmailBackend):
    """The server accepted the second message, and the worker died before its commit."""

    def send_messages(self, messages):
        count = super().send_messages(messages)
        if len(mail.outbox) == 2:
            raise SystemExit(1)
        return count


def test_the_window_left_a_message_accepted_but_not_committed_goes_again_with_its_message_id(
    week, officer, settings, django_capture_on_commit_callbacks
):
    for n in range(3):
        register(week, f"delegate{n}@example.org")
    mailing = new_mailing(week, officer)
    settings.EMAIL_BACKEND = f"{__name__}.AcceptedThenStopped"
    with django_capture_on_commit_callbacks(execute=True):
        mailings.queue_mailing(mailing)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        mailings.resume_mailings()
    assert recipients_in_outbox() == {
        "delegate0@example.org": 1,
        "delegate1@example.org": 2,
        "delegate2@example.org": 1,
    }
    twice = [m for m in mail.outbox if m.to == ["delegate1@example.org"]]
    assert twice[0].extra_headers["Message-ID"] == twice[1].extra_headers["Message-ID"]


class RefusesBea(locmem.EmailBackend):
    refusals = 0

    def send_messages(self, messages):
        if messages[0].to == ["bea@example.org"] and RefusesBea.refusals < RefusesBea.limit:
            RefusesBea.refusals += 1
            raise smtplib.SMTPRecipientsRefused({"bea@example.org": (550, b"Mailbox full")})
        return super().send_messages(messages)


@pytest.mark.parametrize(("refusals", "status", "attempts"), [(1, "sent", 2), (5, "failed", 3)])
def test_a_failed_sending_is_tried_again_up_to_three_times(
    week, officer, settings, django_capture_on_commit_callbacks, refusals, status, attempts
):
    register(week, "ana@example.org")
    register(week, "bea@example.org")
    mailing = new_mailing(week, officer)
    settings.EMAIL_BACKEND = f"{__name__}.RefusesBea"
    RefusesBea.refusals, RefusesBea.limit = 0, refusals
    with django_capture_on_commit_callbacks(execute=True):
        mailings.queue_mailing(mailing)
    bea = mailing.deliveries.get(email="bea@example.org")
    assert (bea.status, bea.attempts) == (status, attempts)
    assert RefusesBea.refusals == min(refusals, 3)
    if status == "failed":
        assert bea.error.startswith("SMTPRecipientsRefused: ")
        assert "Mailbox full" in bea.error
        assert bea.sent_at is None
        assert recipients_in_outbox() == {"ana@example.org": 1}
    else:
        assert bea.error == ""
        assert recipients_in_outbox() == {"ana@example.org": 1, "bea@example.org": 1}
    assert mailing.deliveries.get(email="ana@example.org").attempts == 1


def test_a_long_mailing_goes_in_batches_that_each_queue_the_next(
    week, officer, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(mailings, "BATCH_SIZE", 2)
    addresses = [f"delegate{n}@example.org" for n in range(5)]
    for address in addresses:
        register(week, address)
    mailing = new_mailing(week, officer)
    runs = []
    real_send_pending = mailings.send_pending

    def counted(mailing_id, **kwargs):
        progress = real_send_pending(mailing_id, **kwargs)
        runs.append((kwargs.get("after", 0), progress.sent, progress.last_id is None))
        return progress

    monkeypatch.setattr(mailings, "send_pending", counted)
    with django_capture_on_commit_callbacks(execute=True):
        mailings.queue_mailing(mailing)
    assert recipients_in_outbox() == dict.fromkeys(addresses, 1)
    assert [(sent, done) for _after, sent, done in runs] == [(2, False), (2, False), (1, True)]


def issued_letter(week, language: str = "fr") -> Letter:
    letter = Letter.objects.create(
        meeting=week.meeting,
        language=language,
        letter_date=week.meeting.start_date - dt.timedelta(days=60),
        status=Letter.Status.ISSUED,
        reference="ATT/CSP12/2026/007",
    )
    for fmt in ("pdf", "docx", "txt"):
        record = LetterFile(letter=letter, format=fmt, size=4, sha256="0" * 64)
        record.file.save(f"letter.{fmt}", ContentFile(f"{fmt}!!".encode()), save=False)
        record.save()
    return letter


def test_announcing_a_letter_sends_its_links_to_the_registrants(
    week, officer, client, django_capture_on_commit_callbacks
):
    register(week, "ana@example.org")
    letter = issued_letter(week)
    with django_capture_on_commit_callbacks(execute=True):
        mailing = mailings.announce_letter(letter, officer)
    assert mailing.about == Mailing.Subject.LETTER
    assert mailing.created_by == officer
    assert mailing.subject == "Invitation: Next Working Group meetings (ATT/CSP12/2026/007)"
    pdf = f"{SITE}/meetings/next-wg/letters/{letter.pk}.pdf"
    docx = f"{SITE}/meetings/next-wg/letters/{letter.pk}.docx"
    assert f"PDF: {pdf}\nWord: {docx}\n" in mailing.body
    assert "HTML:" not in mailing.body  # no such file was issued
    assert "reference ATT/CSP12/2026/007" in mailing.body
    assert f"{SITE}/meetings/next-wg/letters/" in mailing.body
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert pdf in message.body
    # The link leads to the issued file.
    response = client.get(pdf.removeprefix(SITE))
    assert b"".join(response.streaming_content) == b"pdf!!"


def test_a_draft_letter_cannot_be_announced(week, officer):
    letter = issued_letter(week)
    letter.status = Letter.Status.DRAFT
    letter.save()
    with pytest.raises(ValueError, match="issued"):
        mailings.announce_letter(letter, officer)
    assert not Mailing.objects.exists()


def test_announcing_a_schedule_change_links_the_page_and_the_calendar_feed(
    week, officer, client, django_capture_on_commit_callbacks
):
    register(week, "ana@example.org")
    register(week, "bea@example.org", organisation=week.civil_society)
    with django_capture_on_commit_callbacks(execute=True):
        mailing = mailings.announce_schedule_change(
            week.meeting, "The DIEF now starts at 11:00.", officer
        )
    assert mailing.about == Mailing.Subject.SCHEDULE
    assert mailing.subject == "Schedule change: Next Working Group meetings"
    assert mailing.body == (
        "The schedule of Next Working Group meetings has changed.\n\n"
        "The DIEF now starts at 11:00.\n\n"
        f"The schedule: {SITE}/meetings/next-wg/\n"
        "Calendar feed, which keeps your calendar up to date once subscribed: "
        f"{SITE}/meetings/next-wg/schedule.ics"
    )
    assert recipients_in_outbox() == {"ana@example.org": 1, "bea@example.org": 1}
    assert client.get("/meetings/next-wg/schedule.ics")["Content-Type"].startswith("text/calendar")
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_the_secretariat_announces_a_letter_and_a_schedule_change_from_the_back_office(
    week, staff_client, django_capture_on_commit_callbacks
):
    register(week, "ana@example.org")
    letter = issued_letter(week)
    page = staff_client.get("/admin/registrations/mailing/")
    assert "/admin/registrations/mailing/announce/letter/" in page.text
    form = staff_client.get("/admin/registrations/mailing/announce/letter/")
    assert "ATT/CSP12/2026/007" in form.text
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/registrations/mailing/announce/letter/", {"letter": letter.pk}
        )
    mailing = Mailing.objects.get(about=Mailing.Subject.LETTER)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/mailing/{mailing.pk}/change/")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            "/admin/registrations/mailing/announce/schedule/",
            {"meeting": week.meeting.pk, "note": "The WGTU moves to Room XIX."},
        )
    schedule = Mailing.objects.get(about=Mailing.Subject.SCHEDULE)
    assert "The WGTU moves to Room XIX." in schedule.body
    assert sorted(message.subject for message in mail.outbox) == sorted(
        [mailing.subject, schedule.subject]
    )
    refused = staff_client.post("/admin/registrations/mailing/announce/schedule/", {"note": ""})
    assert refused.status_code == 400
    assert staff_client.get("/admin/registrations/mailing/announce/other/").status_code == 404
