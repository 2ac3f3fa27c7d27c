"""Letters of a meeting: drafts that officers edit paragraph by paragraph, and issued records."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from convocation.meetings.models import Meeting


class Letter(models.Model):
    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")
        SPANISH = "es", _("Spanish")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INVITATION)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    letter_date = models.DateField(_("date of the letter"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    reference = models.CharField(
        _("reference"), max_length=100, unique=True, null=True, blank=True, editable=False
    )
    content = models.JSONField(
        _("issued content"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The letter as issued, kept unchanged."),
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("issued by"),
    )
    override_reason = models.TextField(
        _("reason for issuing despite errors"), blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-letter_date", "meeting", "language"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.meeting} ({self.language.upper()})"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED


class LetterParagraph(models.Model):
    """One numbered paragraph of a draft: the text composed from the facts, and the text kept."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="paragraphs")
    key = models.SlugField(_("follows from"), max_length=50, editable=False)
    position = models.PositiveSmallIntegerField(_("number"), editable=False)
    text = models.TextField(_("text"))
    composed_text = models.TextField(_("text composed from the facts"), editable=False)

    class Meta:
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        ordering = ["letter", "position"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "key"], name="one_paragraph_per_fact")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"

    @property
    def is_edited(self) -> bool:
        return self.text.strip() != self.composed_text.strip()


class LetterFile(models.Model):
    """A rendering of an issued letter, stored once and served unchanged."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(_("format"), max_length=10)
    file = models.FileField(_("file"), upload_to="letters/%Y/")
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("issued file")
        verbose_name_plural = _("issued files")
        constraints = [
            models.UniqueConstraint(fields=["letter", "format"], name="one_file_per_format")
        ]

    def __str__(self) -> str:
        return self.file.name


class ReferenceCounter(models.Model):
    """The running number of issued letters per treaty and year; allocated under a row lock."""

    prefix = models.CharField(max_length=50, unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last_number}"
