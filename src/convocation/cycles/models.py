"""A Conference of States Parties and the cycle of meetings that prepares it, with its offices."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from convocation.people.models import Person
from convocation.treaties.models import Body, Treaty


class ConferenceCycle(models.Model):
    """CSP12 and its preparatory process: the Working Group meetings of March 2026 belong here."""

    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="cycles")
    number = models.PositiveSmallIntegerField(_("number of the Conference"))
    conference_start = models.DateField(_("Conference opens"), null=True, blank=True)
    conference_end = models.DateField(_("Conference closes"), null=True, blank=True)
    announcement_date = models.DateField(
        _("President's announcement"),
        null=True,
        blank=True,
        help_text=_(
            "The day the President announced the schedule of meetings and the office holders "
            "of the preparatory process."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("conference cycle")
        verbose_name_plural = _("conference cycles")
        ordering = ["treaty", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["treaty", "number"], name="one_cycle_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.treaty} {self.code}"

    @property
    def code(self) -> str:
        return f"CSP{self.number}"


class Office(models.Model):
    """An office of a cycle, held by a person or vacant."""

    class Title(models.TextChoices):
        PRESIDENT = "president", _("President")
        VICE_PRESIDENT = "vice_president", _("Vice-President")
        CHAIR = "chair", _("Chair")
        FACILITATOR = "facilitator", _("Facilitator")

    cycle = models.ForeignKey(ConferenceCycle, on_delete=models.CASCADE, related_name="offices")
    title = models.CharField(_("office"), max_length=20, choices=Title.choices)
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name=_("body"),
        help_text=_("Empty for the President of the Conference."),
    )
    holder = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name=_("held by"),
        help_text=_("Leave empty while the office is vacant."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["cycle", "title", "body__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "title", "body"], name="one_office_per_title_and_body"
            ),
            # A NULL body is never equal to another: the President needs a rule of its own.
            models.UniqueConstraint(
                fields=["cycle", "title"],
                condition=models.Q(body__isnull=True),
                name="one_office_per_title_without_body",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.holder or _('vacant')}"

    @property
    def is_vacant(self) -> bool:
        return self.holder_id is None

    @property
    def name(self) -> str:
        if self.body_id is None:
            return f"{self.get_title_display()}, {self.cycle.code}"
        return f"{self.get_title_display()}, {self.body.label}"
