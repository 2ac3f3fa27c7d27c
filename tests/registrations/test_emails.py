"""The emails a delegate receives about a registration, as the mail server gets them."""

import email
import io
from email import policy
from email.message import Message

import pytest
import segno
from django.core import mail
from django.core.mail.backends import locmem
from django.utils import translation
from django.utils.formats import date_format
from icalendar import Calendar
from PIL import Image

from convocation.letters.wording import date_range
from convocation.meetings.calendar import schedule_calendar, session_uid
from convocation.meetings.models import Meeting
from convocation.people.models import Person
from convocation.registrations import emails, qr, services
from convocation.registrations.models import FocalPoint, Registration
from convocation.registrations.tasks import send_registration_email
from convocation.treaties.models import State
from tests.registrations.conftest import delegate

SITE = "https://convocation.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def state(code: str) -> State:
    return State.objects.get(code=code)


def register(week, capture, data, by=None) -> Registration:
    with capture(execute=True):
        return services.register(week.meeting, data, by=by)


def sent() -> list[Message]:
    """The messages as they would go over the wire, parsed back."""
    return [
        email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
        for message in mail.outbox
    ]


def part(message: Message, content_type: str) -> Message | None:
    return next((p for p in message.walk() if p.get_content_type() == content_type), None)


def text_of(message: Message) -> str:
    return part(message, "text/plain").get_payload(decode=True).decode()


def html_of(message: Message) -> str:
    return part(message, "text/html").get_payload(decode=True).decode()


def calendar_of(message: Message) -> Calendar:
    return Calendar.from_ical(part(message, "text/calendar").get_payload(decode=True))


def qr_matrix_of_png(png: bytes, scale: int = 8, border: int = 4) -> list[list[bool]]:
    """Read the modules back from the picture: dark where the centre of a module is dark."""
    image = Image.open(io.BytesIO(png)).convert("L")
    modules = image.width // scale - 2 * border
    return [
        [
            image.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2))
            < 128
            for x in range(modules)
        ]
        for y in range(modules)
    ]


def test_a_confirmed_delegate_gets_the_meeting_their_sessions_and_what_to_do(
    week, django_capture_on_commit_callbacks
):
    week.policy.asks_sessions = True
    week.policy.save()
    registration = register(
        week,
        django_capture_on_commit_callbacks,
        delegate(state=state("ROU"), session_ids=[week.wgtu.pk, week.dief.pk]),
    )
    [message] = sent()
    assert message["To"] == "a.delegate@example.org"
    assert message["Subject"] == "Registration confirmed: Next Working Group meetings"
    assert message["Auto-Submitted"] == "auto-generated"
    text = text_of(message)
    first_day = week.meeting.start_date
    dief_day = week.dief_day
    expected_lines = [
        "Dear Ms. Ana Delegate,",
        "Your registration for Next Working Group meetings is confirmed.",
        "Meeting: Next Working Group meetings",
        f"Dates: {date_range(first_day, week.meeting.end_date, 'en')}",
        "Venue: CICG, Geneva, Switzerland",
        "Delegation: Romania",
        "Role: Member",
        "Attendance: In person",
        "Status: Confirmed",
        f"- {date_format(first_day, 'l j F Y')}, 10:00–13:00: WGTU",
        f"- {date_format(dief_day, 'l j F Y')}, 10:00–13:00: DIEF",
        "Livestream: https://example.org/live/next-wg",
        f"Your registration: {SITE}/my/registrations/{registration.pk}/",
    ]
    for line in expected_lines:
        assert line in text, line
    assert "Europe/Zurich" in text
    # Only the sessions chosen: not the WGETI of the afternoon.
    assert "15:00" not in text
    html = html_of(message)
    assert "Next Working Group meetings" in html
    assert f'href="{SITE}/my/registrations/{registration.pk}/"' in html
    assert 'href="https://example.org/live/next-wg"' in html


def test_the_confirmation_carries_the_check_in_qr_code_shown_in_the_html(
    week, django_capture_on_commit_callbacks
):
    registration = register(week, django_capture_on_commit_callbacks, delegate(state=state("ROU")))
    [message] = sent()
    assert message.get_content_type() == "multipart/mixed"
    alternative = part(message, "multipart/alternative")
    assert [p.get_content_type() for p in alternative.get_payload()] == [
        "text/plain",
        "multipart/related",
    ]
    related = part(message, "multipart/related")
    assert [p.get_content_type() for p in related.get_payload()] == ["text/html", "image/png"]
    image = part(message, "image/png")
    content_id = image["Content-ID"].strip("<>")
    assert f'src="cid:{content_id}"' in html_of(message)
    png = image.get_payload(decode=True)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    payload = qr.check_in_payload(registration)
    assert payload == f"{SITE}/check-in/{registration.check_in_code}/"
    expected = [[bool(module) for module in row] for row in segno.make(payload, error="m").matrix]
    assert qr_matrix_of_png(png) == expected
    # The code as words too, for the desk when the picture cannot be scanned.
    assert registration.check_in_code in text_of(message)


def test_the_calendar_has_exactly_the_sessions_registered_with_the_public_feeds_uids(
    week, django_capture_on_commit_callbacks
):
    week.policy.asks_sessions = True
    week.policy.save()
    register(
        week,
        django_capture_on_commit_callbacks,
        delegate(state=state("ROU"), session_ids=[week.dief.pk, week.wgeti.pk]),
    )
    [message] = sent()
    attachment = part(message, "text/calendar")
    assert attachment.get_param("method") == "PUBLISH"
    assert attachment.get_filename() == "next-wg.ics"
    personal = calendar_of(message)
    assert str(personal["method"]) == "PUBLISH"
    events = {str(e["uid"]): e for e in personal.walk("VEVENT")}
    assert set(events) == {session_uid(week.dief), session_uid(week.wgeti)}
    feed = {
        str(e["uid"]): e for e in Calendar.from_ical(schedule_calendar(week.meeting)).walk("VEVENT")
    }
    for uid, event in events.items():
        assert event["dtstart"].dt == feed[uid]["dtstart"].dt
        assert str(event["summary"]) == str(feed[uid]["summary"])
    assert events[session_uid(week.dief)]["dtstart"].dt == week.dief.start


def test_without_a_choice_of_sessions_the_calendar_has_those_open_to_the_delegation(
    week, django_capture_on_commit_callbacks
):
    # The meeting does not ask for sessions; the DIEF is for States Parties and signatories.
    register(week, django_capture_on_commit_callbacks, delegate(organisation=week.international))
    register(
        week,
        django_capture_on_commit_callbacks,
        delegate("b.delegate@example.org", state=state("ROU")),
    )
    international, romania = sent()
    assert {str(e["uid"]) for e in calendar_of(international).walk("VEVENT")} == {
        session_uid(week.wgtu),
        session_uid(week.wgeti),
    }
    assert {str(e["uid"]) for e in calendar_of(romania).walk("VEVENT")} == {
        session_uid(week.wgtu),
        session_uid(week.dief),
        session_uid(week.wgeti),
    }


@pytest.mark.parametrize(
    ("livestream", "sends_link"),
    [
        (Meeting.Livestream.REGISTERED, True),
        (Meeting.Livestream.PUBLIC, True),
        (Meeting.Livestream.NONE, False),
    ],
)
def test_the_livestream_link_goes_to_confirmed_delegates_by_the_meetings_policy(
    week, django_capture_on_commit_callbacks, livestream, sends_link
):
    week.meeting.livestream = livestream
    week.meeting.save()
    register(week, django_capture_on_commit_callbacks, delegate(state=state("ROU"), mode="online"))
    [message] = sent()
    assert ("https://example.org/live/next-wg" in text_of(message)) is sends_link
    assert ("https://example.org/live/next-wg" in html_of(message)) is sends_link


def test_an_online_delegate_gets_the_calendar_but_no_qr_code_for_the_door(
    week, django_capture_on_commit_callbacks
):
    register(week, django_capture_on_commit_callbacks, delegate(state=state("ROU"), mode="online"))
    [message] = sent()
    assert part(message, "image/png") is None
    assert part(message, "text/calendar") is not None
    assert "You take part online." in text_of(message)
    assert "Attendance: Online" in text_of(message)


def test_a_registration_awaiting_approval_gets_no_link_no_code_and_no_calendar(
    week, django_capture_on_commit_callbacks, django_user_model
):
    week.policy.categories_needing_approval = ["civil_society"]
    week.policy.save()
    registration = register(
        week, django_capture_on_commit_callbacks, delegate(organisation=week.civil_society)
    )
    assert registration.status == Registration.Status.PENDING
    [message] = sent()
    assert message["Subject"] == "Registration received: Next Working Group meetings"
    text = text_of(message)
    assert "approves registrations in the category “Civil society / NGO”" in text
    assert "Status: Awaiting approval" in text
    assert "live/next-wg" not in text + html_of(message)
    assert registration.check_in_code not in text
    assert part(message, "image/png") is None
    assert part(message, "text/calendar") is None
    officer = django_user_model.objects.create_user("officer", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(registration, by=officer)
    confirmation = sent()[1]
    assert confirmation["Subject"] == "Registration confirmed: Next Working Group meetings"
    assert part(confirmation, "image/png") is not None


def test_the_waiting_list_and_the_promotion_each_say_so(week, django_capture_on_commit_callbacks):
    week.policy.in_person_capacity = 1
    week.policy.save()
    first = register(week, django_capture_on_commit_callbacks, delegate(state=state("ROU")))
    second = register(
        week,
        django_capture_on_commit_callbacks,
        delegate("b.delegate@example.org", given_name="Bea", state=state("ROU")),
    )
    assert second.status == Registration.Status.WAITLISTED
    waiting = sent()[1]
    assert waiting["Subject"] == "Waiting list: Next Working Group meetings"
    assert "you are on the waiting list" in text_of(waiting)
    assert "Status: Waiting list" in text_of(waiting)
    assert "live/next-wg" not in text_of(waiting)
    assert part(waiting, "image/png") is None
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(first, by=None)
    promoted, withdrawn = sorted(sent()[2:], key=lambda message: message["To"], reverse=True)
    assert withdrawn["To"] == "a.delegate@example.org"
    assert withdrawn["Subject"] == "Registration withdrawn: Next Working Group meetings"
    assert "live/next-wg" not in text_of(withdrawn)
    assert part(withdrawn, "image/png") is None
    assert promoted["To"] == "b.delegate@example.org"
    assert promoted["Subject"] == "Registration confirmed: Next Working Group meetings"
    assert part(promoted, "image/png") is not None
    assert "https://example.org/live/next-wg" in text_of(promoted)


def test_a_refusal_says_so_without_the_secretariats_note(
    week, django_capture_on_commit_callbacks, django_user_model
):
    week.policy.categories_needing_approval = ["industry"]
    week.policy.save()
    registration = register(
        week, django_capture_on_commit_callbacks, delegate(organisation=week.industry)
    )
    officer = django_user_model.objects.create_user("officer", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse(registration, by=officer, note="Not an accredited company")
    refusal = sent()[1]
    assert refusal["Subject"] == "Registration not accepted: Next Working Group meetings"
    assert "has not accepted your registration" in text_of(refusal)
    assert "Not an accredited company" not in text_of(refusal)
    assert part(refusal, "image/png") is None


def test_a_change_sends_the_registration_as_it_now_reads(week, django_capture_on_commit_callbacks):
    registration = register(week, django_capture_on_commit_callbacks, delegate(state=state("ROU")))
    with django_capture_on_commit_callbacks(execute=True):
        services.change(registration, delegate(state=state("ROU"), role="head"), by=None)
    change = sent()[1]
    assert change["Subject"] == "Registration changed: Next Working Group meetings"
    assert "Role: Head of delegation" in text_of(change)
    # Still confirmed: it carries the code for the door again.
    assert part(change, "image/png") is not None


def test_the_confirmation_goes_once_however_often_its_task_runs(
    week, django_capture_on_commit_callbacks
):
    registration = register(week, django_capture_on_commit_callbacks, delegate(state=state("ROU")))
    registration.refresh_from_db()
    sent_at = registration.confirmation_sent_at
    assert sent_at is not None
    send_registration_email.enqueue(registration.pk, "registered")
    send_registration_email.enqueue(registration.pk, "confirmed")
    assert emails.send_confirmation(registration.pk) is False
    assert len(mail.outbox) == 1
    registration.refresh_from_db()
    assert registration.confirmation_sent_at == sent_at


class RefusingBackend(locmem.EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_confirmation_that_failed_to_go_is_not_marked_sent_and_goes_next_time(
    week, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    registration = register(week, django_capture_on_commit_callbacks, delegate(state=state("ROU")))
    registration.refresh_from_db()
    assert registration.confirmation_sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert emails.resume_confirmations() == 1
    assert [m["Subject"] for m in sent()] == ["Registration confirmed: Next Working Group meetings"]
    registration.refresh_from_db()
    assert registration.confirmation_sent_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert emails.resume_confirmations() == 0


def test_a_delegate_registered_by_their_focal_point_is_told_who_did_it(
    week, django_capture_on_commit_callbacks, django_user_model
):
    focal = Person.objects.create(
        honorific="Mr.", given_name="Radu", family_name="Focal", email="focal@mae.example.ro"
    )
    FocalPoint.objects.create(person=focal, state=state("ROU"))
    user = django_user_model.objects.create_user("focal", email="focal@mae.example.ro")
    register(week, django_capture_on_commit_callbacks, delegate(state=state("ROU")), by=user)
    [message] = sent()
    assert message["To"] == "a.delegate@example.org"
    line = "Mr. Radu FOCAL (focal@mae.example.ro) registered you for this meeting."
    assert line in text_of(message)
    assert line in html_of(message)


def test_a_delegate_who_registered_themself_is_not_told_they_were_registered(
    week, django_capture_on_commit_callbacks, django_user_model
):
    user = django_user_model.objects.create_user("ana", email="A.Delegate@example.org")
    register(week, django_capture_on_commit_callbacks, delegate(state=state("ROU")), by=user)
    [message] = sent()
    assert "registered you" not in text_of(message)


@pytest.mark.parametrize(
    ("language", "title", "venue"),
    [
        ("fr", "Prochaines réunions des groupes de travail", "CICG, Genève, Suisse"),
        ("es", "Próximas reuniones de los grupos de trabajo", "CICG, Ginebra, Suiza"),
    ],
)
def test_the_email_is_in_the_language_the_delegate_registered_in(
    week, django_capture_on_commit_callbacks, language, title, venue
):
    meeting = week.meeting
    setattr(meeting, f"title_{language}", title)
    setattr(meeting, f"city_{language}", venue.split(", ")[1])
    setattr(meeting, f"country_{language}", venue.split(", ")[2])
    meeting.save()
    registration = register(
        week, django_capture_on_commit_callbacks, delegate(state=state("ROU"), language=language)
    )
    [message] = sent()
    text = text_of(message)
    assert title in message["Subject"]
    assert "Next Working Group meetings" not in text
    assert venue in text
    with translation.override(language):
        first = meeting.start_date
        day = f"{date_format(first, 'l')} {date_format(first, 'DATE_FORMAT')}"
        mode = str(Registration.Mode.IN_PERSON.label)
    # Dates are written the delegate's way: "lundi 12 janvier 2026", "lunes 12 de enero de 2026".
    assert f"- {day}, 10:00–13:00" in text
    assert (" de " in day) is (language == "es")
    assert mode in text
    assert f'lang="{language}"' in html_of(message)
    assert str(personal_title(calendar_of(message))) == title
    # The rest of the site is still in English for whoever comes next.
    assert translation.get_language() == "en"
    assert registration.language == language


def personal_title(calendar: Calendar) -> str:
    return calendar["x-wr-calname"]


@pytest.mark.parametrize(
    ("event", "status", "email"),
    [
        ("registered", "confirmed", emails.Email.CONFIRMED),
        ("registered", "pending", emails.Email.PENDING),
        ("registered", "waitlisted", emails.Email.WAITLISTED),
        # Withdrawn before the worker came to it: the withdrawal's own email says it.
        ("registered", "withdrawn", None),
        ("confirmed", "confirmed", emails.Email.CONFIRMED),
        ("confirmed", "withdrawn", None),
        ("waitlisted", "waitlisted", emails.Email.WAITLISTED_AFTER_APPROVAL),
        # Promoted before the worker came to it: the confirmation goes instead.
        ("waitlisted", "confirmed", None),
        ("changed", "confirmed", emails.Email.CHANGED),
        ("changed", "withdrawn", None),
        ("withdrawn", "withdrawn", emails.Email.WITHDRAWN),
        ("refused", "refused", emails.Email.REFUSED),
    ],
)
def test_which_email_an_event_calls_for(event, status, email):
    assert emails.email_for(event, status) == email


def test_an_unknown_event_is_a_mistake_not_a_silence():
    with pytest.raises(ValueError, match="approved"):
        emails.email_for("approved", "confirmed")


def test_with_the_database_queue_the_email_is_queued_in_the_registrations_own_transaction(
    week, settings, django_capture_on_commit_callbacks
):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks() as callbacks:
        registration = services.register(week.meeting, delegate(state=state("ROU")), by=None)
    # Queued with the registration, not by a callback after the commit.
    assert callbacks == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == send_registration_email.module_path
    assert queued.args_kwargs["args"] == [registration.pk, "registered"]

    # A registration rolled back takes its email with it.
    with transaction.atomic():
        services.register(week.meeting, delegate("b@example.org", state=state("GBR")), by=None)
        assert DBTaskResult.objects.count() == 2
        transaction.set_rollback(True)
    assert DBTaskResult.objects.count() == 1
    assert not Registration.objects.filter(person__email="b@example.org").exists()
