"""Uploads are checked by content, all of them before any is stored."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from convocation.documents import services
from convocation.documents.demo import minimal_pdf
from convocation.documents.files import check_document_file
from convocation.documents.models import Document, DocumentFile
from tests.documents.conftest import body, docx_bytes, odt_bytes, pdf


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_pdf_is_accepted_with_its_facts():
    content = minimal_pdf("Draft agenda")
    checked = check_document_file(upload("agenda.pdf", content))
    assert (checked.file_format, checked.content_type, checked.size) == (
        "pdf",
        "application/pdf",
        len(content),
    )
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "file_format"),
    [("paper.docx", docx_bytes(), "docx"), ("paper.odt", odt_bytes(), "odt")],
)
def test_word_and_opendocument_files_are_accepted(name, content, file_format):
    assert check_document_file(upload(name, content)).file_format == file_format


def zip_of(**members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, text in members.items():
            archive.writestr(member, text)
    return buffer.getvalue()


def corrupted_docx() -> bytes:
    """A .docx whose document part no longer matches its checksum."""
    content = bytearray(docx_bytes())
    where = content.index(b"<w:document/>")
    content[where + 1] = ord("x")
    return bytes(content)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("agenda.pdf", b"", "agenda.pdf is empty."),
        ("agenda.pdf", b"%PD", "is not a PDF, Word (.docx) or OpenDocument (.odt) file"),
        ("agenda.pdf", b"<html>agenda</html>", "is not a PDF, Word"),
        ("agenda.pdf", minimal_pdf("x")[:200], "is damaged or incomplete"),
        ("agenda.docx", zip_of(**{"readme.txt": "not a document"}), "is not a PDF, Word"),
        ("agenda.docx", b"PK\x03\x04 this is no archive", "is not a PDF, Word"),
        ("agenda.docx", corrupted_docx(), "is damaged or incomplete"),
        ("agenda.pdf", docx_bytes(), "agenda.pdf ends in .pdf but it is a DOCX file."),
        ("agenda.docx", minimal_pdf("x"), "ends in .docx but it is a PDF file."),
        ("agenda", minimal_pdf("x"), "ends in .? but it is a PDF file."),
    ],
)
def test_a_malformed_file_is_refused_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError) as refused:
        check_document_file(upload(name, content))
    assert message in " ".join(refused.value.messages)


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 1000
    content = minimal_pdf("x") + b"%" * 1000 + b"\n%%EOF\n"
    with pytest.raises(ValidationError) as refused:
        check_document_file(upload("big.pdf", content))
    assert refused.value.messages == ["big.pdf is larger than 0.000953674 MB."]


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_one_bad_file_in_a_submission_stores_nothing(week, settings):
    with pytest.raises(services.DocumentError) as refused:
        services.submit_document(
            meeting=week.meeting,
            submission=services.Submission(
                title="Draft agenda",
                kind=Document.Kind.DRAFT_AGENDA,
                files={"en": pdf("agenda-en.pdf"), "fr": upload("agenda-fr.pdf", docx_bytes())},
                original="en",
                body=body("wgtu"),
            ),
            by=None,
        )
    assert refused.value.errors == {"file_fr": "agenda-fr.pdf ends in .pdf but it is a DOCX file."}
    assert (Document.objects.count(), DocumentFile.objects.count()) == (0, 0)
    assert stored_files(settings) == []


def test_a_failure_while_storing_removes_the_files_already_written(week, settings, monkeypatch):
    original_save = DocumentFile.save

    def fail_on_the_second(self, *args, **kwargs):
        if self.language == "fr":
            raise OSError("disk full")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(DocumentFile, "save", fail_on_the_second)
    with pytest.raises(OSError, match="disk full"):
        services.submit_document(
            meeting=week.meeting,
            submission=services.Submission(
                title="Draft agenda",
                kind=Document.Kind.DRAFT_AGENDA,
                files={"en": pdf("agenda-en.pdf"), "fr": pdf("agenda-fr.pdf")},
                original="en",
                body=body("wgtu"),
            ),
            by=None,
        )
    assert (Document.objects.count(), DocumentFile.objects.count()) == (0, 0)
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("files", "original", "errors"),
    [
        ({}, "en", {"files": "Attach the document in at least one language."}),
        (
            {"en": "x"},
            "fr",
            {"original": "The original language must be one of the files attached."},
        ),
        ({"de": "x"}, "de", {"file_de": "de is not an official language."}),
    ],
)
def test_a_submission_needs_a_file_in_an_official_language_and_its_original(
    week, files, original, errors
):
    with pytest.raises(services.DocumentError) as refused:
        services.submit_document(
            meeting=week.meeting,
            submission=services.Submission(
                title="Draft agenda",
                kind=Document.Kind.DRAFT_AGENDA,
                files={code: pdf(f"a-{code}.pdf") for code in files},
                original=original,
            ),
            by=None,
        )
    assert refused.value.errors == errors
    assert Document.objects.count() == 0
