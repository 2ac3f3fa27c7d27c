"""Documents of the ``week`` of the registration tests, and the people who may read them."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from convocation.documents import services
from convocation.documents.demo import minimal_pdf
from convocation.documents.models import Document
from convocation.meetings.demo import at_geneva
from convocation.meetings.models import Meeting
from convocation.treaties.models import Body
from tests.registrations.conftest import Week, build_week


@pytest.fixture
def week(db) -> Week:
    return build_week()


def pdf(name: str = "paper.pdf", text: str = "A paper") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(text), content_type="application/pdf")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def body(slug: str) -> Body:
    return Body.objects.get(treaty__code="att", slug=slug)


def submitted(
    meeting: Meeting,
    body_slug: str | None = "wgtu",
    *,
    title: str = "Draft agenda",
    languages: tuple[str, ...] = ("en",),
    by=None,
    office=None,
) -> Document:
    return services.submit_document(
        meeting=meeting,
        submission=services.Submission(
            title=title,
            kind=Document.Kind.DRAFT_AGENDA,
            files={code: pdf(f"agenda-{code}.pdf", f"{title} {code}") for code in languages},
            original=languages[0],
            body=body(body_slug) if body_slug else None,
            office=office,
        ),
        by=by,
    )


def issued(
    meeting: Meeting,
    body_slug: str | None = "wgtu",
    *,
    code: str = "DrAgenda",
    on: dt.date | None = None,
    office=None,
    **kwargs,
) -> Document:
    document = submitted(meeting, body_slug, office=office, **kwargs)
    now = at_geneva(on, dt.time(11)) if on else timezone.now()
    return services.issue_document(document=document, code=code, office=office, by=None, now=now)


def revised(previous: Document, kind: str = "revision", title: str = "") -> Document:
    return services.issue_new_version(
        previous=previous,
        kind=kind,
        submission=services.Submission(
            title=title or previous.title,
            kind=previous.kind,
            files={"en": pdf("revised.pdf", "revised")},
            original="en",
        ),
        by=None,
    )
