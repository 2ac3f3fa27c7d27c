"""Meeting documents: submitted by office holders, issued by the Secretariat under a symbol.

Each version of a document is a row of its own: a revision or a corrigendum is a new
document that points to the version it replaces, so every earlier version stays issued,
downloadable and marked as superseded. The rules (symbols, who may read what, whether a
document is late) live in ``symbols``, ``access`` and ``timeliness``; the writes in
``services``.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convocation.cycles.models import Office
from convocation.meetings.models import Meeting
from convocation.treaties.models import Body, Treaty


class DocumentCounter(models.Model):
    """The running number of a treaty's documents, shared by all its bodies; under a row lock."""

    treaty = models.OneToOneField(
        Treaty,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="document_counter",
        verbose_name=_("treaty"),
    )
    last_number = models.PositiveIntegerField(
        _("last number issued"),
        default=0,
        help_text=_("The next document issued takes the number after this one."),
    )

    class Meta:
        verbose_name = _("document number counter")
        verbose_name_plural = _("document number counters")

    def __str__(self) -> str:
        return f"{self.treaty}: {self.last_number}"


class Document(models.Model):
    class Kind(models.TextChoices):
        DRAFT_AGENDA = "draft_agenda", _("Draft agenda")
        WORKING_PAPER = "working_paper", _("Working paper")
        CHAIRS_REPORT = "chairs_report", _("Chair's report")
        CONCEPT_NOTE = "concept_note", _("Concept note")
        ANNEX = "annex", _("Annex")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted, awaiting the Secretariat")
        ISSUED = "issued", pgettext_lazy("document", "Issued")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="documents", verbose_name=_("meeting")
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("body"),
        help_text=_("Empty for a document of the Conference as a whole."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("issuing office"),
        help_text=_("Empty for a document of the Secretariat."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    # Given when issued.
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    code = models.CharField(_("short code"), max_length=40, blank=True)
    base_symbol = models.CharField(
        _("symbol of the first version"), max_length=200, blank=True, db_index=True
    )
    symbol = models.CharField(_("symbol"), max_length=200, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    # Versions: a revision (.Rev1) or a corrigendum (.Corr1) of an earlier issued version.
    revision_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="later_versions",
        verbose_name=_("replaces"),
    )
    revision_number = models.PositiveSmallIntegerField(_("revision"), default=0)
    corrigendum_number = models.PositiveSmallIntegerField(_("corrigendum"), default=0)
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("superseded by"),
    )
    digest_sent_at = models.DateTimeField(_("announced to registrants"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_at", "-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["symbol"], condition=~Q(symbol=""), name="one_document_per_symbol"
            ),
            models.CheckConstraint(
                condition=Q(status="issued", number__isnull=False, issued_on__isnull=False)
                & ~Q(symbol="")
                | ~Q(status="issued"),
                name="issued_document_has_a_symbol",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "issued_at"]),
            models.Index(fields=["meeting", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.symbol or _('(not issued)')} — {self.title}"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def is_superseded(self) -> bool:
        return self.superseded_by_id is not None

    @property
    def version_kind(self) -> str:
        if self.corrigendum_number:
            return "corrigendum"
        if self.revision_number:
            return "revision"
        return "original"


def document_file_path(record: "DocumentFile", filename: str) -> str:
    # A random name: the stored path says nothing, the download name is made when served.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/{record.document.meeting_id}/{secrets.token_hex(12)}.{extension}"


class DocumentFile(models.Model):
    """One language version of a document, stored once and served unchanged."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=10)
    is_original = models.BooleanField(_("original language"), default=False)
    file = models.FileField(_("file"), upload_to=document_file_path, max_length=200)
    file_format = models.CharField(_("format"), max_length=10)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_name = models.CharField(_("name of the file submitted"), max_length=200)

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        ordering = ["document", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language"], name="one_file_per_document_and_language"
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(is_original=True),
                name="one_original_language_per_document",
            ),
        ]
        indexes = [models.Index(fields=["language", "document"])]

    def __str__(self) -> str:
        return f"{self.document.symbol or self.document.title} ({self.language})"
