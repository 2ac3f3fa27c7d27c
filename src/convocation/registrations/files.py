"""A delegation's credential is checked by what the file is, not by what it is called."""

import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_CREDENTIAL_BYTES = 10 * 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def kind_of(head: bytes, upload: UploadedFile) -> str | None:
    """'pdf', 'docx' or 'odt' by content, or None for anything else."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return "docx"
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return "odt"
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        upload.seek(0)
    return None


def validate_credential(upload: UploadedFile) -> None:
    if upload.size > MAX_CREDENTIAL_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": MAX_CREDENTIAL_BYTES // 2**20}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = kind_of(head, upload)
    if kind is None:
        raise ValidationError(_("Attach a PDF, Word (.docx) or OpenDocument (.odt) file."))
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension != kind:
        raise ValidationError(
            _("The file's name ends in .%(extension)s but it is a %(kind)s file.")
            % {"extension": extension or "?", "kind": kind.upper()}
        )
