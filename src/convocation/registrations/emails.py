"""Emails to a delegate about their registration, in the language they registered in.

``services`` calls ``after_commit`` with what happened; a task sends the email once the change
is in the database. Which email goes is decided when it goes, from the registration as it is
then (``email_for``). A confirmed delegate's email carries what they need to attend: the QR
code for the door (in person), their sessions as a calendar file and, where the meeting is
streamed, the livestream link. The confirmation is sent once: ``confirmation_sent_at`` is set
under a row lock in the same transaction as the sending.
"""

import enum
from email.mime.image import MIMEImage
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import SafeMIMEMultipart, SafeMIMEText
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django_tasks_db.backend import DatabaseBackend

from convocation.letters.wording import date_range
from convocation.meetings.models import Meeting, Session
from convocation.registrations import access, calendar, qr
from convocation.registrations.models import Registration

Status = Registration.Status
# Django waits for the mail server without limit by default; a sending that holds a row lock
# must give up instead (EMAIL_TIMEOUT, when set, decides).
SMTP_TIMEOUT_SECONDS = 30


class Email(enum.StrEnum):
    """The emails a delegate receives about a registration."""

    CONFIRMED = "confirmed"
    PENDING = "pending"
    WAITLISTED = "waitlisted"
    WAITLISTED_AFTER_APPROVAL = "waitlisted_after_approval"
    CHANGED = "changed"
    WITHDRAWN = "withdrawn"
    REFUSED = "refused"


ACTIVE = (Status.CONFIRMED, Status.PENDING, Status.WAITLISTED)


def after_commit(registration: Registration, event: str) -> None:
    """Queue the email for the change, never for a rolled-back one.

    Where the queue is a table of this database, the email is queued in the change's own
    transaction: both are committed together, or neither, and the submit makes no second
    transaction. Any other queue is given the email once the change is committed.
    """
    from convocation.registrations.tasks import send_registration_email

    registration_id = registration.pk
    if isinstance(send_registration_email.get_backend(), DatabaseBackend):
        send_registration_email.enqueue(registration_id, event)
    else:
        transaction.on_commit(lambda: send_registration_email.enqueue(registration_id, event))


def email_for(event: str, status: str) -> Email | None:
    """Which email an event calls for, given the registration's status when the email goes.

    The status may have moved on since the event (approved, promoted or withdrawn in the
    meantime): the delegate is told where the registration stands now, and an email that a
    later change made pointless is not sent, since that change sends its own.
    """
    if event == "registered":
        return {
            Status.CONFIRMED: Email.CONFIRMED,
            Status.PENDING: Email.PENDING,
            Status.WAITLISTED: Email.WAITLISTED,
        }.get(status)
    if event == "confirmed":
        return Email.CONFIRMED if status == Status.CONFIRMED else None
    if event == "waitlisted":
        return Email.WAITLISTED_AFTER_APPROVAL if status == Status.WAITLISTED else None
    if event == "changed":
        return Email.CHANGED if status in ACTIVE else None
    if event == "withdrawn":
        return Email.WITHDRAWN if status == Status.WITHDRAWN else None
    if event == "refused":
        return Email.REFUSED if status == Status.REFUSED else None
    raise ValueError(f"No email for the event {event!r}.")


def send_registration_email(registration_id: int, event: str) -> bool:
    """Send the email this event calls for; False where none went."""
    registration = _registrations().filter(pk=registration_id).first()
    if registration is None or not registration.person.email:
        return False
    kind = email_for(event, registration.status)
    if kind is None:
        return False
    if kind == Email.CONFIRMED:
        return send_confirmation(registration_id)
    with connection() as smtp:
        registration_message(registration, kind, connection=smtp).send()
    return True


def send_confirmation(registration_id: int) -> bool:
    """Send the confirmation unless it went already; True if this call sent it.

    The registration's row is locked and marked sent before the message goes, in one
    transaction: a second run of the same task waits for the first and then finds the mark.
    A failed sending rolls the mark back with it. The one window left is a worker that dies
    after the mail server accepted the message and before the commit: the mark is lost and the
    confirmation would go again if the task were queued again.
    """
    with transaction.atomic():
        # The conditional UPDATE is the claim: it locks the row as select_for_update would,
        # and a second run blocked behind it finds the date set and updates nothing.
        claimed = Registration.objects.filter(
            pk=registration_id, status=Status.CONFIRMED, confirmation_sent_at=None
        ).update(confirmation_sent_at=timezone.now())
        if not claimed:
            return False
        registration = _registrations().get(pk=registration_id)
        with connection() as smtp:
            registration_message(registration, Email.CONFIRMED, connection=smtp).send()
    return True


def connection() -> BaseEmailBackend:
    return get_connection(timeout=settings.EMAIL_TIMEOUT or SMTP_TIMEOUT_SECONDS)


def absolute_url(path: str) -> str:
    """An address for an email, which is read outside the site: SITE_URL and the path."""
    return settings.SITE_URL.rstrip("/") + path


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def manage_url(registration: Registration) -> str:
    return absolute_url(reverse("registrations:detail", kwargs={"pk": registration.pk}))


def language_of(registration: Registration | None) -> str:
    language = registration.language if registration is not None else ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def livestream_link(registration: Registration) -> str:
    """The link for a confirmed delegate of a streamed meeting; nobody else gets it by email."""
    meeting = registration.meeting
    if registration.status != Status.CONFIRMED or meeting.livestream == Meeting.Livestream.NONE:
        return ""
    return meeting.livestream_url


def registration_message(
    registration: Registration, kind: Email, *, connection: BaseEmailBackend | None = None
) -> EmailMessage:
    """The email, plain text with an HTML alternative, in the registration's language."""
    with translation.override(language_of(registration)):
        confirmed = registration.status == Status.CONFIRMED
        sessions = calendar.sessions_attended(registration)
        png = (
            qr.check_in_png(registration)
            if confirmed and registration.mode == Registration.Mode.IN_PERSON
            else None
        )
        ics = (
            calendar.registration_calendar(registration, sessions)
            if confirmed and sessions
            else None
        )
        ics_name = f"{registration.meeting.slug}.ics"
        context = _context(registration, kind, sessions)
        context |= {
            "qr_cid": f"check-in-{registration.pk}@{site_domain()}" if png else "",
            "check_in_code": registration.check_in_code if png else "",
            "calendar_name": ics_name if ics else "",
            "livestream_url": livestream_link(registration),
        }
        subject = context["subject"]
        text = render_to_string("registrations/email/registration.txt", context)
        html = render_to_string("registrations/email/registration.html", context)
    # RFC 3834: an automatic message, so that out-of-office replies are not sent back.
    headers = {"Auto-Submitted": "auto-generated"}
    to = [registration.person.email]
    if png is None and ics is None:
        message = EmailMultiAlternatives(
            subject, text, to=to, headers=headers, connection=connection
        )
        message.attach_alternative(html, "text/html")
        return message
    # Django's alternatives cannot hold an image for the HTML part (multipart/related), so the
    # tree is built here: mixed [alternative [text, related [html, image]], calendar].
    message = EmailMessage(subject, "", to=to, headers=headers, connection=connection)
    message.attach(_alternative(text, html, png, context["qr_cid"]))
    if ics is not None:
        message.attach(_calendar_part(ics, ics_name))
    return message


def _registrations():
    return Registration.objects.select_related(
        "meeting__cycle__treaty", "person", "state", "organisation", "registered_by"
    )


def _alternative(text: str, html: str, png: bytes | None, cid: str) -> SafeMIMEMultipart:
    encoding = settings.DEFAULT_CHARSET
    html_part = SafeMIMEText(html, "html", encoding)
    if png is not None:
        related = SafeMIMEMultipart(_subtype="related", encoding=encoding)
        related.attach(html_part)
        image = MIMEImage(png, "png")
        image.add_header("Content-ID", f"<{cid}>")
        image.add_header("Content-Disposition", "inline", filename="check-in.png")
        related.attach(image)
        html_part = related
    alternative = SafeMIMEMultipart(_subtype="alternative", encoding=encoding)
    alternative.attach(SafeMIMEText(text, "plain", encoding))
    alternative.attach(html_part)
    return alternative


def _calendar_part(ics: bytes, filename: str) -> SafeMIMEText:
    part = SafeMIMEText(ics.decode(), "calendar", settings.DEFAULT_CHARSET)
    part.set_param("method", "PUBLISH")
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def _context(registration: Registration, kind: Email, sessions: list[Session]) -> dict:
    """What the templates show, worded in the active language."""
    meeting = registration.meeting
    person = registration.person
    language = translation.get_language()
    zone = meeting.tz
    delegation = registration.delegation
    acronym = getattr(delegation, "acronym", "")
    subject, lead = _wording(registration, kind)
    # As one writes to a person, not as a signature block does (no capitals).
    name = " ".join(
        part for part in (person.honorific, person.given_name, person.family_name) if part
    )
    return {
        "kind": kind.value,
        "subject": subject,
        "lead": lead,
        "greeting": _("Dear %(name)s,") % {"name": name},
        "registered_by": _registered_by(registration),
        "meeting_title": meeting.local_title,
        "dates": date_range(meeting.start_date, meeting.end_date, language),
        "venue": ", ".join(
            part for part in (meeting.venue, meeting.local_city, meeting.local_country) if part
        ),
        "delegation": f"{delegation} ({acronym})" if acronym else str(delegation),
        "role": registration.get_role_display(),
        "mode": registration.get_mode_display(),
        "status": registration.get_status_display(),
        "time_zone": meeting.time_zone,
        "sessions": [
            {
                "day": f"{date_format(start, 'l')} {date_format(start, 'DATE_FORMAT')}",
                "times": f"{time_format(start, 'H:i')}–{time_format(end, 'H:i')}",
                "label": session.body.label,
                "room": session.room,
            }
            for session in sessions
            for start, end in [(session.start.astimezone(zone), session.end.astimezone(zone))]
        ],
        "manage_url": manage_url(registration),
        "signature": _("Secretariat of the %(treaty)s")
        % {"treaty": meeting.cycle.treaty.local_name},
        "language": language,
    }


def _wording(registration: Registration, kind: Email) -> tuple[str, list[str]]:
    """The subject and the opening paragraphs: what happened and what it means."""
    title = {"meeting": registration.meeting.local_title}
    waiting = _(
        "If a place becomes free, registrations on the waiting list are confirmed in the order "
        "they were made, and you will receive an email."
    )
    if kind == Email.CONFIRMED:
        lead = [_("Your registration for %(meeting)s is confirmed.") % title]
        if registration.mode == Registration.Mode.IN_PERSON:
            lead.append(
                _(
                    "At the registration desk, show the QR code in this email with an identity "
                    "document to collect your badge."
                )
            )
        else:
            lead.append(_("You take part online."))
        return _("Registration confirmed: %(meeting)s") % title, lead
    if kind == Email.PENDING:
        return _("Registration received: %(meeting)s") % title, [
            _("We have received your registration for %(meeting)s.") % title,
            _(
                "The Secretariat approves registrations in the category “%(category)s” before "
                "confirming them. You will receive another email once it has decided."
            )
            % {"category": registration.get_category_display()},
        ]
    if kind == Email.WAITLISTED:
        return _("Waiting list: %(meeting)s") % title, [
            _(
                "We have received your registration for %(meeting)s. All in-person places are "
                "taken, so you are on the waiting list."
            )
            % title,
            waiting,
        ]
    if kind == Email.WAITLISTED_AFTER_APPROVAL:
        return _("Waiting list: %(meeting)s") % title, [
            _(
                "The Secretariat has approved your registration for %(meeting)s. All in-person "
                "places are taken, so you are on the waiting list."
            )
            % title,
            waiting,
        ]
    if kind == Email.CHANGED:
        return _("Registration changed: %(meeting)s") % title, [
            _("Your registration for %(meeting)s has been changed. It now reads as below.") % title
        ]
    if kind == Email.WITHDRAWN:
        return _("Registration withdrawn: %(meeting)s") % title, [
            _("Your registration for %(meeting)s has been withdrawn.") % title,
            _("If this is a mistake, you may register again while registration is open."),
        ]
    return _("Registration not accepted: %(meeting)s") % title, [
        _("The Secretariat has not accepted your registration for %(meeting)s.") % title,
        _("If you have a question, please reply to this email."),
    ]


def _registered_by(registration: Registration) -> str:
    """Who registered the delegate, where it was someone else: a focal point, or staff."""
    user = registration.registered_by
    own = registration.person.email.strip().lower()
    if user is None or not user.email or user.email.strip().lower() == own:
        return ""
    person = access.person_of(user)
    name = person.formal_name if person else (user.get_full_name() or user.get_username())
    return _(
        "%(name)s (%(email)s) registered you for this meeting. If you did not expect this, "
        "please reply to this email."
    ) % {"name": name, "email": user.email}


def resume_confirmations() -> int:
    """Queue again the confirmations that never went: a stopped worker, a mail server down.

    Safe to run at any time: a confirmation already sent, or sent by a task still queued,
    is not sent again (``send_confirmation``).
    """
    registration_ids = list(
        Registration.objects.filter(
            status=Status.CONFIRMED,
            confirmation_sent_at=None,
            meeting__status=Meeting.Status.PLANNED,
            meeting__end_date__gte=timezone.localdate(),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for registration_id in registration_ids:
        after_commit(Registration(pk=registration_id), "confirmed")
    return len(registration_ids)
