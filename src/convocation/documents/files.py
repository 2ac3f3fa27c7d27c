"""A document's file is checked by what it is, not by what it is called, before anything is stored.

PDF, Word (.docx) and OpenDocument text (.odt) are accepted, recognised from their content
(``registrations.files.kind_of``), complete (a PDF ends with its end-of-file marker, an
archive's members read back with their checksums) and named with the matching extension.
"""

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from convocation.registrations.files import kind_of

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}
# Where a PDF's trailer must be: writers may add a line or two after %%EOF, not more.
PDF_TAIL_BYTES = 1024


@dataclass(frozen=True)
class CheckedFile:
    """What a valid upload is, found while checking it."""

    file_format: str
    content_type: str
    size: int
    sha256: str
    original_name: str


def max_upload_bytes() -> int:
    return settings.DOCUMENTS_MAX_UPLOAD_BYTES


def _digest(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _pdf_is_complete(upload: UploadedFile) -> bool:
    upload.seek(max(0, upload.size - PDF_TAIL_BYTES))
    tail = upload.read()
    upload.seek(0)
    return b"%%EOF" in tail


def _archive_is_complete(upload: UploadedFile) -> bool:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            return archive.testzip() is None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return False
    finally:
        upload.seek(0)


def check_document_file(upload: UploadedFile) -> CheckedFile:
    """The facts of a valid file; a ValidationError that says what is wrong otherwise."""
    name = upload.name or ""
    limit = max_upload_bytes()
    if not upload.size:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": name, "limit": f"{limit / 2**20:g}"}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = kind_of(head, upload)
    if kind is None:
        raise ValidationError(
            _("%(name)s is not a PDF, Word (.docx) or OpenDocument (.odt) file.") % {"name": name}
        )
    complete = _pdf_is_complete(upload) if kind == "pdf" else _archive_is_complete(upload)
    if not complete:
        raise ValidationError(
            _("%(name)s is damaged or incomplete: it cannot be read to its end.") % {"name": name}
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension != kind:
        raise ValidationError(
            _("%(name)s ends in .%(extension)s but it is a %(kind)s file.")
            % {"name": name, "extension": extension or "?", "kind": kind.upper()}
        )
    return CheckedFile(
        file_format=kind,
        content_type=CONTENT_TYPES[kind],
        size=upload.size,
        sha256=_digest(upload),
        original_name=name[-200:],
    )
