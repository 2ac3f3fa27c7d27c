"""Change notices of a published schedule revision, and the delegate's own calendar feed.

When a revision of a meeting's schedule is published (``meetings.revisions``), every active
registrant of a session that changed gets one email, in their language, saying what changed
for them, with their sessions as an iCalendar attachment: the events keep their UIDs and
carry the raised SEQUENCE (STATUS:CANCELLED for a cancelled session), so a calendar updates
the entries it holds instead of adding new ones.

The notice is a ``Mailing`` like any other (about the schedule), with one ``Delivery`` per
recipient, sent by the same task: each recipient gets it once, a stopped worker resumes
where it stopped (``mailings``). Only the message is written per delivery here.

The personal feed (``/my/calendar/<token>.ics``) serves the same sessions to calendar apps,
which cannot sign in: the token is the registration's id signed with the site's secret.
"""

import datetime as dt

from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import Q
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from convocation.meetings import revisions
from convocation.meetings.models import Meeting, ScheduleRevision, Session
from convocation.registrations import calendar, emails, mailings
from convocation.registrations.models import Delivery, Mailing, Registration

FEED_SALT = "convocation.registrations.calendar-feed"


# Who is affected -------------------------------------------------------------------------


def _as_published(entry: revisions.Entry, session_id: int, meeting: Meeting) -> Session:
    """The session as a revision published it: its day and who might attend it then."""
    return Session(
        pk=session_id,
        meeting=meeting,
        start=dt.datetime.fromisoformat(entry["start"]),
        end=dt.datetime.fromisoformat(entry["end"]),
        access=entry["access"],
    )


def changes_for(
    meeting: Meeting, changes: list[revisions.Change], registrations: list[Registration]
) -> dict[int, list[revisions.Change]]:
    """For each of these registrations concerned by a change, the changes that concern it.

    A registrant attends a session they chose or, having chosen none, any session open to
    their delegation on its day (``mailings.registrants_of_session``). A change concerns
    those who were coming to the session as published before and those who may come to it
    as published now: the registrants of a cancelled session, and the delegations a closed
    session now admits. The sessions are read from the snapshots, so a session deleted
    since still finds its registrants.
    """
    theirs: dict[int, list[revisions.Change]] = {}
    for change in changes:
        for entry in (change.before, change.after):
            if entry is None:
                continue
            session = _as_published(entry, change.session_id, meeting)
            for registration in mailings.registrants_of_session(session, registrations):
                concerned = theirs.setdefault(registration.pk, [])
                if change not in concerned:
                    concerned.append(change)
    return theirs


def affected(
    meeting: Meeting, changes: list[revisions.Change]
) -> list[tuple[Registration, list[revisions.Change]]]:
    """Each active registrant concerned by a change, in the order they registered."""
    registrations = list(
        Registration.objects.filter(meeting=meeting, status__in=mailings.ACTIVE)
        .select_related("person", "state", "organisation")
        .order_by("created_at", "id")
    )
    theirs = changes_for(meeting, changes, registrations)
    return [
        (registration, theirs[registration.pk])
        for registration in registrations
        if registration.pk in theirs
    ]


# Queuing the notice -------------------------------------------------------------------------


@receiver(revisions.revision_published, dispatch_uid="registrations.change_notices")
def on_revision_published(
    sender, revision: ScheduleRevision, changes: list[revisions.Change], **kwargs
) -> None:
    queue_change_notice(revision, changes)


def queue_change_notice(
    revision: ScheduleRevision, changes: list[revisions.Change]
) -> Mailing | None:
    """One mailing for the revision, with a delivery for each affected registrant.

    Runs inside the publishing transaction; the sending is queued when it commits. None
    where nothing changed, or nobody is affected. Queuing again adds nobody twice.
    """
    if not changes or revision.published_by is None:
        return None
    meeting = revision.meeting
    recipients = [registration for registration, _theirs in affected(meeting, changes)]
    if not recipients:
        return None
    mailing = (
        Mailing.objects.filter(pk=revision.notice_mailing_id).first()
        if revision.notice_mailing_id
        else None
    )
    if mailing is None:
        with translation.override("en"):
            # The record the Secretariat reads in the admin; each recipient gets their own.
            mailing = Mailing.objects.create(
                meeting=meeting,
                about=Mailing.Subject.SCHEDULE,
                subject=_subject(revision)[:200],
                body=_record(revision, changes),
                created_by=revision.published_by,
            )
        revision.notice_mailing_id = mailing.pk
        revision.save(update_fields=["notice_mailing_id", "updated_at"])
    mailings.queue_mailing(mailing, to=recipients)
    return mailing


def _subject(revision: ScheduleRevision) -> str:
    return _("Schedule revision %(number)d: %(meeting)s") % {
        "number": revision.number,
        "meeting": revision.meeting.local_title,
    }


def _revision_url(revision: ScheduleRevision) -> str:
    return emails.absolute_url(
        reverse(
            "meetings:revision",
            kwargs={"slug": revision.meeting.slug, "number": revision.number},
        )
    )


def _record(revision: ScheduleRevision, changes: list[revisions.Change]) -> str:
    zone = revision.meeting.tz
    lines = [revision.note, ""] if revision.note else []
    lines += [f"- {revisions.describe(change, zone)}" for change in changes]
    lines += ["", _revision_url(revision)]
    return "\n".join(lines)


# The message of one delivery ----------------------------------------------------------------


def revision_of(mailing: Mailing) -> ScheduleRevision | None:
    """The revision whose change notice this mailing is; None for any other mailing."""
    if not hasattr(mailing, "_change_notice_revision"):
        mailing._change_notice_revision = (
            ScheduleRevision.objects.select_related("meeting__cycle__treaty")
            .filter(notice_mailing_id=mailing.pk)
            .first()
        )
    return mailing._change_notice_revision


def notice_message(
    mailing: Mailing,
    delivery: Delivery,
    registration: Registration | None,
    *,
    connection: BaseEmailBackend | None = None,
) -> EmailMultiAlternatives | None:
    """The change notice for one recipient, in their language, with their calendar attached.

    None where the mailing is not a revision's notice, or the registration is gone (the
    officer's record of the notice is then sent as it stands, by ``mailings``).
    """
    revision = revision_of(mailing)
    if revision is None or registration is None:
        return None
    registration = (
        Registration.objects.select_related(
            "meeting__cycle__treaty", "person", "state", "organisation"
        )
        .filter(pk=registration.pk)
        .first()
    )
    if registration is None:
        return None
    meeting = registration.meeting
    changes = changes_for(meeting, revisions.changes_of(revision), [registration]).get(
        registration.pk, []
    )
    sessions = feed_sessions(registration)
    ics = calendar.registration_calendar(registration, sessions)
    with translation.override(emails.language_of(registration)):
        person = registration.person
        name = " ".join(
            part for part in (person.honorific, person.given_name, person.family_name) if part
        )
        context = {
            "subject": _subject(revision),
            "greeting": _("Dear %(name)s,") % {"name": name},
            "lead": _(
                "The Secretariat has published revision %(number)d of the schedule of "
                "%(meeting)s on %(date)s."
            )
            % {
                "number": revision.number,
                "meeting": meeting.local_title,
                "date": date_format(revision.published_at.astimezone(meeting.tz), "DATE_FORMAT"),
            },
            "note": revision.note,
            "changes": [revisions.describe(change, meeting.tz) for change in changes],
            "time_zone": meeting.time_zone,
            "calendar_name": f"{meeting.slug}.ics",
            "revision_url": _revision_url(revision),
            "feed_url": feed_url(registration),
            "manage_url": emails.manage_url(registration),
            "signature": _("Secretariat of the %(treaty)s")
            % {"treaty": meeting.cycle.treaty.local_name},
            "language": translation.get_language(),
        }
        text = render_to_string("registrations/email/change_notice.txt", context)
        html = render_to_string("registrations/email/change_notice.html", context)
    message = EmailMultiAlternatives(
        context["subject"],
        text,
        to=[delivery.email],
        # The Message-ID of the delivery, so that a notice sent twice is seen as one
        # (``mailings``); automatic, so that out-of-office replies are not sent back.
        headers={"Message-ID": mailings.message_id(delivery), "Auto-Submitted": "auto-generated"},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    message.attach(emails._calendar_part(ics, context["calendar_name"]))
    return message


# The delegate's own calendar ---------------------------------------------------------------


def feed_sessions(registration: Registration) -> list[Session]:
    """The sessions the delegate attends, and those cancelled that they were to attend.

    A cancelled session stays in their calendar as cancelled (same UID, raised SEQUENCE), so
    that a calendar holding it removes it.
    """
    attended = calendar.sessions_attended(registration)
    cancelled = list(
        Session.objects.filter(meeting_id=registration.meeting_id, cancelled=True)
        .filter(~Q(pk__in=[session.pk for session in attended]))
        .select_related("meeting", "body__parent")
    )
    were_attending = [
        session for session in cancelled if mailings.registrants_of_session(session, [registration])
    ]
    return sorted([*attended, *were_attending], key=lambda session: (session.start, session.pk))


def feed_token(registration: Registration) -> str:
    return signing.Signer(salt=FEED_SALT).sign(str(registration.pk))


def registration_for_token(token: str) -> Registration | None:
    try:
        pk = signing.Signer(salt=FEED_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return (
        Registration.objects.select_related(
            "meeting__cycle__treaty", "person", "state", "organisation"
        )
        .filter(pk=int(pk))
        .first()
    )


def feed_path(registration: Registration) -> str:
    return reverse("registrations:calendar_feed", kwargs={"token": feed_token(registration)})


def feed_url(registration: Registration) -> str:
    return emails.absolute_url(feed_path(registration))


def personal_calendar(registration: Registration) -> bytes:
    """The delegate's sessions as iCalendar; none once the registration is withdrawn."""
    sessions = feed_sessions(registration) if registration.is_active else []
    return calendar.registration_calendar(registration, sessions)
