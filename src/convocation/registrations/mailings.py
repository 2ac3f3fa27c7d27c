"""Emails to all registrants of a meeting, or of one session: each recipient gets it once.

Queuing a mailing writes its list of recipients, one delivery per address, in one transaction.
The sending task then takes the pending deliveries one at a time: it claims one under a row
lock, marks it sent, hands the message to the mail server and commits. A worker stopped in the
middle (``convocation resume-mailings`` queues the mailing again) or a task queued twice goes
on with the deliveries still pending, so nobody is sent the message twice, and nobody is
missed.

The one window left: the mail server accepted the message and the worker died before the
commit. The delivery is still pending and will go again. Marking it sent before the sending,
in the same transaction, leaves only the COMMIT in that window; the Message-ID is made from the
mailing and the delivery, so a message that does come twice has the same Message-ID, which mail
systems that de-duplicate recognise, and which the Secretariat can find in the server's log.
"""

import contextlib
import datetime as dt
import smtplib
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connections, router, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from convocation.letters.models import Letter
from convocation.meetings.models import Meeting, Session
from convocation.registrations import emails, rules, services
from convocation.registrations.models import Delivery, Mailing, Registration

ACTIVE = (
    Registration.Status.CONFIRMED,
    Registration.Status.PENDING,
    Registration.Status.WAITLISTED,
)
MAX_ATTEMPTS = 3
# A task sends this many, then queues the rest as a new task, so that a confirmation queued
# meanwhile does not wait for the end of a long mailing.
BATCH_SIZE = 50
# How long a failed delivery waits before it is tried again, where the task queue can wait.
RETRY_AFTER = dt.timedelta(minutes=5)
LETTER_FORMATS = (("pdf", "PDF"), ("docx", "Word"), ("html", "HTML"))


@dataclass
class Progress:
    """What one run of the sending task did."""

    sent: int = 0
    failed: int = 0
    to_retry: int = 0
    # The last delivery looked at, where the next run goes on; None once the pass is over.
    last_id: int | None = None

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.to_retry


def recipients(mailing: Mailing) -> list[Registration]:
    """The active registrations of the meeting, or of the mailing's session."""
    registrations = list(
        Registration.objects.filter(meeting_id=mailing.meeting_id, status__in=ACTIVE)
        .select_related("person", "state", "organisation")
        .order_by("created_at", "id")
    )
    if mailing.session_id is None:
        return registrations
    return registrants_of_session(mailing.session, registrations)


def registrants_of_session(
    session: Session, registrations: list[Registration]
) -> list[Registration]:
    """Those who chose the session, and those who chose none and may attend it.

    A registration with no sessions chosen attends every session open to its delegation
    (``calendar.sessions_attended``); for a closed session that depends on the State's status
    on the session's day, read for all their States at once.
    """
    through = Registration.sessions.through
    chose_it = set(
        through.objects.filter(session=session).values_list("registration_id", flat=True)
    )
    chose_some = set(
        through.objects.filter(registration__meeting_id=session.meeting_id).values_list(
            "registration_id", flat=True
        )
    )
    chose_none = [r for r in registrations if r.pk not in chose_some]
    access = session.effective_access
    # Where a delegation without a State's status may attend (an open session), so may all.
    if rules.may_attend(access, None) or not chose_none:
        statuses = {}
    else:
        day = session.start.astimezone(session.meeting.tz).date()
        codes = {r.state_id for r in chose_none if r.state_id is not None}
        statuses = services.statuses_on(session.meeting, codes, day) if codes else {}

    def delegation_may_attend(registration: Registration) -> bool:
        if registration.state_id is None:
            return rules.may_attend(access, None)
        return rules.may_attend(access, statuses.get(registration.state_id))

    return [
        registration
        for registration in registrations
        if registration.pk in chose_it
        or (registration.pk not in chose_some and delegation_may_attend(registration))
    ]


def queue_mailing(mailing: Mailing, *, to: list[Registration] | None = None) -> int:
    """Write one delivery per recipient's address and queue the sending; returns how many new.

    Queuing again adds only those who registered since, and never a second delivery to an
    address: the mailing's row is locked while its list is written. ``to`` names the
    recipients where they are not all the mailing's (a change notice goes to those whose
    sessions changed).
    """
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        known = set(mailing.deliveries.values_list("email", flat=True))
        new = []
        for registration in recipients(mailing) if to is None else to:
            email = registration.person.email.strip().lower()
            if email and email not in known:
                known.add(email)
                new.append(Delivery(mailing=mailing, registration=registration, email=email))
        Delivery.objects.bulk_create(new)
        if mailing.queued_at is None:
            mailing.queued_at = timezone.now()
            mailing.save(update_fields=["queued_at"])
        if mailing.deliveries.filter(status=Delivery.Status.PENDING).exists():
            enqueue_sending(mailing.pk)
    return len(new)


def enqueue_sending(mailing_id: int, *, after: int = 0, delay: dt.timedelta | None = None) -> None:
    """Queue the sending task once the transaction commits, after a pause where it can wait."""
    from convocation.registrations.tasks import send_mailing

    task = send_mailing
    if delay is not None and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    transaction.on_commit(lambda: task.enqueue(mailing_id, after))


def resume_mailings() -> list[int]:
    """Queue again every mailing with deliveries pending: after a worker was stopped."""
    mailing_ids = list(
        Mailing.objects.filter(deliveries__status=Delivery.Status.PENDING)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for mailing_id in mailing_ids:
        enqueue_sending(mailing_id)
    return mailing_ids


def send_batch(mailing_id: int, *, after: int = 0) -> Progress:
    """The sending task: one batch, then the rest of the pass, then a later pass for failures."""
    progress = send_pending(mailing_id, after=after)
    if progress.last_id is not None:
        enqueue_sending(mailing_id, after=progress.last_id)
    elif Delivery.objects.filter(
        mailing_id=mailing_id, status=Delivery.Status.PENDING, attempts__gt=0
    ).exists():
        # Each pass adds an attempt to every delivery that fails again, so this ends after
        # MAX_ATTEMPTS passes at most.
        enqueue_sending(mailing_id, delay=RETRY_AFTER)
    return progress


def send_pending(mailing_id: int, *, after: int = 0, limit: int | None = None) -> Progress:
    """Send the pending deliveries after ``after``, up to ``limit``, each in a transaction."""
    limit = limit or BATCH_SIZE
    progress = Progress()
    mailing = (
        Mailing.objects.select_related("meeting", "session__body__parent")
        .filter(pk=mailing_id)
        .first()
    )
    if mailing is None:
        return progress
    smtp = emails.connection()
    try:
        while progress.handled < limit:
            outcome = _send_next(mailing, smtp, after=after)
            if outcome is None:
                return progress
            after, status = outcome
            if status == Delivery.Status.SENT:
                progress.sent += 1
            elif status == Delivery.Status.FAILED:
                progress.failed += 1
            else:
                progress.to_retry += 1
        progress.last_id = after
        return progress
    finally:
        _close(smtp)


def _claimable() -> QuerySet[Delivery]:
    # Two workers on one mailing share it out instead of waiting on each other's row. SQLite
    # has no row locks: its transactions take the write lock when they begin (settings), which
    # serialises the claims instead, for the time of one sending.
    features = connections[router.db_for_write(Delivery)].features
    return Delivery.objects.select_for_update(
        skip_locked=features.has_select_for_update_skip_locked
    )


def _send_next(mailing: Mailing, smtp: BaseEmailBackend, *, after: int) -> tuple[int, str] | None:
    """Claim, mark and send the next pending delivery; its id and status, or None."""
    with transaction.atomic():
        delivery = (
            _claimable()
            .filter(mailing=mailing, status=Delivery.Status.PENDING, pk__gt=after)
            .order_by("pk")
            .first()
        )
        if delivery is None:
            return None
        registration = (
            Registration.objects.select_related("person")
            .filter(pk=delivery.registration_id)
            .first()
        )
        message = delivery_message(mailing, delivery, registration, connection=smtp)
        # Marked sent before the message goes: once the server accepts it only the COMMIT
        # remains to be done (see the module's docstring).
        delivery.attempts += 1
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.error = ""
        delivery.save(update_fields=["attempts", "status", "sent_at", "error"])
        try:
            smtp.open()
            if smtp.send_messages([message]) != 1:
                raise smtplib.SMTPException("The mail backend took no message.")
        except Exception as error:
            # A refused address, a server down, a timeout: noted, and tried again later.
            _close(smtp)
            delivery.status = (
                Delivery.Status.FAILED
                if delivery.attempts >= MAX_ATTEMPTS
                else Delivery.Status.PENDING
            )
            delivery.sent_at = None
            delivery.error = f"{type(error).__name__}: {error}"[:300]
            delivery.save(update_fields=["status", "sent_at", "error"])
        return delivery.pk, delivery.status


def _close(smtp: BaseEmailBackend) -> None:
    # The next sending opens a fresh connection; a broken one may fail even to say goodbye.
    with contextlib.suppress(Exception):
        smtp.close()


def message_id(delivery: Delivery) -> str:
    """The same for every sending of one delivery, so that a message sent twice is seen as one."""
    return f"<mailing-{delivery.mailing_id}.delivery-{delivery.pk}@{emails.site_domain()}>"


def delivery_message(
    mailing: Mailing,
    delivery: Delivery,
    registration: Registration | None,
    *,
    connection: BaseEmailBackend | None = None,
) -> EmailMultiAlternatives:
    """The officer's message as written, with a footer in the registrant's language.

    The change notice of a published schedule revision is written for each recipient
    instead, with their own changes and calendar (``change_notices``).
    """
    if mailing.about == Mailing.Subject.SCHEDULE:
        from convocation.registrations import change_notices

        notice = change_notices.notice_message(
            mailing, delivery, registration, connection=connection
        )
        if notice is not None:
            return notice
    meeting = mailing.meeting
    with translation.override(emails.language_of(registration)):
        session = ""
        if mailing.session is not None:
            start = mailing.session.start.astimezone(meeting.tz)
            session = f"{mailing.session.body.label}, {date_format(start, 'DATE_FORMAT')}"
        context = {
            "body": mailing.body,
            "meeting_title": meeting.local_title,
            "session": session,
            "manage_url": emails.manage_url(registration) if registration else "",
            "meeting_url": emails.absolute_url(
                reverse("meetings:detail", kwargs={"slug": meeting.slug})
            ),
            "language": translation.get_language(),
            "subject": mailing.subject,
        }
        text = render_to_string("registrations/email/mailing.txt", context)
        html = render_to_string("registrations/email/mailing.html", context)
    message = EmailMultiAlternatives(
        mailing.subject,
        text,
        to=[delivery.email],
        headers={"Message-ID": message_id(delivery)},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


def announce_letter(letter: Letter, by: AbstractBaseUser) -> Mailing:
    """Tell the meeting's registrants that a letter was issued, with the links to its files."""
    if not letter.is_issued:
        raise ValueError("Only an issued letter can be announced: its files exist once issued.")
    meeting = letter.meeting
    formats = set(letter.files.values_list("format", flat=True))
    links = [
        (
            label,
            emails.absolute_url(
                reverse(
                    "letters:issued_file",
                    kwargs={"slug": meeting.slug, "pk": letter.pk, "fmt": fmt},
                )
            ),
        )
        for fmt, label in LETTER_FORMATS
        if fmt in formats
    ]
    subject = _("%(kind)s: %(meeting)s (%(reference)s)") % {
        "kind": letter.get_kind_display(),
        "meeting": meeting.local_title,
        "reference": letter.reference,
    }
    body = render_to_string(
        "registrations/email/letter_announcement.txt",
        {
            "kind": letter.get_kind_display(),
            "language": letter.get_language_display(),
            "meeting": meeting.local_title,
            "reference": letter.reference,
            "date": date_format(letter.letter_date, "DATE_FORMAT"),
            "links": links,
            "letters_url": emails.absolute_url(
                reverse("letters:for_meeting", kwargs={"slug": meeting.slug})
            ),
        },
    )
    return _create_and_queue(meeting, Mailing.Subject.LETTER, subject, body.strip(), by)


def announce_schedule_change(meeting: Meeting, note: str, by: AbstractBaseUser) -> Mailing:
    """Tell the meeting's registrants the schedule changed: the officer's note and the links."""
    subject = _("Schedule change: %(meeting)s") % {"meeting": meeting.local_title}
    body = render_to_string(
        "registrations/email/schedule_announcement.txt",
        {
            "meeting": meeting.local_title,
            "note": note.strip(),
            "meeting_url": emails.absolute_url(
                reverse("meetings:detail", kwargs={"slug": meeting.slug})
            ),
            "calendar_url": emails.absolute_url(
                reverse("meetings:schedule_ics", kwargs={"slug": meeting.slug})
            ),
        },
    )
    return _create_and_queue(meeting, Mailing.Subject.SCHEDULE, subject, body.strip(), by)


def _create_and_queue(
    meeting: Meeting, about: str, subject: str, body: str, by: AbstractBaseUser
) -> Mailing:
    with transaction.atomic():
        mailing = Mailing.objects.create(
            meeting=meeting, about=about, subject=subject[:200], body=body, created_by=by
        )
        queue_mailing(mailing)
    return mailing
