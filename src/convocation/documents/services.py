"""Submitting, issuing, revising and withdrawing documents, each in one transaction.

Files are checked, all of them, before anything is written; storage is not part of the
database transaction, so files already written are deleted again if anything fails after.
A symbol's running number is taken under a row lock on the treaty's counter: two officers
issuing at the same moment get two numbers in a row, and a rolled-back issue gives its
number back.
"""

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from convocation.cycles.models import Office
from convocation.documents import symbols
from convocation.documents.files import CheckedFile, check_document_file
from convocation.documents.models import Document, DocumentCounter, DocumentFile
from convocation.meetings.models import Meeting
from convocation.treaties.models import Body, Treaty


class DocumentError(Exception):
    """A document cannot be submitted or issued as asked; ``errors`` says why, by field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class Submission:
    """What an office holder submits; ``files`` maps a language code to its upload."""

    title: str
    kind: str
    files: dict[str, UploadedFile]
    original: str
    body: Body | None = None
    office: Office | None = None
    note: str = ""


def official_languages(treaty: Treaty) -> list[str]:
    return [code.strip() for code in treaty.official_languages.split(",") if code.strip()]


def check_files(treaty: Treaty, files: dict[str, UploadedFile], original: str) -> dict:
    """Every file checked before any is stored; the errors of all of them at once."""
    errors: dict[str, str] = {}
    languages = official_languages(treaty)
    files = {language: upload for language, upload in files.items() if upload}
    if not files:
        errors["files"] = _("Attach the document in at least one language.")
    for language in files:
        if language not in languages:
            errors[f"file_{language}"] = _("%(language)s is not an official language.") % {
                "language": language
            }
    if files and original not in files:
        errors["original"] = _("The original language must be one of the files attached.")
    checked: dict[str, CheckedFile] = {}
    for language, upload in files.items():
        try:
            checked[language] = check_document_file(upload)
        except ValidationError as error:
            errors[f"file_{language}"] = " ".join(error.messages)
    if errors:
        raise DocumentError(errors)
    return checked


def _store_files(
    document: Document,
    files: dict[str, UploadedFile],
    checked: dict[str, CheckedFile],
    original: str,
    written: list[DocumentFile],
) -> None:
    """Write the files; ``written`` collects them, for the caller to delete on a rollback."""
    for language in sorted(files):
        facts = checked[language]
        record = DocumentFile(
            document=document,
            language=language,
            is_original=language == original,
            file_format=facts.file_format,
            content_type=facts.content_type,
            size=facts.size,
            sha256=facts.sha256,
            original_name=facts.original_name,
        )
        upload = files[language]
        upload.seek(0)
        record.file.save(f"{language}.{facts.file_format}", upload, save=False)
        written.append(record)
        record.save()


@contextlib.contextmanager
def _files_kept_only_if_committed() -> Iterator[list[DocumentFile]]:
    """A transaction whose stored files are deleted again if it does not commit.

    Storage is not part of the transaction: whatever fails, in the writing or at the commit,
    the rows are rolled back and the files written so far are removed here.
    """
    written: list[DocumentFile] = []
    try:
        with transaction.atomic():
            yield written
    except BaseException:
        for record in written:
            record.file.storage.delete(record.file.name)
        raise


def _check_choices(meeting: Meeting, body: Body | None, office: Office | None) -> None:
    errors = {}
    if body is not None and body.treaty_id != meeting.cycle.treaty_id:
        errors["body"] = _("This body is not one of the treaty's.")
    if office is not None and office.cycle_id != meeting.cycle_id:
        errors["office"] = _("This office is not one of the meeting's cycle.")
    if errors:
        raise DocumentError(errors)


def submit_document(
    *, meeting: Meeting, submission: Submission, by: AbstractBaseUser | None
) -> Document:
    """A document handed to the Secretariat, with its files; nothing is stored if one is bad."""
    treaty = meeting.cycle.treaty
    if submission.kind not in Document.Kind.values:
        raise DocumentError({"kind": _("Choose a kind of document.")})
    if not submission.title.strip():
        raise DocumentError({"title": _("Give the document a title.")})
    _check_choices(meeting, submission.body, submission.office)
    checked = check_files(treaty, submission.files, submission.original)
    files = {language: upload for language, upload in submission.files.items() if upload}
    with _files_kept_only_if_committed() as written:
        document = Document.objects.create(
            meeting=meeting,
            body=submission.body,
            office=submission.office,
            kind=submission.kind,
            title=submission.title.strip(),
            note=submission.note.strip(),
            submitted_by=by,
            status=Document.Status.SUBMITTED,
        )
        _store_files(document, files, checked, submission.original, written)
    return document


def _body_code(body: Body | None) -> str:
    if body is None:
        return ""
    if body.acronym:
        return body.acronym
    if body.parent_id and body.parent.acronym:
        return body.parent.acronym
    return body.slug.upper()


def _next_number(treaty: Treaty) -> int:
    # get_or_create survives a race to create the row; the row lock then orders the issuers.
    DocumentCounter.objects.get_or_create(treaty=treaty)
    counter = DocumentCounter.objects.select_for_update().get(treaty=treaty)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def issue_day(meeting: Meeting, now: dt.datetime) -> dt.date:
    """The day of issue as the Secretariat counts it: in the meeting's time zone."""
    return now.astimezone(meeting.tz).date()


def issue_document(
    *,
    document: Document,
    code: str,
    office: Office | None,
    by: AbstractBaseUser | None,
    now: dt.datetime | None = None,
) -> Document:
    """Give a submitted document its number and symbol and issue it, in one transaction."""
    try:
        symbols.check_code(code)
    except symbols.SymbolError as error:
        raise DocumentError({"code": str(error)}) from error
    now = now or timezone.now()
    try:
        with transaction.atomic():
            document = (
                Document.objects.select_for_update(of=("self",))
                .select_related("meeting__cycle__treaty", "body__parent")
                .get(pk=document.pk)
            )
            if document.status != Document.Status.SUBMITTED:
                raise DocumentError({"__all__": _("Only a submitted document can be issued.")})
            if not document.files.exists():
                raise DocumentError({"__all__": _("The document has no file.")})
            _check_choices(document.meeting, document.body, office)
            meeting = document.meeting
            treaty = meeting.cycle.treaty
            day = issue_day(meeting, now)
            number = _next_number(treaty)
            try:
                base = symbols.symbol(
                    treaty.document_symbol_pattern or symbols.DEFAULT_PATTERN,
                    treaty=treaty.code.upper(),
                    cycle=meeting.cycle.code,
                    body=_body_code(document.body),
                    year=day.year,
                    office=symbols.office_code(office.title if office else None),
                    number=number,
                    code=code,
                )
            except symbols.SymbolError as error:
                raise DocumentError({"__all__": str(error)}) from error
            document.office = office
            document.number = number
            document.code = code
            document.base_symbol = base
            document.symbol = base
            document.status = Document.Status.ISSUED
            document.issued_at = now
            document.issued_on = day
            document.issued_by = by
            document.save()
            schedule_digest(meeting)
    except IntegrityError as error:
        raise DocumentError(
            {"__all__": _("This symbol is already taken; check the number counter.")}
        ) from error
    return document


def issue_new_version(
    *,
    previous: Document,
    kind: str,
    submission: Submission,
    by: AbstractBaseUser | None,
    now: dt.datetime | None = None,
) -> Document:
    """Issue a revision or a corrigendum of an issued version, which it supersedes."""
    if kind not in ("revision", "corrigendum"):
        raise DocumentError({"kind": _("Choose a revision or a corrigendum.")})
    now = now or timezone.now()
    meeting = previous.meeting
    checked = check_files(meeting.cycle.treaty, submission.files, submission.original)
    files = {language: upload for language, upload in submission.files.items() if upload}
    try:
        with _files_kept_only_if_committed() as written:
            previous = Document.objects.select_for_update().get(pk=previous.pk)
            if previous.status != Document.Status.ISSUED:
                raise DocumentError({"__all__": _("Only an issued document can be revised.")})
            if previous.superseded_by_id is not None:
                raise DocumentError(
                    {"__all__": _("A later version exists: revise the latest version.")}
                )
            revision, corrigendum = symbols.next_version(
                previous.revision_number, previous.corrigendum_number, kind
            )
            document = Document.objects.create(
                meeting_id=previous.meeting_id,
                body_id=previous.body_id,
                office_id=previous.office_id,
                kind=previous.kind,
                title=(submission.title or previous.title).strip(),
                note=submission.note.strip(),
                submitted_by=by,
                status=Document.Status.ISSUED,
                number=previous.number,
                code=previous.code,
                base_symbol=previous.base_symbol,
                symbol=symbols.version_symbol(previous.base_symbol, revision, corrigendum),
                revision_of=previous,
                revision_number=revision,
                corrigendum_number=corrigendum,
                issued_at=now,
                issued_on=issue_day(meeting, now),
                issued_by=by,
            )
            previous.superseded_by = document
            previous.save(update_fields=["superseded_by", "updated_at"])
            _store_files(document, files, checked, submission.original, written)
            schedule_digest(meeting)
    except IntegrityError as error:
        raise DocumentError({"__all__": _("This version's symbol is already taken.")}) from error
    return document


def withdraw_document(*, document: Document) -> Document:
    """A submission the Secretariat will not issue; an issued document is revised instead."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.status != Document.Status.SUBMITTED:
            raise DocumentError({"__all__": _("Only a submitted document can be withdrawn.")})
        document.status = Document.Status.WITHDRAWN
        document.save(update_fields=["status", "updated_at"])
    return document


def schedule_digest(meeting: Meeting) -> None:
    """After an issue, the registrants' digest goes a few minutes later, with what came since.

    Only where the task queue can wait (the database backend): every issue in the meantime
    joins the same email. Otherwise the Secretariat sends it from the admin.
    """
    from convocation.documents.tasks import send_documents_digest

    delay = dt.timedelta(minutes=settings.DOCUMENTS_DIGEST_DELAY_MINUTES)
    if delay <= dt.timedelta(0) or not send_documents_digest.get_backend().supports_defer:
        return
    task = send_documents_digest.using(run_after=timezone.now() + delay)
    meeting_id = meeting.pk
    transaction.on_commit(lambda: task.enqueue(meeting_id))
