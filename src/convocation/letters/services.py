"""Writes of letters: draft, edit, regenerate from the facts, issue."""

import dataclasses
import datetime as dt
import hashlib

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from convocation.letters.checks import Finding, blocking, check_letter
from convocation.letters.composition import ComposedLetter, compose_letter, letter_facts
from convocation.letters.models import Letter, LetterFile, LetterParagraph, ReferenceCounter
from convocation.letters.rendering import render
from convocation.meetings.models import Meeting
from convocation.meetings.queries import meeting_with_schedule

ISSUED_FORMATS = ("txt", "html", "pdf", "docx")


class LetterBlocked(Exception):
    """Issuing was refused: the checks found errors and no officer gave a reason to override."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("; ".join(finding.message for finding in findings))


class LetterAlreadyIssued(Exception):
    pass


@dataclasses.dataclass(frozen=True)
class ParagraphChange:
    """What regenerating from the facts would do to one paragraph of a draft."""

    key: str
    kept: str
    composed_before: str
    composed_now: str

    @property
    def facts_changed(self) -> bool:
        return self.composed_before.strip() != self.composed_now.strip()

    @property
    def hand_edited(self) -> bool:
        return self.kept.strip() != self.composed_before.strip()


def compose_from_facts(letter: Letter) -> ComposedLetter:
    meeting = meeting_with_schedule(letter.meeting.slug)
    return compose_letter(
        letter_facts(meeting), language=letter.language, letter_date=letter.letter_date
    )


def with_kept_paragraphs(composed: ComposedLetter, kept: dict[str, str]) -> ComposedLetter:
    """The composed letter with the officer's text in place of each paragraph they kept."""
    return dataclasses.replace(
        composed,
        sections=[
            dataclasses.replace(
                section,
                paragraphs=[
                    dataclasses.replace(p, text=kept.get(p.key, p.text)) for p in section.paragraphs
                ],
            )
            for section in composed.sections
        ],
    )


def letter_content(letter: Letter) -> ComposedLetter:
    """What the letter says: frozen once issued; for a draft, the facts with the kept text."""
    if letter.is_issued:
        return ComposedLetter.from_dict(letter.content)
    kept = {p.key: p.text for p in letter.paragraphs.all()}
    return with_kept_paragraphs(compose_from_facts(letter), kept)


def findings_for(letter: Letter) -> list[Finding]:
    # The facts are loaded and the letter composed once, for the letter and for the checks.
    facts = letter_facts(meeting_with_schedule(letter.meeting.slug))
    paragraphs = list(letter.paragraphs.all())
    if letter.is_issued:
        content = ComposedLetter.from_dict(letter.content)
    else:
        composed = compose_letter(facts, language=letter.language, letter_date=letter.letter_date)
        content = with_kept_paragraphs(composed, {p.key: p.text for p in paragraphs})
    return check_letter(
        content,
        facts,
        hand_edited={p.key: p.text for p in paragraphs if p.is_edited},
        on=letter.letter_date,
    )


@transaction.atomic
def draft_letter(*, meeting: Meeting, language: str, letter_date: dt.date) -> Letter:
    letter = Letter.objects.create(meeting=meeting, language=language, letter_date=letter_date)
    composed = compose_from_facts(letter)
    LetterParagraph.objects.bulk_create(
        LetterParagraph(letter=letter, key=p.key, position=n, text=p.text, composed_text=p.text)
        for n, p in enumerate(composed.paragraphs, start=1)
    )
    return letter


def regeneration_changes(letter: Letter) -> list[ParagraphChange]:
    """Paragraph by paragraph, what the facts say now against what the draft holds."""
    stored = {p.key: p for p in letter.paragraphs.all()}
    changes = []
    for paragraph in compose_from_facts(letter).paragraphs:
        before = stored.get(paragraph.key)
        changes.append(
            ParagraphChange(
                key=paragraph.key,
                kept=before.text if before else "",
                composed_before=before.composed_text if before else "",
                composed_now=paragraph.text,
            )
        )
    return changes


@transaction.atomic
def regenerate_letter(*, letter: Letter, keep_hand_edits: bool = True) -> list[ParagraphChange]:
    """Bring a draft up to the facts; hand-edited paragraphs are kept unless told otherwise."""
    if letter.is_issued:
        raise LetterAlreadyIssued(letter.reference)
    changes = regeneration_changes(letter)
    letter.paragraphs.all().delete()
    LetterParagraph.objects.bulk_create(
        LetterParagraph(
            letter=letter,
            key=change.key,
            position=n,
            text=change.kept if keep_hand_edits and change.hand_edited else change.composed_now,
            composed_text=change.composed_now,
        )
        for n, change in enumerate(changes, start=1)
    )
    return changes


def _next_reference(letter: Letter) -> str:
    meeting = letter.meeting
    prefix = f"{meeting.cycle.treaty.code.upper()}/{meeting.cycle.code}/{letter.letter_date.year}"
    # get_or_create survives a race to create the row; the row lock then orders the issuers.
    ReferenceCounter.objects.get_or_create(prefix=prefix)
    counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{prefix}/PRES/{counter.last_number:03d}/{letter.language.upper()}"


def issue_letter(
    *, letter: Letter, by: AbstractBaseUser | None, override_reason: str = ""
) -> Letter:
    """Freeze the letter: a reference, its content and its files, unchanged from then on.

    Errors found by the checks refuse the issue unless an officer gives a reason.
    """
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.is_issued:
            raise LetterAlreadyIssued(letter.reference)
        content = letter_content(letter)
        errors = blocking(findings_for(letter))
        if errors and not override_reason.strip():
            raise LetterBlocked(errors)
        letter.reference = _next_reference(letter)
        letter.content = content.to_dict()
        letter.status = Letter.Status.ISSUED
        letter.issued_at = timezone.now()
        letter.issued_by = by
        letter.override_reason = override_reason.strip() if errors else ""
        letter.save()
        _store_files(letter, content)
    return letter


def _store_files(letter: Letter, content: ComposedLetter) -> None:
    # Storage is not part of the transaction: if any rendering fails, the files already
    # written are removed, and the rollback undoes the rest.
    written: list[LetterFile] = []
    try:
        for fmt in ISSUED_FORMATS:
            data = render(content, fmt)
            record = LetterFile(
                letter=letter, format=fmt, size=len(data), sha256=hashlib.sha256(data).hexdigest()
            )
            record.file.save(
                f"{letter.reference.replace('/', '-')}.{fmt}", ContentFile(data), save=False
            )
            written.append(record)
            record.save()
    except Exception:
        for record in written:
            record.file.storage.delete(record.file.name)
        raise
