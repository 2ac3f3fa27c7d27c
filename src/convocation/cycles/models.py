"""A Conference of States Parties and the cycle of meetings that prepares it, with its offices."""

import datetime as dt

from django.core.exceptions import ValidationError
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
    """An office of a cycle, held by a person for a term, or vacant.

    A term may run beyond the cycle the office belongs to (``until_cycle``): the DIEF Chair
    or a committee member elected for two years serves two cycles from one record. Several
    offices of one title share a body through their ``seat`` (the Vice-Presidents).
    """

    class Title(models.TextChoices):
        PRESIDENT = "president", _("President")
        VICE_PRESIDENT = "vice_president", _("Vice-President")
        CHAIR = "chair", _("Chair")
        FACILITATOR = "facilitator", _("Facilitator")
        MEMBER = "member", _("Member")

    cycle = models.ForeignKey(
        ConferenceCycle, on_delete=models.CASCADE, related_name="offices", verbose_name=_("cycle")
    )
    title = models.CharField(_("office"), max_length=20, choices=Title.choices)
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name=_("body"),
        help_text=_("Empty for the President and the Vice-Presidents of the Conference."),
    )
    seat = models.PositiveSmallIntegerField(
        _("seat"),
        default=1,
        help_text=_("1, 2, 3… where several people hold the same office (the Vice-Presidents)."),
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
    term_start = models.DateField(
        _("term starts"),
        null=True,
        blank=True,
        help_text=_("Empty when the holder serves from the start of the cycle."),
    )
    term_end = models.DateField(
        _("term ends"),
        null=True,
        blank=True,
        help_text=_("Empty when the term runs to the end of the cycle (or of the last cycle)."),
    )
    until_cycle = models.ForeignKey(
        ConferenceCycle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="continued_offices",
        verbose_name=_("term runs until the cycle"),
        help_text=_("For a term that spans cycles: the last cycle it covers. Empty for one cycle."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["cycle", "title", "body__order", "seat"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "title", "body", "seat"], name="one_office_per_title_and_body"
            ),
            # A NULL body is never equal to another: the President needs a rule of its own.
            models.UniqueConstraint(
                fields=["cycle", "title", "seat"],
                condition=models.Q(body__isnull=True),
                name="one_office_per_title_without_body",
            ),
            models.CheckConstraint(
                condition=models.Q(term_start__isnull=True)
                | models.Q(term_end__isnull=True)
                | models.Q(term_end__gte=models.F("term_start")),
                name="office_term_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.holder or _('vacant')}"

    def clean(self) -> None:
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("A term cannot end before it starts.")})
        cycle = self.cycle if self.cycle_id else None
        if self.until_cycle_id and cycle is not None:
            until = self.until_cycle
            if until.treaty_id != cycle.treaty_id or until.number <= cycle.number:
                raise ValidationError(
                    {"until_cycle": _("Choose a later cycle of the same treaty, or none.")}
                )

    @property
    def is_vacant(self) -> bool:
        """Nobody is recorded in the office, whatever the dates."""
        return self.holder_id is None

    def vacant_on(self, day: dt.date) -> bool:
        """No holder whose term covers the day: the rule of the letters' office paragraph."""
        if self.holder_id is None:
            return True
        if self.term_start is not None and day < self.term_start:
            return True
        return self.term_end is not None and day > self.term_end

    @property
    def name(self) -> str:
        seat = f" ({self.seat})" if self.seat > 1 else ""
        if self.body_id is None:
            return f"{self.get_title_display()}{seat}, {self.cycle.code}"
        return f"{self.get_title_display()}{seat}, {self.body.label}"

    @property
    def cycles_label(self) -> str:
        """CSP12, or CSP12–CSP13 for a term that spans cycles."""
        if self.until_cycle_id is None:
            return self.cycle.code
        return f"{self.cycle.code}–{self.until_cycle.code}"
