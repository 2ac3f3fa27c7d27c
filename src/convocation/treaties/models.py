"""A treaty, the States that act on it, the organisations that follow it, and its bodies."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from convocation.languages import in_language


class Treaty(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True, help_text=_("For example ATT."))
    name = models.CharField(
        _("name (English)"), max_length=200, help_text=_("As in a sentence: Arms Trade Treaty.")
    )
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    acronym = models.CharField(_("acronym (English)"), max_length=20, blank=True)
    acronym_fr = models.CharField(_("acronym (French)"), max_length=20, blank=True)
    acronym_es = models.CharField(_("acronym (Spanish)"), max_length=20, blank=True)
    secretariat_address = models.TextField(
        _("Secretariat address"), help_text=_("One line of the letterhead per line.")
    )
    official_languages = models.CharField(
        _("official languages"),
        max_length=100,
        help_text=_("Language codes separated by commas, for example ar,en,es,fr,ru,zh."),
    )
    website = models.URLField(_("website"), blank=True)
    entry_into_force = models.DateField(_("entry into force"))
    entry_into_force_delay_days = models.PositiveSmallIntegerField(
        _("days from deposit to entry into force for a State"),
        default=90,
        help_text=_("ATT Article 22: ninety days following the deposit of the instrument."),
    )
    documents_notice_days = models.PositiveSmallIntegerField(
        _("usual notice for documents, in days"),
        default=28,
        help_text=_("How long before a meeting its documents are usually issued."),
    )
    document_symbol_pattern = models.CharField(
        _("document symbol pattern"), max_length=200, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("treaty")
        verbose_name_plural = _("treaties")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code.upper()

    @property
    def local_name(self) -> str:
        return in_language(self, "name")

    @property
    def local_acronym(self) -> str:
        return in_language(self, "acronym") or self.code.upper()

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.secretariat_address.splitlines() if line.strip()]


class State(models.Model):
    """A State, named by its ISO 3166-1 alpha-3 code."""

    code = models.CharField(_("ISO 3166 code"), max_length=3, primary_key=True)
    alpha_2 = models.CharField(_("ISO alpha-2 code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("State")
        verbose_name_plural = _("States")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TreatyAction(models.Model):
    """A signature, or the deposit of an instrument by which a State consents to be bound."""

    class Kind(models.TextChoices):
        SIGNATURE = "signature", _("signature")
        RATIFICATION = "ratification", _("ratification")
        ACCEPTANCE = "acceptance", _("acceptance")
        APPROVAL = "approval", _("approval")
        ACCESSION = "accession", _("accession")

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="actions")
    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="treaty_actions")
    kind = models.CharField(_("action"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("treaty action")
        verbose_name_plural = _("treaty actions")
        ordering = ["state__name", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["treaty", "state", "kind"], name="one_action_of_a_kind_per_state"
            )
        ]

    def __str__(self) -> str:
        return f"{self.state} — {self.get_kind_display()} — {self.date:%Y-%m-%d}"


class Organisation(models.Model):
    class Category(models.TextChoices):
        INTERNATIONAL = "international", _("International or regional organisation")
        CIVIL_SOCIETY = "civil_society", _("Civil society / NGO")
        INDUSTRY = "industry", _("Industry")
        ACADEMIA = "academia", _("Academia")

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Body(models.Model):
    """A working group, a sub-working group under one, a forum or a committee of a treaty."""

    class Kind(models.TextChoices):
        WORKING_GROUP = "working_group", _("Working Group")
        SUB_WORKING_GROUP = "sub_working_group", _("Sub-working group")
        FORUM = "forum", _("Forum")
        COMMITTEE = "committee", _("Committee")
        CONFERENCE = "conference", _("Conference")

    class Access(models.TextChoices):
        OPEN = "open", _("Open to all participants")
        PARTIES_AND_SIGNATORIES = (
            "parties_and_signatories",
            _("States Parties and signatory States only"),
        )

    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="bodies")
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    acronym = models.CharField(_("acronym (English)"), max_length=20, blank=True)
    acronym_fr = models.CharField(_("acronym (French)"), max_length=20, blank=True)
    acronym_es = models.CharField(_("acronym (Spanish)"), max_length=20, blank=True)
    name = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    access = models.CharField(
        _("who may attend"), max_length=30, choices=Access.choices, default=Access.OPEN
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["order", "acronym", "name"]
        constraints = [
            models.UniqueConstraint(fields=["treaty", "slug"], name="body_slug_unique_per_treaty")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_closed(self) -> bool:
        return self.access != self.Access.OPEN

    @property
    def local_name(self) -> str:
        """The name in the active language, or in English where it has no translation."""
        return in_language(self, "name")

    @property
    def local_acronym(self) -> str:
        return in_language(self, "acronym")

    @property
    def label(self) -> str:
        """How the schedule names the body: a sub-working group carries its parent's acronym."""
        if self.kind == self.Kind.SUB_WORKING_GROUP and self.parent_id:
            return f"{self.parent.local_acronym} {self.local_name}"
        return self.local_acronym or self.local_name

    @property
    def full_name(self) -> str:
        if self.acronym and self.kind != self.Kind.SUB_WORKING_GROUP:
            return f"{self.local_name} ({self.local_acronym})"
        return self.label
