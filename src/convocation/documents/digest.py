"""One email to each registrant listing the documents issued since the last digest.

A digest takes, under a row lock, the meeting's issued documents not yet announced, and
marks them announced in the same transaction, so two digests never list a document twice.
Each registrant is sent one email: registrants are grouped by what they may read (the
closed-body documents visible to them, by ``access``) and by the language of their emails,
and each group is one ``Mailing`` of the registrations app with one delivery per address.
A document of a closed body is thus only ever listed to someone allowed to read it, and
nobody gets two emails for one digest.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from convocation.documents import access
from convocation.documents.languages import language_name
from convocation.documents.models import Document
from convocation.meetings.models import Meeting
from convocation.registrations import emails, mailings
from convocation.registrations.models import Delivery, Mailing, Registration


def _sender(documents: list[Document], by: AbstractBaseUser | None) -> AbstractBaseUser:
    """Who the mailing is recorded as from: the officer who sent it, else the last issuer."""
    if by is not None:
        return by
    for document in reversed(documents):
        if document.issued_by is not None:
            return document.issued_by
    fallback = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if fallback is None:
        raise RuntimeError("A digest needs a staff account to be recorded as its sender.")
    return fallback


def _render(meeting: Meeting, documents: list[Document], language: str) -> tuple[str, str]:
    with translation.override(language):
        items = [
            {
                "symbol": document.symbol,
                "title": document.title,
                "body": document.body.label if document.body else "",
                "languages": ", ".join(
                    str(language_name(file.language)) for file in document.files.all()
                ),
                "date": date_format(document.issued_on, "DATE_FORMAT"),
                "replaces": document.revision_of.symbol if document.revision_of else "",
                "url": emails.absolute_url(reverse("documents:detail", kwargs={"pk": document.pk})),
            }
            for document in documents
        ]
        subject = ngettext(
            "%(count)d document issued: %(meeting)s",
            "%(count)d documents issued: %(meeting)s",
            len(documents),
        ) % {"count": len(documents), "meeting": meeting.local_title}
        body = render_to_string(
            "documents/email/digest.txt",
            {
                "meeting": meeting.local_title,
                "documents": items,
                "list_url": emails.absolute_url(
                    reverse("documents:for_meeting", kwargs={"slug": meeting.slug})
                ),
            },
        )
    return subject[:200], body.strip()


def send_digest(meeting: Meeting, *, by: AbstractBaseUser | None = None) -> list[Mailing]:
    """Announce the documents issued since the last digest; the mailings queued (maybe none)."""
    with transaction.atomic():
        documents = list(
            Document.objects.select_for_update(of=("self",))
            .filter(meeting=meeting, status=Document.Status.ISSUED, digest_sent_at__isnull=True)
            .select_related("body__parent", "meeting__cycle", "revision_of", "issued_by")
            .prefetch_related("files")
            .order_by("issued_at", "id")
        )
        if not documents:
            return []
        Document.objects.filter(pk__in=[document.pk for document in documents]).update(
            digest_sent_at=timezone.now()
        )
        registrations = list(
            Registration.objects.filter(meeting=meeting, status__in=mailings.ACTIVE)
            .select_related("person")
            .order_by("created_at", "id")
        )
        closed = [document for document in documents if document.body and document.body.is_closed]
        readers = (
            access.readers_of_people(registration.person_id for registration in registrations)
            if closed
            else {}
        )
        facts = {document.pk: access.facts_of(document) for document in closed}
        groups: dict[tuple[str, frozenset[int]], list[Registration]] = defaultdict(list)
        for registration in registrations:
            reader = readers.get(registration.person_id, access.ANONYMOUS)
            visible = frozenset(pk for pk, known in facts.items() if access.may_read(reader, known))
            groups[emails.language_of(registration), visible].append(registration)
        sender = _sender(documents, by)
        sent_to: set[str] = set()
        queued = []
        for (language, visible), members in sorted(
            groups.items(), key=lambda item: (item[0][0], sorted(item[0][1]))
        ):
            listed = [
                document
                for document in documents
                if not (document.body and document.body.is_closed) or document.pk in visible
            ]
            addresses = []
            for registration in members:
                email = registration.person.email.strip().lower()
                if email and email not in sent_to:
                    sent_to.add(email)
                    addresses.append((registration, email))
            if not listed or not addresses:
                continue
            subject, body = _render(meeting, listed, language)
            mailing = Mailing.objects.create(
                meeting=meeting,
                about=Mailing.Subject.DOCUMENT,
                subject=subject,
                body=body,
                created_by=sender,
                queued_at=timezone.now(),
            )
            Delivery.objects.bulk_create(
                Delivery(mailing=mailing, registration=registration, email=email)
                for registration, email in addresses
            )
            mailings.enqueue_sending(mailing.pk)
            queued.append(mailing)
    return queued


def send_digest_of(meeting_id: int) -> int:
    """The task's body: the number of mailings queued."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    return len(send_digest(meeting))


def pending_count(meeting: Meeting) -> int:
    return Document.objects.filter(
        meeting=meeting, status=Document.Status.ISSUED, digest_sent_at__isnull=True
    ).count()


def describe(mailings_sent: list[Mailing]) -> str:
    if not mailings_sent:
        return _("No document has been issued since the last digest.")
    recipients = sum(mailing.deliveries.count() for mailing in mailings_sent)
    return ngettext(
        "The digest is queued for %(count)d registrant.",
        "The digest is queued for %(count)d registrants.",
        recipients,
    ) % {"count": recipients}
