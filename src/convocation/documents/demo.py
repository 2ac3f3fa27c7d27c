"""Demo documents for the CSP12 Working Group week: draft agendas, papers, a DIEF document.

Idempotent: a document is found by its meeting and title and created only when missing.
The files are small PDFs written here byte by byte. Run after ``load-demo``.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from convocation.cycles.models import Office
from convocation.documents import services
from convocation.documents.models import Document, DocumentCounter
from convocation.meetings.demo import at_geneva
from convocation.meetings.models import Meeting
from convocation.treaties.models import Body

MEETING = "att-csp12-wg"
# The running number the ATT's documents had reached before the demo's first one.
FIRST_NUMBER = 900


def minimal_pdf(*lines: str) -> bytes:
    """A valid one-page PDF showing the lines in Helvetica (ASCII text only)."""
    text = "\n".join(
        f"BT /F1 12 Tf 72 {760 - 18 * n} Td ({_pdf_escape(line)}) Tj ET"
        for n, line in enumerate(lines)
    ).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _pdf_escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_upload(name: str, *lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(*lines), content_type="application/pdf")


@dataclass(frozen=True)
class DemoDocument:
    body: str | None
    office: tuple[str, str | None] | None  # (title, body slug) of the issuing office
    kind: str
    title: str
    code: str
    languages: tuple[str, ...]
    issued: dt.date | None


DOCUMENTS = [
    DemoDocument(
        "wgeti",
        ("chair", "wgeti"),
        Document.Kind.DRAFT_AGENDA,
        "WGETI draft agenda",
        "DrAgenda",
        ("en", "fr", "es"),
        dt.date(2026, 2, 17),
    ),
    DemoDocument(
        "wgeti-current-issues",
        ("facilitator", "wgeti-current-issues"),
        Document.Kind.WORKING_PAPER,
        "Current and emerging implementation issues: working paper",
        "WP.CEI",
        ("en",),
        dt.date(2026, 2, 17),
    ),
    DemoDocument(
        "wgtu",
        ("president", None),
        Document.Kind.DRAFT_AGENDA,
        "WGTU draft agenda",
        "DrAgenda",
        ("en", "fr", "es"),
        dt.date(2026, 2, 17),
    ),
    DemoDocument(
        "wgtr",
        None,
        Document.Kind.DRAFT_AGENDA,
        "WGTR draft agenda",
        "DrAgenda",
        ("en",),
        dt.date(2026, 3, 2),
    ),
    DemoDocument(
        None,
        ("president", None),
        Document.Kind.CONCEPT_NOTE,
        "Concept note on the CSP12 thematic focus",
        "ConceptNote",
        ("en", "fr", "es"),
        dt.date(2026, 2, 17),
    ),
    DemoDocument(
        "dief",
        ("president", None),
        Document.Kind.WORKING_PAPER,
        "Diversion Information Exchange Forum: cases for discussion",
        "DIEF.WP",
        ("en",),
        dt.date(2026, 2, 17),
    ),
    DemoDocument(
        "wgtr",
        None,
        Document.Kind.ANNEX,
        "Reporting templates: proposed amendments (annex)",
        "Annex",
        ("en",),
        None,
    ),
]


def _office(meeting: Meeting, key: tuple[str, str | None] | None) -> Office | None:
    if key is None:
        return None
    title, body = key
    offices = Office.objects.filter(cycle=meeting.cycle, title=title)
    return offices.filter(body__slug=body).first() if body else offices.first()


@transaction.atomic
def load_demo_documents() -> int:
    """The demo's documents; returns how many were created."""
    meeting = Meeting.objects.select_related("cycle__treaty").get(slug=MEETING)
    treaty = meeting.cycle.treaty
    DocumentCounter.objects.get_or_create(treaty=treaty, defaults={"last_number": FIRST_NUMBER})
    bodies = {body.slug: body for body in Body.objects.filter(treaty=treaty)}
    made = 0
    for item in DOCUMENTS:
        if Document.objects.filter(meeting=meeting, title=item.title).exists():
            continue
        files = {
            language: pdf_upload(
                f"{item.code.lower()}-{language}.pdf", item.title, f"Language: {language}"
            )
            for language in item.languages
        }
        office = _office(meeting, item.office)
        document = services.submit_document(
            meeting=meeting,
            submission=services.Submission(
                title=item.title,
                kind=item.kind,
                files=files,
                original="en",
                body=bodies[item.body] if item.body else None,
                office=office,
            ),
            by=None,
        )
        made += 1
        if item.issued is None:
            continue
        moment = at_geneva(item.issued, dt.time(10))
        document = services.issue_document(
            document=document, code=item.code, office=office, by=None, now=moment
        )
        if item.code == "DrAgenda" and item.body == "wgeti":
            document = services.issue_new_version(
                previous=document,
                kind="revision",
                submission=services.Submission(
                    title=f"{item.title} (revised)",
                    kind=item.kind,
                    files={"en": pdf_upload("dragenda-rev1-en.pdf", item.title, "Revision 1")},
                    original="en",
                ),
                by=None,
                now=at_geneva(item.issued + dt.timedelta(days=7), dt.time(10)),
            )
    # The demo's documents are old news: no digest goes to the demo's registrants.
    Document.objects.filter(meeting=meeting, digest_sent_at__isnull=True).exclude(
        issued_at__isnull=True
    ).update(digest_sent_at=timezone.now())
    return made
